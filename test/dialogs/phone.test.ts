import { CallResults } from '../../src/bot/callResults';
import { createLogger } from '../../src/kit/log';
import { cardText, choicesOf, fact, matchNumberIn } from '../support/cards';
import { Chat, cardsOf, textsOf } from '../support/chat';
import { callTokenOf, lastCall, lastTextedCode, readOutbox } from '../support/outbox';
import { throughTheApp } from '../support/wizard';

/** The call webhooks as the HTTP routes run them, waking this chat. */
function callsFor(chat: Chat) {
  return new CallResults({
    state: chat.parts.state,
    service: chat.parts.service,
    log: createLogger('silent'),
    clock: chat.clock,
    wake: async () => {
      await chat.wake();
    },
  });
}

/** A new person through the app step (QR code, first code), up to the Phone card. */

const US_NUMBER = { country: 'US', number: '(201) 555-0123' };

describe('the whole seed wizard: app, then phone', () => {
  it('by text: the code from the text message registers the phone, and Success lists both', async () => {
    const chat = new Chat();
    const afterApp = (await throughTheApp(chat)).replies;
    expect(textsOf(afterApp)).toContain('Your code was accepted: Microsoft Authenticator is registered.');
    const [phone] = cardsOf(afterApp);
    expect(cardText(phone)).toContain('✓ App');
    expect(cardText(phone)).toContain('2 Phone');
    expect(cardText(phone)).toContain('What phone number would you like to use?');

    const [enterCode] = cardsOf(await chat.click('Next', { ...US_NUMBER, method: 'sms' }));
    expect(cardText(enterCode)).toContain('We just sent a 6 digit code to +1 ••• ••• 0123. Enter the code below.');
    expect(readOutbox(chat.outbox.file).at(-1)).toMatchObject({ channel: 'sms', to: '+12015550123' });

    const [registered] = cardsOf(await chat.click('Next', { code: lastTextedCode(chat.outbox.file) }));
    expect(cardText(registered)).toContain('SMS verified');
    expect(cardText(registered)).toContain('Your phone +1 ••• ••• 0123 was registered successfully.');

    const [success] = cardsOf(await chat.click('Next'));
    expect(cardText(success)).toContain('Success!');
    expect(cardText(success)).toContain('Default sign-in method:** Microsoft Authenticator – code');
    expect(fact(success, 'Phone')).toBe('+1 ••• ••• 0123');
    expect(fact(success, 'Authenticator app')).toBe('Microsoft Authenticator');
    expect(textsOf(await chat.click('Done'))[0]).toMatch(/You are all set/);
  });

  it('by call: entering the number the chat shows moves the chat on by itself to "Call answered"', async () => {
    const chat = new Chat();
    (await throughTheApp(chat)).replies;
    const [calling] = cardsOf(await chat.click('Next', { ...US_NUMBER, method: 'voice' }));
    expect(cardText(calling)).toContain("We're calling +1 ••• ••• 0123 now.");
    const call = lastCall(chat.outbox.file);
    expect(call.body).toMatch(/This is Contoso/);

    const before = chat.adapter.shown.length;
    expect(await callsFor(chat).keyPressed(callTokenOf(call), matchNumberIn(calling))).toEqual({ outcome: 'verified', language: 'en' });
    const woken = chat.adapter.shown.slice(before);
    expect(cardText(cardsOf(woken)[0])).toContain('Call answered');
    expect(cardText(cardsOf(await chat.click('Next'))[0])).toContain('Success!');
  });

  it('a call not answered, or answered with another key, is told in the chat with what to do next', async () => {
    const chat = new Chat();
    (await throughTheApp(chat)).replies;
    await chat.click('Next', { ...US_NUMBER, method: 'voice' });
    const calls = callsFor(chat);
    const before = chat.adapter.shown.length;
    await calls.callEnded(callTokenOf(lastCall(chat.outbox.file)), 'no-answer');
    expect(textsOf(chat.adapter.shown.slice(before))).toEqual([
      `The call wasn't answered. Choose "Call me again", or "Text me a code instead".`,
    ]);

    expect(textsOf(await chat.click('Call me again'))[0]).toMatch(/Please wait \d+ seconds/);
    chat.clock.advance(60_000);
    expect(textsOf(await chat.click('Call me again'))).toEqual(["We're calling +1 ••• ••• 0123 again."]);
    const mark = chat.adapter.shown.length;
    expect(await calls.keyPressed(callTokenOf(lastCall(chat.outbox.file)), '7')).toMatchObject({ outcome: 'wrongKey' });
    expect(textsOf(chat.adapter.shown.slice(mark))[0]).toMatch(/was not the one shown here/);

    chat.clock.advance(60_000);
    const [enterCode] = cardsOf(await chat.click('Text me a code instead'));
    expect(cardText(enterCode)).toContain('We just sent a 6 digit code');
    // Back from the code goes to the number, not to the call that was given up.
    expect(cardText(cardsOf(await chat.click('Back'))[0])).toContain('What phone number would you like to use?');
  });
});

