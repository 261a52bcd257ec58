import { maskPhone, parsePhoneNumber } from '../../src/verification/phone';
import { lastCall, lastTextedCode, readOutbox } from '../support/outbox';
import { setup, TEAMS } from '../support/service';

const US = { allowedCountries: ['US', 'GB'], channel: 'sms' as const };

describe('phone numbers', () => {
  it('are stored as E.164 and shown masked', async () => {
    expect(parsePhoneNumber('(201) 555-0123', 'US', US)).toEqual({ e164: '+12015550123', country: 'US' });
    expect(parsePhoneNumber('07400 123456', 'GB', US)).toEqual({ e164: '+447400123456', country: 'GB' });
    expect(maskPhone('+12015550123')).toBe('+1 ••• ••• 0123');
    expect(maskPhone('+447400123456')).toBe('+44 ••• ••• 3456');
    // Calling codes of one, two and three digits.
    expect(maskPhone('+353861234567')).toBe('+353 ••• ••• 4567');
    expect(maskPhone('+9715012345678')).toBe('+971 ••• ••• 5678');
    expect(maskPhone('+12425551234')).toBe('+1 ••• ••• 1234');
    // A non-geographic code (no country has it).
    expect(maskPhone('+882355001234')).toBe('+882 ••• ••• 1234');
  });

  it.each([
    ['letters', 'call me maybe', 'notANumber'],
    ['a 30-digit string', '1'.repeat(30), 'tooLong'],
    ['too few digits', '555', 'tooShort'],
    ['too many digits', '2015550123456', 'tooLong'],
    ['an invalid area code', '0015550123', 'invalid'],
    ['an empty entry', '   ', 'notANumber'],
  ])('refuses %s with a reason', (_what, input, problem) => {
    expect(parsePhoneNumber(input, 'US', US)).toEqual({ problem });
  });

  it('refuses a number that does not match the chosen country, naming both', async () => {
    expect(parsePhoneNumber('+44 7400 123456', 'US', US)).toEqual({ problem: 'countryMismatch', numberCountry: 'GB', chosenCountry: 'US' });
  });

  it('refuses a country the policy does not allow', async () => {
    expect(parsePhoneNumber('+33 6 12 34 56 78', 'FR', US)).toEqual({ problem: 'countryNotAllowed', country: 'FR' });
  });

  it('refuses premium-rate and toll-free numbers, and landlines for texts', async () => {
    expect(parsePhoneNumber('900 555 0100', 'US', US)).toEqual({ problem: 'notAPersonalNumber' });
    expect(parsePhoneNumber('800 555 0100', 'US', US)).toEqual({ problem: 'notAPersonalNumber' });
    expect(parsePhoneNumber('020 7183 8750', 'GB', US)).toEqual({ problem: 'cannotReceiveTexts' });
    expect(parsePhoneNumber('020 7183 8750', 'GB', { ...US, channel: 'voice' })).toEqual({ e164: '+442071838750', country: 'GB' });
  });
});

describe('"Text me a code"', () => {
  const request = { number: '201 555 0123', country: 'US', channel: 'sms' as const };

  it('texts a 6-digit code that works once; the code is stored only as a keyed hash', async () => {
    const { service, profile, outbox } = setup();
    const sent = await service.startPhone(profile, request);
    expect(sent).toMatchObject({ status: 'sent', channel: 'sms', masked: '+1 ••• ••• 0123' });
    const [text] = readOutbox(outbox.file);
    expect(text).toMatchObject({ channel: 'sms', to: '+12015550123' });
    expect(text!.body).toMatch(/^\d{6} is your Contoso verification code\. It expires in 5 minutes\./);
    expect(text!.body.length).toBeLessThanOrEqual(160);
    const code = lastTextedCode(outbox.file);
    expect(JSON.stringify(profile)).not.toContain(code);

    expect(await service.verifyCode(profile, code, TEAMS)).toMatchObject({
      status: 'verified',
      method: { kind: 'phone', e164: '+12015550123', verifiedBy: 'sms' },
    });
    expect(await service.verifyCode(profile, code, TEAMS)).toEqual({ status: 'nothingPending' });
    expect(service.isComplete(profile)).toBe(false); // the app is still required
  });

  it('a code expires after 5 minutes', async () => {
    const { service, profile, outbox, clock } = setup();
    await service.startPhone(profile, request);
    clock.advanceMinutes(5);
    expect(await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS)).toEqual({ status: 'expired' });
  });

  it('5 wrong entries kill the code, and a resend does not reset the count', async () => {
    const { service, profile, outbox, clock } = setup();
    await service.startPhone(profile, request);
    const wrong = () => (lastTextedCode(outbox.file) === '000000' ? '111111' : '000000');
    expect(await service.verifyCode(profile, wrong(), TEAMS)).toEqual({ status: 'wrong', attemptsLeft: 4 });
    expect(await service.verifyCode(profile, wrong(), TEAMS)).toEqual({ status: 'wrong', attemptsLeft: 3 });
    clock.advance(60_000);
    expect((await service.resendCode(profile)).status).toBe('sent');
    expect(await service.verifyCode(profile, wrong(), TEAMS)).toEqual({ status: 'wrong', attemptsLeft: 2 });
    expect(await service.verifyCode(profile, wrong(), TEAMS)).toEqual({ status: 'wrong', attemptsLeft: 1 });
    expect(await service.verifyCode(profile, wrong(), TEAMS)).toEqual({ status: 'attemptsExhausted' });
    expect(await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS)).toEqual({ status: 'nothingPending' });
    // Asking again for the same number does not wipe the count either.
    clock.advance(60_000);
    await service.startPhone(profile, request);
    expect(profile.pendingCode?.wrongCodes).toBe(0); // the dead challenge is gone...
    expect(profile.throttle.consecutiveFailures).toBe(5); // ...but the account throttle remembers
  });

  it('a resend waits 60 seconds, says how long is left, and voids the previous code', async () => {
    const { service, profile, outbox, clock } = setup();
    await service.startPhone(profile, request);
    const first = lastTextedCode(outbox.file);
    clock.advance(20_000);
    expect(await service.resendCode(profile)).toEqual({ status: 'cooldown', retryInSeconds: 40 });
    expect(await service.startPhone(profile, request)).toEqual({ status: 'cooldown', retryInSeconds: 40 });
    clock.advance(40_000);
    expect((await service.resendCode(profile)).status).toBe('sent');
    const second = lastTextedCode(outbox.file);
    if (first !== second) expect((await service.verifyCode(profile, first, TEAMS)).status).toBe('wrong');
    expect((await service.verifyCode(profile, second, TEAMS)).status).toBe('verified');
  });

  it('at most 10 texts or calls per person per day', async () => {
    const { service, profile, clock } = setup();
    for (let i = 0; i < 10; i++) {
      expect((await service.startPhone(profile, { ...request, number: `201 555 01${String(i).padStart(2, '0')}` })).status).toBe('sent');
      clock.advance(61_000);
    }
    expect(await service.startPhone(profile, { ...request, number: '201 555 0199' })).toEqual({ status: 'dailyLimit' });
    clock.advanceMinutes(24 * 60);
    expect((await service.startPhone(profile, { ...request, number: '201 555 0199' })).status).toBe('sent');
  });

  it('at most 10 texts or calls per number per day, whoever asks', async () => {
    const fixture = setup();
    const { service, clock } = fixture;
    for (let i = 0; i < 10; i++) {
      const someone = { ...fixture.profile, userId: `aad:${i}`, methods: [], throttle: { consecutiveFailures: 0 } };
      expect((await service.startPhone(someone, request)).status).toBe('sent');
      clock.advance(1000);
    }
    const eleventh = { ...fixture.profile, userId: 'aad:eleven', methods: [], throttle: { consecutiveFailures: 0 } };
    expect(await service.startPhone(eleventh, request)).toEqual({ status: 'dailyLimit' });
  });

  it('refuses a number already registered', async () => {
    const { service, profile, outbox } = setup();
    await service.startPhone(profile, request);
    await service.verifyCode(profile, lastTextedCode(outbox.file), TEAMS);
    expect(await service.startPhone(profile, request)).toEqual({ status: 'alreadyRegistered' });
  });
});

