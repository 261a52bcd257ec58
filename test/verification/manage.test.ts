import { lastTextedCode, readOutbox } from '../support/outbox';
import { BY_TEXT, setup, TEAMS } from '../support/service';

/** An employee with the app and a phone, both proven for real. */
async function withAppAndPhone() {
  const fixture = setup();
  const { service, profile, appCode, outbox } = fixture;
  service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
  await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
  await service.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'sms' });
  await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS);
  return fixture;
}

describe('manage rules in the verification service', () => {
  it('deleting the last method of a kind the role requires is refused', async () => {
    const { service, profile } = await withAppAndPhone();
    const app = profile.methods.find((m) => m.kind === 'authenticatorApp')!;
    expect(service.checkDeletion(profile, app.id)).toEqual({ allowed: false, reason: 'lastRequiredMfa', kind: 'authenticatorApp' });
    expect((await service.deleteMethod(profile, app.id, TEAMS)).allowed).toBe(false);
    expect(profile.methods).toHaveLength(2);
  });

  it('deleting the default moves the default to the next best method, and says so first', async () => {
    const { service, profile, outbox, clock } = await withAppAndPhone();
    clock.advance(61_000);
    await service.startPhone(profile, { number: '201 555 0177', country: 'US', channel: 'sms', kind: 'alternatePhone' });
    await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS);
    const phone = profile.methods.find((m) => m.kind === 'phone')!;
    const alternate = profile.methods.find((m) => m.kind === 'alternatePhone')!;
    expect(await service.setDefaultMethod(profile, alternate.id, 'text', TEAMS)).toEqual({ status: 'changed' });
    const check = service.checkDeletion(profile, alternate.id);
    expect(check).toMatchObject({ allowed: true, newDefault: { kind: 'authenticatorApp' }, breaksMfa: false });
    await service.deleteMethod(profile, alternate.id, TEAMS);
    expect(service.defaultMethod(profile)?.kind).toBe('authenticatorApp');
    expect(profile.defaultMethodId).toBeUndefined();
    expect(phone).toBeDefined();
  });

  it('only sign-in (MFA) methods can be the default; office phones only by call', async () => {
    const { service, profile, outbox } = await withAppAndPhone();
    await service.startEmail(profile, { address: 'adele@fabrikam.com' });
    await service.verifyCode(profile, /\b(\d{6})\b/.exec(readOutbox(outbox.file).at(-1)!.body)![1]!, TEAMS);
    const email = profile.methods.find((m) => m.kind === 'email')!;
    expect(await service.setDefaultMethod(profile, email.id, undefined, TEAMS)).toEqual({ status: 'notAllowed' });
    const phone = profile.methods.find((m) => m.kind === 'phone')!;
    expect(await service.setDefaultMethod(profile, phone.id, 'text', TEAMS)).toEqual({ status: 'changed' });
    expect(service.defaultVariant(profile)).toBe('text');
  });

  it("refuses the organisation's own email domains for password reset", async () => {
    const fixture = setup({
      ...(await import('../../src/verification/policy')).defaultPolicy,
      email: { organisationDomains: ['contoso.com'] },
    });
    expect(await fixture.service.startEmail(fixture.profile, { address: 'adele@contoso.com' })).toEqual({
      status: 'invalidEmail',
      problem: { problem: 'organisationDomain', domain: 'contoso.com' },
    });
    expect(await fixture.service.startEmail(fixture.profile, { address: 'adele@mail.contoso.com' })).toMatchObject({
      status: 'invalidEmail',
    });
    expect(await fixture.service.startEmail(fixture.profile, { address: 'not an address' })).toEqual({
      status: 'invalidEmail',
      problem: { problem: 'invalid' },
    });
    expect((await fixture.service.startEmail(fixture.profile, { address: 'Adele@Fabrikam.COM' })).status).toBe('sent');
    expect(readOutbox(fixture.outbox.file).at(-1)).toMatchObject({
      channel: 'email',
      to: 'Adele@fabrikam.com',
      subject: 'Your Contoso verification code',
    });
  });

  it('changing a phone is a new binding: the new number is proven, then replaces the old one (and keeps the default)', async () => {
    const { service, profile, outbox, clock } = await withAppAndPhone();
    const old = profile.methods.find((m) => m.kind === 'phone')!;
    await service.setDefaultMethod(profile, old.id, 'call', TEAMS);
    clock.advance(61_000);
    await service.startPhone(profile, { number: '201 555 0199', country: 'US', channel: 'sms', replaces: old.id });
    expect(profile.methods.some((m) => m.id === old.id)).toBe(true); // not until proven
    await service.verifyCode(profile, lastTextedCode(outbox.file, '+12015550199'), TEAMS);
    const phones = profile.methods.filter((m) => m.kind === 'phone');
    expect(phones).toHaveLength(1);
    expect(phones[0]).toMatchObject({ e164: '+12015550199' });
    expect(service.defaultMethod(profile)?.id).toBe(phones[0]!.id);
  });

  it('every change is audited with who, what, when and where, masked, with no code or secret', async () => {
    const { service, profile, audit } = await withAppAndPhone();
    const phone = profile.methods.find((m) => m.kind === 'phone')!;
    await service.setDefaultMethod(profile, phone.id, 'call', TEAMS);
    await service.verifyCode(profile, '000000', BY_TEXT); // nothing pending: not a failure
    const events = await audit.forUser('ADELE@contoso.com');
    expect(events.map((e) => [e.event, e.method, e.via, e.result])).toEqual([
      ['method.added', 'authenticatorApp', 'msteams', 'success'],
      ['method.added', 'phone', 'msteams', 'success'],
      ['default.changed', 'phone', 'msteams', 'success'],
    ]);
    expect(events[1]).toMatchObject({ userId: 'aad:1', upn: 'adele@contoso.com', detail: '+1 ••• ••• 0123' });
    expect(JSON.stringify(events)).not.toMatch(/\+12015550123|sealed|secret/i);
  });

  it('wrong codes and lockouts are audited as failures', async () => {
    const { service, profile, appCode, audit } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    for (let i = 0; i < 10; i++) {
      if (!profile.pendingApp) service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
      await service.verifyAuthenticatorApp(profile, appCode() === '000000' ? '111111' : '000000', TEAMS);
    }
    const events = await audit.forUser('adele@contoso.com');
    expect(events.filter((e) => e.event === 'verification.failed')).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ event: 'account.locked', result: 'failure' });
  });

  it('after a change, the other registered phones and emails are told, never the one just added, never a code', async () => {
    const { service, profile, outbox } = await withAppAndPhone();
    const before = readOutbox(outbox.file).length;
    await service.startEmail(profile, { address: 'adele@fabrikam.com' });
    const code = /\b(\d{6})\b/.exec(readOutbox(outbox.file).at(-1)!.body)![1]!;
    await service.verifyCode(profile, code, TEAMS);
    const notices = readOutbox(outbox.file).slice(before + 1);
    expect(notices).toEqual([
      expect.objectContaining({
        channel: 'sms',
        to: '+12015550123',
        body: expect.stringMatching(/your security info changed \(email added\)\. If this wasn't you/),
      }),
    ]);
    expect(notices[0]!.body).not.toMatch(/\d{6}/);
  });
});

describe('the policy per role', () => {
  it('a student and an employee need different methods', () => {
    const { service, profile } = setup();
    expect(service.missingMethods(profile)).toEqual(['authenticatorApp', 'phone']);
    expect(service.missingMethods({ ...profile, role: 'student' })).toEqual(['phone']);
    expect(service.missingMethods({ ...profile, role: 'unknown-role' })).toEqual(['authenticatorApp', 'phone']);
  });

  it('password reset needs 2 methods for employees, 1 for students', async () => {
    const { service, profile, outbox } = setup();
    const student = { ...profile, role: 'student' };
    await service.startPhone(student, { number: '201 555 0123', country: 'US', channel: 'sms' });
    await service.verifyCode(student, lastTextedCode(outbox.file), TEAMS);
    expect(service.policyStatus(student)).toEqual({ mfa: { met: true, missing: [] }, sspr: { met: true, have: 1, need: 1 } });
    expect(service.isComplete(student)).toBe(true);
    expect(service.policyStatus({ ...student, role: 'employee' }).sspr).toEqual({ met: false, have: 1, need: 2 });
  });
});