describe('a phone first, through "I want to set up a different method"', () => {
  it('registers the phone, then the wizard asks for the app it still needs', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.click('Next');
    const [choose] = cardsOf(await chat.click('I want to set up a different method'));
    expect(choicesOf(choose, 'method')).toEqual([
      'Authenticator app',
      'Phone',
      'Alternate phone',
      'Office phone',
      'Email',
      'Security questions',
    ]);
    await chat.click('Next', { method: 'phone' });
    await chat.click('Next', { ...US_NUMBER, method: 'sms' });
    await chat.click('Next', { code: lastTextedCode(chat.outbox.file) });
    const [getTheApp] = cardsOf(await chat.click('Next'));
    expect(cardText(getTheApp)).toContain('Start by getting the app');
    expect(cardText(getTheApp)).toContain('✓ Phone');
  });
});

describe('bad input on the phone step', () => {
  async function atPhone() {
    const chat = new Chat();
    (await throughTheApp(chat)).replies;
    return chat;
  }

  it.each([
    ['letters', 'call me', "That doesn't look like a phone number."],
    ['30 digits', '1'.repeat(30), 'That number is too long.'],
    ['a number of another country', '+44 7400 123456', 'That number is from United Kingdom, but you chose United States.'],
    ['a premium-rate number', '900 555 0100', "That number can't be used"],
  ])('%s get the reason and nothing is sent', async (_what, number, reason) => {
    const chat = await atPhone();
    const replies = await chat.click('Next', { country: 'US', number, method: 'sms' });
    expect(textsOf(replies)[0]).toContain(reason);
    expect(cardsOf(replies)).toEqual([]);
    expect(readOutbox(chat.outbox.file)).toEqual([]);
  });

  it('an empty submit asks for the number; a landline cannot get a text but can be called', async () => {
    const chat = await atPhone();
    expect(textsOf(await chat.click('Next', { country: 'US', number: '  ', method: 'sms' }))).toEqual([
      'Type the phone number you want to use, then choose Next.',
    ]);
    expect(textsOf(await chat.click('Next', { country: 'GB', number: '020 7183 8750', method: 'sms' }))[0]).toMatch(/landline/);
    expect(cardText(cardsOf(await chat.click('Next', { country: 'GB', number: '020 7183 8750', method: 'voice' }))[0])).toContain(
      "We're calling +44 ••• ••• 8750 now.",
    );
  });

  it('a number typed as plain text is texted, in the default country', async () => {
    const chat = await atPhone();
    const [enterCode] = cardsOf(await chat.send('201 555 0123'));
    expect(cardText(enterCode)).toContain('+1 ••• ••• 0123');
  });

  it('resend waits for the cooldown and says how long; wrong codes count across resends; 5 of them send the person back', async () => {
    const chat = await atPhone();
    await chat.click('Next', { ...US_NUMBER, method: 'sms' });
    chat.clock.advance(15_000);
    expect(textsOf(await chat.click('Resend code'))).toEqual(['Please wait 45 seconds before asking for another code or call.']);
    const wrong = () => (lastTextedCode(chat.outbox.file) === '000000' ? '111111' : '000000');
    expect(textsOf(await chat.send(wrong()))[0]).toMatch(/4 tries left/);
    chat.clock.advance(45_000);
    expect(textsOf(await chat.click('Resend code'))).toEqual(['We sent a new code to +1 ••• ••• 0123.']);
    for (const left of ['3 tries', '2 tries', '1 try']) expect(textsOf(await chat.send(wrong()))[0]).toContain(`${left} left`);
    const replies = await chat.send(wrong());
    expect(textsOf(replies)[0]).toMatch(/Too many wrong codes/);
    expect(cardText(cardsOf(replies)[0])).toContain('What phone number would you like to use?');
  });

  it('after cancel, answering the old call registers nothing', async () => {
    const chat = await atPhone();
    await chat.click('Next', { ...US_NUMBER, method: 'voice' });
    await chat.send('cancel');
    const before = await chat.store.get('state', 'emulator:user-1');
    const shown = chat.adapter.shown.length;
    expect(await callsFor(chat).keyPressed(callTokenOf(lastCall(chat.outbox.file)), '#')).toMatchObject({ outcome: 'unknownCall' });
    // Nothing was written and no one was woken.
    expect((await chat.store.get('state', 'emulator:user-1'))?.etag).toBe(before?.etag);
    expect(chat.adapter.shown.length).toBe(shown);
    const doc = await chat.store.get<{ profile: { methods: Array<{ kind: string }> } }>('state', 'emulator:user-1');
    expect(doc?.value.profile.methods.map((m) => m.kind)).toEqual(['authenticatorApp']);
  });
});