describe('"Call me"', () => {
  const request = { number: '201 555 0123', country: 'US', channel: 'voice' as const };

  it('places a call that says who is calling and never the number; the number the chat shows proves the phone; the token is the only key', async () => {
    const { service, profile, outbox } = setup();
    const sent = await service.startPhone(profile, request);
    if (sent.status !== 'sent') throw new Error('not sent');
    expect(sent).toMatchObject({ status: 'sent', channel: 'voice', matchNumber: expect.stringMatching(/^[1-9]\d$/) });
    const match = sent.matchNumber!;
    const call = lastCall(outbox.file);
    expect(call.body).toMatch(/This is Contoso.*enter the two-digit number shown in your chat/);
    expect(call.body).not.toContain(match);
    const token = decodeURIComponent(/calls\/([^/]+)\/answer/.exec(call.answerUrl!)![1]!);
    expect(await service.answerCall(profile, `${token}x`, match)).toEqual({ status: 'unknownCall' });
    expect(await service.answerCall(profile, token, match)).toEqual({ status: 'verified' });
    expect(service.challengeStatus(profile, sent.challengeId)).toMatchObject({ status: 'verified', method: { verifiedBy: 'voice' } });
    expect(await service.answerCall(profile, token, match)).toEqual({ status: 'unknownCall' });
  });

  it('whoever answers cannot bind their phone by pressing #: only the number shown in the chat proves it', async () => {
    const { service, profile, outbox } = setup();
    await service.startPhone(profile, request);
    const token = decodeURIComponent(/calls\/([^/]+)\/answer/.exec(lastCall(outbox.file).answerUrl!)![1]!);
    expect(await service.answerCall(profile, token, '#')).toEqual({ status: 'wrongKey' });
    expect(profile.methods).toHaveLength(0);
  });

  it('a wrong key, no answer or a busy line are recorded for the chat to tell', async () => {
    const { service, profile, outbox } = setup();
    const sent = await service.startPhone(profile, request);
    if (sent.status !== 'sent') throw new Error();
    const token = decodeURIComponent(/calls\/([^/]+)\/answer/.exec(lastCall(outbox.file).answerUrl!)![1]!);
    const wrong = sent.matchNumber === '10' ? '11' : '10';
    expect(await service.answerCall(profile, token, wrong)).toEqual({ status: 'wrongKey' });
    expect(service.challengeStatus(profile, sent.challengeId)).toEqual({ status: 'callEnded', outcome: 'wrongKey' });
    expect(service.recordCallEnd(profile, token, 'hungUp')).toBe(false); // the first ending stands
  });

  it('a call can no longer be answered once it expires', async () => {
    const { service, profile, outbox, clock } = setup();
    await service.startPhone(profile, request);
    const token = decodeURIComponent(/calls\/([^/]+)\/answer/.exec(lastCall(outbox.file).answerUrl!)![1]!);
    clock.advanceMinutes(5);
    expect(await service.answerCall(profile, token, '10')).toEqual({ status: 'unknownCall' });
  });
});
