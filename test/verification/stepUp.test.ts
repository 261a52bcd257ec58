import { viaChannel } from '../../src/verification/via';
import { appCodeFor } from '../support/authenticatorApp';
import { lastCall, lastTextedCode, readOutbox } from '../support/outbox';
import { BY_TEXT, HELP_DESK, setup, TEAMS } from '../support/service';

/** An employee with the app and a phone, both proven, then eleven minutes away from the keyboard. */
async function withAppAndPhoneLater() {
  const fixture = setup();
  const { service, profile, appCode, outbox, clock } = fixture;
  service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
  const uri = service.pendingAppEnrollment(profile)!.otpauthUri;
  await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
  await service.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'sms' });
  await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS);
  clock.advanceMinutes(11);
  const app = profile.methods.find((m) => m.kind === 'authenticatorApp')!;
  const phone = profile.methods.find((m) => m.kind === 'phone')!;
  return { ...fixture, uri, app, phone };
}

describe('step-up: a person with methods proves one before any change', () => {
  it('a first registration, with no method at all, needs no proof', () => {
    const { service, profile } = setup();
    expect(service.stepUpRequired(profile)).toBe(false);
    expect(service.startAuthenticatorApp(profile, 'Microsoft Authenticator')).toMatchObject({ status: 'started' });
  });

  it('someone at an unlocked laptop, eleven minutes after the last proof, can add, change, delete or re-default nothing', async () => {
    const { service, profile, app, phone, outbox } = await withAppAndPhoneLater();
    const textsBefore = readOutbox(outbox.file).length;
    expect(service.startAuthenticatorApp(profile, 'Authenticator app')).toEqual({ status: 'stepUpRequired' });
    expect(await service.startPhone(profile, { number: '201 555 0199', country: 'US', channel: 'sms', kind: 'alternatePhone' })).toEqual({
      status: 'stepUpRequired',
    });
    expect(await service.startPhone(profile, { number: '201 555 0199', country: 'US', channel: 'sms', replaces: phone.id })).toEqual({
      status: 'stepUpRequired',
    });
    expect(await service.startEmail(profile, { address: 'mallory@fabrikam.com' })).toEqual({ status: 'stepUpRequired' });
    const picks = ['q1', 'q2', 'q3'].map((questionId, i) => ({ questionId, answer: `answer ${i}` }));
    expect(await service.registerSecurityQuestions(profile, picks, TEAMS)).toEqual({ status: 'stepUpRequired' });
    expect(await service.setDefaultMethod(profile, phone.id, 'text', TEAMS)).toEqual({ status: 'stepUpRequired' });
    expect(await service.deleteMethod(profile, app.id, TEAMS)).toEqual({ allowed: false, reason: 'stepUpRequired' });
    expect(profile.methods.map((m) => m.kind)).toEqual(['authenticatorApp', 'phone']);
    expect(profile.pendingApp).toBeUndefined();
    expect(readOutbox(outbox.file)).toHaveLength(textsBefore);
  });

  it('a code from the registered app opens changes for stepUpMinutes, and no longer', async () => {
    const { service, profile, app, uri, clock } = await withAppAndPhoneLater();
    expect(await service.verifyTotp(profile, app.id, appCodeFor(uri, clock.now()), TEAMS)).toMatchObject({ status: 'verified' });
    expect(service.stepUpRequired(profile)).toBe(false);
    expect(service.startAuthenticatorApp(profile, 'Authenticator app')).toMatchObject({ status: 'started' });
    clock.advanceMinutes(10);
    expect(service.stepUpRequired(profile)).toBe(true);
  });

  it('a code texted to a registered phone proves the person, and registers nothing new', async () => {
    const { service, profile, phone, outbox } = await withAppAndPhoneLater();
    expect(service.stepUpProofs(profile).map((m) => m.kind)).toEqual(['authenticatorApp', 'phone']);
    expect(await service.startStepUpProof(profile, phone.id, 'sms')).toMatchObject({ status: 'sent', masked: '+1 ••• ••• 0123' });
    expect(await service.verifyCode(profile, lastTextedCode(outbox.file, phone.kind === 'phone' ? phone.e164 : ''), BY_TEXT)).toMatchObject(
      {
        status: 'verified',
        method: { id: phone.id },
      },
    );
    expect(profile.methods).toHaveLength(2);
    expect(service.stepUpRequired(profile)).toBe(false);
  });

  it('a phone that is not registered, or security questions, cannot prove anything', async () => {
    const { service, profile } = await withAppAndPhoneLater();
    expect(await service.startStepUpProof(profile, 'not-a-method', 'sms')).toEqual({ status: 'notAllowed' });
    expect(service.stepUpProofs(profile).some((m) => m.kind === 'securityQuestions')).toBe(false);
  });

  it('security questions alone prove nothing, so a person with only them is still at their first registration', async () => {
    const { service, profile, appCode, outbox, clock } = setup();
    const picks = ['q1', 'q2', 'q3'].map((questionId, i) => ({ questionId, answer: `answer number ${i}` }));
    expect(await service.registerSecurityQuestions(profile, picks, TEAMS)).toEqual({ status: 'registered' });
    clock.advanceMinutes(30);
    expect(service.stepUpRequired(profile)).toBe(false);
    expect(service.startAuthenticatorApp(profile, 'Microsoft Authenticator')).toMatchObject({ status: 'started' });
    await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
    // The first authenticator is the proof for what follows in the same sitting.
    expect(await service.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'sms' })).toMatchObject({ status: 'sent' });
    expect(await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS)).toMatchObject({ status: 'verified' });
  });

  it('a Temporary Access Pass from the help desk proves the person in Teams, never by text', async () => {
    const { service, profile } = await withAppAndPhoneLater();
    const { pass } = await service.issueAccessPass(profile, { issuedBy: 'Alex Agent', singleUse: false }, HELP_DESK);
    expect(await service.redeemAccessPass(profile, pass, BY_TEXT)).toEqual({ status: 'notHere' });
    expect(service.stepUpRequired(profile)).toBe(true);
    expect(await service.redeemAccessPass(profile, pass, TEAMS)).toEqual({ status: 'verified' });
    expect(service.stepUpRequired(profile)).toBe(false);
  });

  it('someone whose methods serve password reset only proves an email address they have', async () => {
    const fixture = setup();
    const { service, profile, outbox, clock } = fixture;
    await service.startEmail(profile, { address: 'adele@fabrikam.com' });
    await service.verifyCode(profile, /\b(\d{6})\b/.exec(readOutbox(outbox.file).at(-1)!.body)![1]!, TEAMS);
    clock.advanceMinutes(11);
    const [email] = service.stepUpProofs(profile);
    expect(email?.kind).toBe('email');
    expect(await service.startStepUpProof(profile, email!.id, 'sms')).toMatchObject({ status: 'sent', channel: 'email' });
  });
});

