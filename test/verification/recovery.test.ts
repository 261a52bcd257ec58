import { lastTextedCode, readOutbox } from '../support/outbox';
import { setup } from '../support/service';

const picks = [
  { questionId: 'q13', answer: 'Rex' },
  { questionId: 'q15', answer: 'Lyon' },
  { questionId: 'q3', answer: 'Ford Fiesta' },
];
const answerOf = (questionId: string) => picks.find((p) => p.questionId === questionId)!.answer;

/** A person with an authenticator app, a phone and security questions, whose app is lost. */
async function personWithLostApp() {
  const parts = setup();
  const { service, profile, appCode, outbox, clock } = parts;
  service.startAuthenticatorApp(profile, 'Microsoft Authenticator');
  await service.verifyAuthenticatorApp(profile, appCode(), 'test');
  await service.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'sms' });
  await service.verifyCode(profile, lastTextedCode(outbox.file), 'msteams');
  await service.registerSecurityQuestions(profile, picks, 'test');
  clock.advance(20 * 60_000); // what setting up proved is old by now
  profile.recovery = undefined;
  return parts;
}

describe('recovery from a lost authenticator app', () => {
  it('needs a code texted to a registered phone, then every asked question right, before the app can go', async () => {
    const { service, profile, outbox, clock } = await personWithLostApp();
    expect(service.recoveryQuestion(profile, '+12015550123')).toEqual({ status: 'notProven' });
    expect(await service.removeLostApps(profile, 'sms')).toEqual({ status: 'notProven' });
    expect(await service.startPhoneProof(profile, '+19995550100')).toEqual({ status: 'notAllowed' }); // not one of theirs

    clock.advance(61_000);
    expect(await service.startPhoneProof(profile, '+12015550123')).toMatchObject({ status: 'sent', channel: 'sms' });
    const proven = await service.verifyCode(profile, lastTextedCode(outbox.file), 'sms');
    expect(proven).toMatchObject({ status: 'verified', method: { kind: 'phone' } });
    expect(profile.methods.filter((m) => m.kind === 'phone')).toHaveLength(1); // proven again, not added again
    expect(await service.removeLostApps(profile, 'sms')).toEqual({ status: 'notProven' }); // questions still to come

    const first = service.recoveryQuestion(profile, '+12015550123');
    if (first.status !== 'ask') throw new Error('expected a question');
    expect(first).toMatchObject({ number: 1, of: 2 });
    expect(await service.answerRecoveryQuestion(profile, ` ${answerOf(first.question.id).toUpperCase()} `, 'sms')).toEqual({
      status: 'next',
    });
    const second = service.recoveryQuestion(profile, '+12015550123');
    if (second.status !== 'ask') throw new Error('expected a question');
    expect(second.number).toBe(2);
    expect(second.question.id).not.toBe(first.question.id);
    expect(await service.answerRecoveryQuestion(profile, answerOf(second.question.id), 'sms')).toEqual({ status: 'verified' });
    expect(JSON.stringify(profile)).not.toMatch(/rex|lyon|fiesta/i);

    const before = readOutbox(outbox.file).length;
    expect(await service.removeLostApps(profile, 'sms')).toEqual({ status: 'removed', apps: ['Microsoft Authenticator'] });
    expect(profile.methods.map((m) => m.kind).sort()).toEqual(['phone', 'securityQuestions']);
    expect(service.defaultMethod(profile)?.kind).toBe('phone');
    // The change is told on the registered phone; the recovery is spent.
    expect(
      readOutbox(outbox.file)
        .slice(before)
        .map((m) => m.body),
    ).toEqual([expect.stringContaining('authenticator app removed')]);
    expect(await service.removeLostApps(profile, 'sms')).toEqual({ status: 'notProven' });
  });

  it('gives no verdict before the last answer, counts a wrong set as one failure, and asks again', async () => {
    const { service, profile, outbox, clock } = await personWithLostApp();
    clock.advance(61_000);
    await service.startPhoneProof(profile, '+12015550123');
    await service.verifyCode(profile, lastTextedCode(outbox.file), 'sms');
    expect(service.recoveryQuestion(profile, '+12015550123').status).toBe('ask');
    expect(await service.answerRecoveryQuestion(profile, 'not it', 'sms')).toEqual({ status: 'next' }); // wrong, but not said yet
    const second = service.recoveryQuestion(profile, '+12015550123');
    if (second.status !== 'ask') throw new Error('expected a question');
    expect(await service.answerRecoveryQuestion(profile, answerOf(second.question.id), 'sms')).toEqual({ status: 'wrong' });
    expect(profile.throttle.consecutiveFailures).toBe(1);
    expect(await service.removeLostApps(profile, 'sms')).toEqual({ status: 'notProven' });
    expect(service.recoveryQuestion(profile, '+12015550123')).toMatchObject({ status: 'ask', number: 1 }); // a fresh pair
  });

  it('starts only from a code texted to the number and typed back by text, and goes on from that number only', async () => {
    const { service, profile, outbox, clock } = await personWithLostApp();
    // The phone was proven in Teams when it was added: that proves nothing about who is texting now.
    expect(service.recoveryQuestion(profile, '+12015550123')).toEqual({ status: 'notProven' });
    clock.advance(61_000);
    await service.startPhoneProof(profile, '+12015550123');
    await service.verifyCode(profile, lastTextedCode(outbox.file), 'sms');
    expect(service.recoveryQuestion(profile, '+12015550199')).toEqual({ status: 'notProven' });
    expect(service.recoveryQuestion(profile, '+12015550123')).toMatchObject({ status: 'ask' });
  });

  it('says what it still needs, and sends no code when nothing could be recovered', async () => {
    const { service, profile, outbox, clock } = await personWithLostApp();
    expect(service.recoveryNeeds(profile, '+19995550100')).toBe('phoneNotRegistered');
    expect(service.recoveryNeeds(profile, '+12015550123')).toBe('phoneProof');
    profile.methods = profile.methods.filter((m) => m.kind !== 'securityQuestions');
    expect(service.recoveryNeeds(profile, '+12015550123')).toBe('noQuestions');
    clock.advance(61_000);
    const sent = readOutbox(outbox.file).length;
    expect(await service.startPhoneProof(profile, '+12015550123')).toEqual({ status: 'notAllowed' });
    expect(readOutbox(outbox.file)).toHaveLength(sent);
    profile.methods = profile.methods.filter((m) => m.kind !== 'authenticatorApp');
    expect(service.recoveryNeeds(profile, '+12015550123')).toBe('noApp');
  });

  it('expires: proof of the phone is good for 15 minutes', async () => {
    const { service, profile, outbox, clock } = await personWithLostApp();
    clock.advance(61_000);
    await service.startPhoneProof(profile, '+12015550123');
    await service.verifyCode(profile, lastTextedCode(outbox.file), 'sms');
    clock.advance(15 * 60_000 + 1);
    expect(service.recoveryQuestion(profile, '+12015550123')).toEqual({ status: 'notProven' });
    expect(await service.answerRecoveryQuestion(profile, 'Rex', 'sms')).toEqual({ status: 'notProven' });
  });
});
