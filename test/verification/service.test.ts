import { totpContext } from '../../src/verification/profile';
import type { VerificationService } from '../../src/verification/service';
import { totpCodeAt } from '../../src/verification/totp';
import { base32Decode } from '../support/authenticatorApp';
import { setup, TEAMS } from '../support/service';

const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

describe('adding an authenticator app', () => {
  it('when the first code is right, the app becomes a method and the default', async () => {
    const { service, profile, appCode } = setup();
    expect(service.startAuthenticatorApp(profile, 'Microsoft Authenticator').status).toBe('started');
    const result = await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
    expect(result.status).toBe('verified');
    expect(profile.methods).toHaveLength(1);
    expect(profile.pendingApp).toBeUndefined();
    expect(service.defaultMethod(profile)?.kind).toBe('authenticatorApp');
    expect(service.missingMethods(profile)).toEqual(['phone']);
  });

  it('the secret is 160 bits and is stored only sealed, bound to the user and method', async () => {
    const { service, profile, secretBox } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const enrollment = service.pendingAppEnrollment(profile)!;
    const secret = new URL(enrollment.otpauthUri).searchParams.get('secret')!;
    expect(base32Decode(secret)).toHaveLength(20);
    expect(JSON.stringify(profile)).not.toContain(secret);
    expect(enrollment.secretKey.replace(/ /g, '')).toBe(secret);
    expect(enrollment.secretKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const pending = profile.pendingApp!;
    expect(() => secretBox.open(pending.sealedSecret, totpContext('aad:someone-else', pending.id))).toThrow();
  });

  it('a code that is not 6 digits is refused without counting as a failure', async () => {
    const { service, profile } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    for (const input of ['12345', 'abcdef', '1234567', '', '12345678901234567890123456789']) {
      expect(await service.verifyAuthenticatorApp(profile, input, TEAMS)).toEqual({ status: 'malformed' });
    }
    expect(profile.throttle.consecutiveFailures).toBe(0);
    expect(profile.pendingApp?.wrongCodes).toBe(0);
  });

  it('accepts spaces in the code as people type them', async () => {
    const { service, profile, appCode } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const code = appCode();
    expect((await service.verifyAuthenticatorApp(profile, ` ${code.slice(0, 3)} ${code.slice(3)} `, TEAMS)).status).toBe('verified');
  });

  it('when 5 wrong codes are entered, the QR code is void and a new one is needed', async () => {
    const { service, profile, appCode } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const right = appCode();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await service.verifyAuthenticatorApp(profile, wrong(right), TEAMS));
    expect(results.slice(0, 4)).toEqual([4, 3, 2, 1].map((attemptsLeft) => ({ status: 'wrong', attemptsLeft })));
    expect(results[4]).toEqual({ status: 'attemptsExhausted' });
    expect(await service.verifyAuthenticatorApp(profile, right, TEAMS)).toEqual({ status: 'nothingPending' });
    expect(profile.methods).toHaveLength(0);
  });

  it('a QR code not used within 15 minutes expires', async () => {
    const { service, profile, appCode, clock } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    clock.advanceMinutes(15);
    const code = totpCodeAt(Buffer.alloc(20), clock.now()); // any code: the enrollment is gone
    expect(service.pendingAppEnrollment(profile)).toBeUndefined();
    expect(await service.verifyAuthenticatorApp(profile, code, TEAMS)).toEqual({ status: 'expired' });
    expect(() => appCode()).toThrow('nothing pending');
  });

  it('accepts a code from the previous time step (a slow typist) but not from two steps ago', async () => {
    const { service, profile, appCode, clock } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const earlier = appCode(profile, clock.now() - 30_000);
    const tooOld = appCode(profile, clock.now() - 65_000);
    expect((await service.verifyAuthenticatorApp(profile, tooOld, TEAMS)).status).toBe('wrong');
    expect((await service.verifyAuthenticatorApp(profile, earlier, TEAMS)).status).toBe('verified');
  });

  it('stops at 5 apps', async () => {
    const { service, profile, appCode, clock } = setup();
    for (let i = 0; i < 5; i++) {
      service.startAuthenticatorApp(profile, 'Authenticator app');
      expect((await service.verifyAuthenticatorApp(profile, appCode(), TEAMS)).status).toBe('verified');
      clock.advance(30_000);
    }
    expect(service.startAuthenticatorApp(profile, 'Authenticator app')).toEqual({ status: 'limitReached', max: 5 });
  });
});

describe('replay', () => {
  it('when the same TOTP code is used twice, the second is refused', async () => {
    const { service, profile, appCode } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const first = appCode();
    const verified = await service.verifyAuthenticatorApp(profile, first, TEAMS);
    if (verified.status !== 'verified') throw new Error('not verified');
    expect(await service.verifyTotp(profile, verified.method.id, first, TEAMS)).toEqual({ status: 'replayed' });
  });

  it('a code of an earlier step than the last accepted one is refused; the next step is accepted once', async () => {
    const { service, profile, appCode, clock } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const secret = base32Decode(new URL(service.pendingAppEnrollment(profile)!.otpauthUri).searchParams.get('secret')!);
    const verified = await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
    if (verified.status !== 'verified') throw new Error('not verified');
    clock.advance(30_000);
    const previous = totpCodeAt(secret, clock.now() - 30_000);
    expect(await service.verifyTotp(profile, verified.method.id, previous, TEAMS)).toEqual({ status: 'replayed' });
    const next = totpCodeAt(secret, clock.now());
    expect((await service.verifyTotp(profile, verified.method.id, next, TEAMS)).status).toBe('verified');
    expect(await service.verifyTotp(profile, verified.method.id, next, TEAMS)).toEqual({ status: 'replayed' });
  });
});

describe('account lockout', () => {
  it('after 10 wrong codes in a row across QR codes, verification locks for 15 minutes', async () => {
    const { service, profile, appCode, clock } = setup();
    let last: Awaited<ReturnType<VerificationService['verifyAuthenticatorApp']>> | undefined;
    for (let i = 0; i < 10; i++) {
      if (!profile.pendingApp) service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
      last = await service.verifyAuthenticatorApp(profile, wrong(appCode()), TEAMS);
    }
    expect(last).toEqual({ status: 'locked', until: clock.now() + 15 * 60_000 });
    // Locked: even the right code is not checked, and starting over does not help.
    expect(service.startAuthenticatorApp(profile, 'Microsoft Authenticator').status).toBe('locked');
    clock.advanceMinutes(14);
    expect(service.lockStatus(profile)?.status).toBe('locked');
    clock.advanceMinutes(1);
    expect(service.lockStatus(profile)).toBeUndefined();
    expect(service.startAuthenticatorApp(profile, 'Microsoft Authenticator').status).toBe('started');
    expect((await service.verifyAuthenticatorApp(profile, appCode(), TEAMS)).status).toBe('verified');
    expect(profile.throttle.consecutiveFailures).toBe(0);
  });

  it('after 100 failures in a row, only the help desk can unlock', async () => {
    const { service, profile, appCode, clock } = setup();
    for (let i = 0; i < 100; i++) {
      if (!profile.pendingApp) service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
      await service.verifyAuthenticatorApp(profile, wrong(appCode()), TEAMS);
      if (service.lockStatus(profile)?.until) clock.advanceMinutes(15);
    }
    clock.advanceMinutes(24 * 60);
    expect(service.lockStatus(profile)).toEqual({ status: 'locked' });
    expect(service.startAuthenticatorApp(profile, 'Microsoft Authenticator')).toEqual({ status: 'locked' });
  });
});
