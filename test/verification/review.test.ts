import type { CodeSender } from '../../src/verification/ports';
import type { SecurityInfoProfile } from '../../src/verification/profile';
import { lastTextedCode, readOutbox } from '../support/outbox';
import { setup, TEAMS } from '../support/service';

const sms = { number: '201 555 0123', country: 'US', channel: 'sms' as const };
const picks = [
  { questionId: 'q13', answer: 'Rex' },
  { questionId: 'q15', answer: 'Lyon' },
  { questionId: 'q3', answer: 'Ford Fiesta' },
];

describe('limits that hold under pressure', () => {
  it('guesses sent in parallel (each turn with its own copy of the profile) all count against the code', async () => {
    const { service, profile, outbox } = setup();
    await service.startPhone(profile, sms);
    const wrong = lastTextedCode(outbox.file) === '000000' ? '111111' : '000000';
    // Five turns that each loaded the same version of the profile, as parallel requests do.
    const copies: SecurityInfoProfile[] = Array.from({ length: 5 }, () => structuredClone(profile));
    const results = await Promise.all(copies.map((copy) => service.verifyCode(copy, wrong, TEAMS)));
    expect(results.map((r) => r.status).sort()).toEqual(['attemptsExhausted', 'wrong', 'wrong', 'wrong', 'wrong']);
  });

  it('saving security questions does not lift a lockout or reset the failure count', async () => {
    const { service, profile, appCode } = setup();
    for (let i = 0; i < 10; i++) {
      if (!profile.pendingApp) service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
      await service.verifyAuthenticatorApp(profile, appCode() === '000000' ? '111111' : '000000', TEAMS);
    }
    expect(await service.registerSecurityQuestions(profile, picks, TEAMS)).toMatchObject({ status: 'locked' });
    const fresh = setup();
    await fresh.service.startPhone(fresh.profile, sms);
    await fresh.service.verifyCode(fresh.profile, '000000' === lastTextedCode(fresh.outbox.file) ? '111111' : '000000', TEAMS);
    await fresh.service.registerSecurityQuestions(fresh.profile, picks, TEAMS);
    expect(fresh.profile.throttle.consecutiveFailures).toBe(1);
  });

  it('the resend cooldown outlives a voided code', async () => {
    const { service, profile, outbox, clock } = setup();
    await service.startPhone(profile, sms);
    const wrong = lastTextedCode(outbox.file) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await service.verifyCode(profile, wrong, TEAMS);
    expect(profile.pendingCode).toBeUndefined();
    clock.advance(10_000);
    expect(await service.startPhone(profile, sms)).toEqual({ status: 'cooldown', retryInSeconds: 50 });
  });

  it('a resend that cannot be delivered leaves the code already sent working', async () => {
    const fixture = setup();
    const { service, profile, outbox, clock } = fixture;
    await service.startPhone(profile, sms);
    const first = lastTextedCode(outbox.file);
    const realSend = outbox.sendSms.bind(outbox);
    (outbox as CodeSender).sendSms = async () => ({ ok: false, failure: 'unavailable', permanent: false });
    clock.advance(60_000);
    expect(await service.resendCode(profile)).toMatchObject({ status: 'deliveryFailed', permanent: false });
    outbox.sendSms = realSend;
    expect((await service.verifyCode(profile, first, TEAMS)).status).toBe('verified');
  });
});

describe('the service enforces what the role enables', () => {
  it('refuses kinds the role does not enable, a second one of a kind, and replacing a method of another kind', async () => {
    const { service, profile, appCode, outbox } = setup();
    const admin = { ...structuredClone(profile), role: 'admin' };
    expect(await service.registerSecurityQuestions(admin, picks, TEAMS)).toEqual({ status: 'notAllowed' });
    await service.startEmail(profile, { address: 'adele@fabrikam.com' });
    await service.verifyCode(profile, /\b(\d{6})\b/.exec(readOutbox(outbox.file).at(-1)!.body)![1]!, TEAMS);
    expect(await service.startEmail(profile, { address: 'other@fabrikam.com' })).toEqual({ status: 'alreadyRegistered' });
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
    const app = profile.methods.find((m) => m.kind === 'authenticatorApp')!;
    expect(await service.startPhone(profile, { ...sms, replaces: app.id })).toEqual({ status: 'notAllowed' });
  });

  it('a default set to what it already is changes nothing and tells no one', async () => {
    const { service, profile, outbox } = setup();
    await service.startPhone(profile, sms);
    await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS);
    const phone = profile.methods[0]!;
    const before = readOutbox(outbox.file).length;
    expect(await service.setDefaultMethod(profile, phone.id, 'call', TEAMS)).toEqual({ status: 'changed' });
    expect(readOutbox(outbox.file)).toHaveLength(before);
  });
});
