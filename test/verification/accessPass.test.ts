import { lastTextedCode, readOutbox } from '../support/outbox';
import { BY_TEXT, HELP_DESK, setup, TEAMS } from '../support/service';

/** A person locked out after wrong codes (10 by default). */
async function lockedOut() {
  const parts = setup();
  const { service, profile } = parts;
  for (let i = 0; i < 10; i++) {
    // 5 wrong codes void a QR code: a new one, and on.
    if (!profile.pendingApp) service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    await service.verifyAuthenticatorApp(profile, '000000', TEAMS);
  }
  expect(service.lockStatus(profile)).toMatchObject({ status: 'locked' });
  return parts;
}

describe('Temporary Access Pass', () => {
  it('is 12 characters without look-alikes, kept only as a keyed hash, and lifts a lockout once', async () => {
    const { service, profile } = await lockedOut();
    const issued = await service.issueAccessPass(profile, { issuedBy: 'Alex Agent' }, HELP_DESK);
    expect(issued).toMatchObject({ lifetimeMinutes: 60, singleUse: true });
    expect(issued.pass).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(JSON.stringify(profile)).not.toContain(issued.pass.replace(/-/g, ''));

    expect(await service.redeemAccessPass(profile, ` ${issued.pass.toLowerCase()} `, TEAMS)).toEqual({ status: 'verified' });
    expect(service.lockStatus(profile)).toBeUndefined();
    expect(await service.redeemAccessPass(profile, issued.pass, TEAMS)).toEqual({ status: 'none' });
  });

  it('is not taken by SMS, where a sender can be forged', async () => {
    const { service, profile } = setup();
    const issued = await service.issueAccessPass(profile, { issuedBy: 'A' }, HELP_DESK);
    expect(await service.redeemAccessPass(profile, issued.pass, BY_TEXT)).toEqual({ status: 'notHere' });
    expect(await service.redeemAccessPass(profile, issued.pass, TEAMS)).toEqual({ status: 'verified' });
  });

  it('never works after it expires; a reusable one works until then', async () => {
    const { service, profile, clock } = setup();
    const reusable = await service.issueAccessPass(profile, { lifetimeMinutes: 30, singleUse: false, issuedBy: 'Alex' }, HELP_DESK);
    expect(await service.redeemAccessPass(profile, reusable.pass, TEAMS)).toEqual({ status: 'verified' });
    clock.advanceMinutes(29);
    expect(await service.redeemAccessPass(profile, reusable.pass, TEAMS)).toEqual({ status: 'verified' });
    clock.advanceMinutes(1);
    expect(await service.redeemAccessPass(profile, reusable.pass, TEAMS)).toEqual({ status: 'expired' });
    expect(await service.redeemAccessPass(profile, reusable.pass, TEAMS)).toEqual({ status: 'none' });
  });

  it('keeps its lifetime within 10 minutes and a day, and a new pass replaces the last', async () => {
    const { service, profile } = setup();
    expect((await service.issueAccessPass(profile, { lifetimeMinutes: 1, issuedBy: 'A' }, HELP_DESK)).lifetimeMinutes).toBe(10);
    const first = await service.issueAccessPass(profile, { lifetimeMinutes: 99_999, issuedBy: 'A' }, HELP_DESK);
    expect(first.lifetimeMinutes).toBe(24 * 60);
    const second = await service.issueAccessPass(profile, { issuedBy: 'A' }, HELP_DESK);
    expect(await service.redeemAccessPass(profile, first.pass, TEAMS)).toMatchObject({ status: 'wrong' });
    expect(await service.redeemAccessPass(profile, second.pass, TEAMS)).toEqual({ status: 'verified' });
  });

  it('is void after 5 wrong entries, even the right one after that', async () => {
    const { service, profile } = setup();
    const issued = await service.issueAccessPass(profile, { issuedBy: 'A' }, HELP_DESK);
    for (let left = 4; left >= 0; left--) {
      expect(await service.redeemAccessPass(profile, 'AAAA-BBBB-CCCC', TEAMS)).toEqual({ status: 'wrong', attemptsLeft: left });
    }
    expect(await service.redeemAccessPass(profile, issued.pass, TEAMS)).toEqual({ status: 'none' });
  });
});

describe('re-registration required by the help desk', () => {
  it('removes the apps and phones (each audited), keeps the rest, and tells the person on what remains', async () => {
    const { service, profile, appCode, outbox, audit, clock } = setup();
    service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    await service.verifyAuthenticatorApp(profile, appCode(), TEAMS);
    await service.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'sms' });
    await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS);
    clock.advance(61_000);
    await service.startEmail(profile, { address: 'adele@fabrikam.com' });
    const email = readOutbox(outbox.file)
      .filter((m) => m.channel === 'email')
      .at(-1)!;
    await service.verifyCode(profile, /\b(\d{6})\b/.exec(email.body)![1]!, TEAMS);
    expect(profile.methods.map((m) => m.kind)).toEqual(['authenticatorApp', 'phone', 'email']);

    const removed = await service.requireReregistration(profile, 'Alex Agent', HELP_DESK);
    expect(removed.map((m) => m.kind)).toEqual(['authenticatorApp', 'phone']);
    expect(profile.methods.map((m) => m.kind)).toEqual(['email']);
    expect(service.defaultMethod(profile)).toBeUndefined();
    expect(service.isComplete(profile)).toBe(false);
    expect(readOutbox(outbox.file).at(-1)).toMatchObject({
      channel: 'email',
      body: expect.stringContaining('re-registration required by the help desk'),
    });
    const events = await audit.forUser(profile.upn);
    expect(events.filter((e) => e.detail?.includes('Alex Agent')).map((e) => e.event)).toEqual([
      'admin.action',
      'method.deleted',
      'method.deleted',
    ]);
  });
});