describe('step-up: what a proof does not open', () => {
  it('proving a new method does not renew the proof: a change started at 9 minutes cannot chain into another at 11', async () => {
    const { service, profile, app, uri, clock, outbox } = await withAppAndPhoneLater();
    expect(await service.verifyTotp(profile, app.id, appCodeFor(uri, clock.now()), TEAMS)).toMatchObject({ status: 'verified' });
    clock.advanceMinutes(9);
    expect(
      await service.startPhone(profile, { number: '201 555 0199', country: 'US', channel: 'sms', kind: 'alternatePhone' }),
    ).toMatchObject({
      status: 'sent',
    });
    clock.advanceMinutes(2);
    // The code comes back after the proof lapsed: a new proof first, then the same code still works.
    const code = lastTextedCode(outbox.file, '+12015550199');
    expect(await service.verifyCode(profile, code, TEAMS)).toEqual({ status: 'stepUpRequired' });
    expect(await service.resendCode(profile)).toEqual({ status: 'stepUpRequired' });
    expect(await service.verifyTotp(profile, app.id, appCodeFor(uri, clock.now() + 30_000), TEAMS)).toMatchObject({ status: 'verified' });
    expect(await service.verifyCode(profile, code, TEAMS)).toMatchObject({ status: 'verified' });
    // Registering that phone did not renew the proof: ten minutes after the app code, changes need one again.
    clock.advanceMinutes(10);
    expect(service.stepUpRequired(profile)).toBe(true);
  });

  it('after the help desk requires registration anew, only its pass opens changes, even with nothing left to prove', async () => {
    const { service, profile, app, uri, clock } = await withAppAndPhoneLater();
    expect(await service.verifyTotp(profile, app.id, appCodeFor(uri, clock.now()), TEAMS)).toMatchObject({ status: 'verified' });
    await service.requireReregistration(profile, 'Alex Agent', HELP_DESK);
    expect(profile.methods).toHaveLength(0);
    expect(service.stepUpRequired(profile)).toBe(true);
    expect(service.stepUpProofs(profile)).toEqual([]);
    expect(service.startAuthenticatorApp(profile, 'Authenticator app')).toEqual({ status: 'stepUpRequired' });
    const { pass } = await service.issueAccessPass(profile, { issuedBy: 'Alex Agent' }, HELP_DESK);
    expect(await service.redeemAccessPass(profile, pass, TEAMS)).toEqual({ status: 'verified' });
    expect(service.startAuthenticatorApp(profile, 'Authenticator app')).toMatchObject({ status: 'started' });
  });

  it('a proof of a method deleted meanwhile proves nothing and registers nothing', async () => {
    const { service, profile, phone, outbox } = await withAppAndPhoneLater();
    await service.startStepUpProof(profile, phone.id, 'sms');
    profile.methods = profile.methods.filter((m) => m.id !== phone.id);
    expect(await service.verifyCode(profile, lastTextedCode(outbox.file, '+12015550123'), TEAMS)).toEqual({ status: 'nothingPending' });
    expect(profile.methods.map((m) => m.kind)).toEqual(['authenticatorApp']);
    expect(service.stepUpRequired(profile)).toBe(true);
  });

  it('a phone proven by a call (maybe a landline) is not offered for a texted proof', async () => {
    const { service, profile, outbox } = setup();
    const sent = await service.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'voice' });
    if (sent.status !== 'sent') throw new Error('no call');
    const token = decodeURIComponent(/calls\/([^/]+)\/answer/.exec(lastCall(outbox.file).answerUrl!)![1]!);
    expect(await service.answerCall(profile, token, sent.matchNumber!)).toEqual({ status: 'verified' });
    expect(profile.methods[0]).toMatchObject({ kind: 'phone', verifiedBy: 'voice' });
    expect(service.stepUpProofs(profile)).toEqual([]);
  });
});

describe('which channels prove who sends', () => {
  it('Teams does; Web Chat, Direct Line and SMS do not (locally, with no authentication, every channel but SMS is taken as proven)', () => {
    expect(viaChannel('msteams', false).verifiedSender).toBe(true);
    expect(viaChannel('webchat', false).verifiedSender).toBe(false);
    expect(viaChannel('directline', false).verifiedSender).toBe(false);
    expect(viaChannel('sms', false).verifiedSender).toBe(false);
    expect(viaChannel('emulator', true).verifiedSender).toBe(true);
    expect(viaChannel('sms', true).verifiedSender).toBe(false);
  });
});
