import type { Activity } from 'botbuilder';
import { t } from '../../src/kit/texts';
import { appCodeFor } from '../support/authenticatorApp';
import { cardText, imageOf } from '../support/cards';
import { Chat, cardsOf, textsOf } from '../support/chat';
import { lastTextedCode, readOutbox } from '../support/outbox';
import { decodeQrDataUri } from '../support/qr';
import { enrolled } from '../support/wizard';

/** The buttons offered under a reply ("Did you mean…?"). */
const buttonsOf = (replies: Partial<Activity>[]) => replies.flatMap((r) => r.suggestedActions?.actions.map((a) => a.title) ?? []);
const said = (replies: Partial<Activity>[]) => textsOf(replies).join('\n');
const TICKET = /I opened help-desk ticket HD-\d{6}-\w{4} for you/;

/** Enrolled (app and phone), a minute ago: past the resend cooldown, within the step-up. */
async function enrolledAWhileAgo() {
  const { chat } = await enrolled();
  chat.clock.advance(61_000);
  return chat;
}

/** Enrolled, with an email added too (a method that may be deleted). */
async function withEmail() {
  const chat = await enrolledAWhileAgo();
  await chat.send('security info');
  await chat.click('Add sign-in method');
  await chat.click('Next', { method: 'email' });
  await chat.click('Next', { address: 'adele@fabrikam.com' });
  const email = readOutbox(chat.outbox.file)
    .filter((e) => e.channel === 'email')
    .at(-1)!;
  await chat.click('Next', { code: /\b(\d{6})\b/.exec(email.body)![1]! });
  await chat.click('Next');
  return chat;
}

/** The wizard's QR code step: the card, and the code the app shows now. */
async function atTheQrCode() {
  const chat = new Chat();
  await chat.open();
  await chat.click('Next');
  await chat.click('Next');
  await chat.click('Next');
  const uri = decodeQrDataUri(String(imageOf(chat.lastCard())!.url));
  return { chat, code: () => appCodeFor(uri, chat.clock.now()) };
}

/** The wizard's phone step, the app done. */
async function atThePhoneStep() {
  const { chat, code } = await atTheQrCode();
  await chat.click('Next', { code: code() });
  return chat;
}

describe('what people write in their own words', () => {
  it('when someone writes "I want to talk to a person", a ticket opens', async () => {
    const chat = new Chat();
    await chat.open();
    expect(said(await chat.send('I want to talk to a person'))).toMatch(TICKET);
  });

  it('"esto no funciona, necesito ayuda" opens a ticket too, answered in Spanish from then on', async () => {
    const chat = new Chat();
    await chat.open();
    expect(said(await chat.send('esto no funciona, necesito ayuda'))).toMatch(
      /Abrí el ticket HD-\d{6}-\w{4} del servicio de ayuda para ti/,
    );
  });

  it('"can someone call me" with nothing running opens a ticket', async () => {
    const chat = new Chat();
    await chat.open();
    await chat.send('cancel');
    expect(said(await chat.send('can someone call me'))).toMatch(TICKET);
  });

  it.each([
    'I talked to a person at the help desk yesterday',
    "no need to call me, i'm fine",
    'delete the message i just sent you',
    'I lost my car keys',
  ])('a sentence that means something else opens no ticket and deletes nothing: "%s"', async (text) => {
    const chat = await withEmail();
    await chat.send('security info');
    const replies = await chat.send(text);
    expect(said(replies)).not.toMatch(/ticket/);
    expect(cardsOf(replies).map(cardText).join('\n')).not.toMatch(/Delete .*\?/);
    expect(buttonsOf(replies)).not.toContain('I lost my authenticator app');
  });

  it('a sentence nothing understands gets the screen\'s choices, help and the help desk: never "I didn\'t get that" alone', async () => {
    const chat = new Chat();
    await chat.open();
    const replies = await chat.send('blue elephant');
    expect(textsOf(replies)).toEqual([
      'Sorry, I didn\'t get that. Choose one of these (click it or type its number):\n1. Next\n2. I need help\nSay "help" to see what I can do, or "help desk" to reach a person.',
    ]);
    expect(buttonsOf(replies)).toEqual(['Help', 'Help desk']);
  });

  it('below the threshold, the two likeliest meanings are offered as buttons, and each does what its meaning does', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    const offer = await chat.send('i upgraded my phone last week');
    expect(textsOf(offer)[0]).toMatch(/^Did you mean "I lost my phone" or "I have a new phone number"\?\nOr choose one of these/);
    expect(buttonsOf(offer)).toEqual(['I lost my phone', 'I have a new phone number']);
    // The second button changes the phone, as "I have a new number" does.
    const [phoneStep] = cardsOf(await chat.send('I have a new phone number'));
    expect(cardText(phoneStep)).toContain('Phone');
    expect(cardText(phoneStep)).toContain('You can prove who you are by answering a call on your phone or getting a code by text.');
  });

  it('"remove my email" goes straight to deleting the email: the consequences are asked about first', async () => {
    const chat = await withEmail();
    await chat.send('security info');
    const [ask] = cardsOf(await chat.send('remove my email'));
    expect(cardText(ask)).toContain('Delete Email?');
    const deleted = await chat.click('Delete');
    expect(textsOf(deleted)[0]).toMatch(/^Your security info changed: email deleted\./);
  });

  it('with nothing running, "quiero borrar mi metodo de correo" goes to deleting the email too', async () => {
    const chat = await withEmail();
    await chat.send('cancel');
    const [ask] = cardsOf(await chat.send('quiero borrar mi metodo de correo'));
    expect(cardText(ask)).toContain('Delete Email?');
  });

  it('"do not delete my email" deletes nothing', async () => {
    const chat = await withEmail();
    await chat.send('security info');
    const replies = await chat.send('do not delete my email');
    expect(cardsOf(replies).map(cardText).join('\n')).not.toContain('Delete Email?');
    expect(buttonsOf(replies)).not.toContain('Delete a method');
  });

  it('"delete a method" without saying which shows manage mode and asks which one', async () => {
    const chat = await withEmail();
    const replies = await chat.send('delete a method');
    expect(textsOf(replies)).toEqual(['Which one? Choose "Delete" next to it:']);
    expect(cardText(cardsOf(replies)[0])).toContain('Your security info is set up');
  });

  it('"change my email" opens the email step for a new address', async () => {
    const chat = await withEmail();
    const [step] = cardsOf(await chat.send('i need to change my email address'));
    expect(cardText(step)).toContain('Email');
  });

  it('"I have a new number" changes the phone; on its step, "my new number is (201) 555-0188" texts a code to that number', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('i have a new number');
    await chat.send('my new number is (201) 555-0188');
    expect(lastTextedCode(chat.outbox.file, '+12015550188')).toMatch(/^\d{6}$/);
  });

  it('in the wizard, a phone number typed in a sentence fills the phone step', async () => {
    const chat = await atThePhoneStep();
    const replies = await chat.send('sure, it is 201-555-0142');
    expect(cardText(cardsOf(replies)[0])).toContain('+1 ••• ••• 0142');
    expect(lastTextedCode(chat.outbox.file, '+12015550142')).toMatch(/^\d{6}$/);
  });

  it.each([
    ['with a space', (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`],
    ['with a dash', (code: string) => `${code.slice(0, 3)}-${code.slice(3)}`],
    ['in a sentence', (code: string) => `ok the code is ${code.slice(0, 3)} ${code.slice(3)}`],
  ])('a code typed %s is a code', async (_how, typed) => {
    const { chat, code } = await atTheQrCode();
    const replies = await chat.send(typed(code()));
    expect(cardText(cardsOf(replies)[0])).toContain('Phone');
  });

  it('a code typed where none is asked is never read for meaning nor kept in the journal', async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    const replies = await chat.send('482 913');
    expect(textsOf(replies)[0]).toMatch(/^Sorry, I didn't get that\. Choose one of these/);
    const doc = await chat.store.get<{ journal: Array<{ text: string }> }>('state', 'emulator:user-1');
    expect(JSON.stringify(doc?.value.journal)).not.toMatch(/482/);
  });

  it('"my code doesn\'t work" on the code step: clock and time-zone advice, then a fresh code or the help desk', async () => {
    const chat = await atThePhoneStep();
    await chat.click('Next', { country: 'US', number: '201 555 0123', method: 'sms' });
    const advice = await chat.send("my code doesn't work");
    expect(textsOf(advice)).toEqual([t('en', 'advice.code')]);
    expect(buttonsOf(advice)).toEqual(['Resend code', 'Help desk']);
    chat.clock.advance(61_000);
    expect(textsOf(await chat.send('Resend code'))).toEqual(['We sent a new code to +1 ••• ••• 0123.']);
  });

  it('"I lost my phone": what to do, with security info and the help desk as buttons', async () => {
    const chat = await enrolledAWhileAgo();
    const replies = await chat.send('I lost my phone');
    expect(textsOf(replies)).toEqual([t('en', 'advice.lostPhone')]);
    expect(buttonsOf(replies)).toEqual(['Security info', 'Help desk']);
  });

  it('"I lost my authenticator app": the help desk, who can issue a pass', async () => {
    const chat = await enrolledAWhileAgo();
    const replies = await chat.send('i accidentally deleted the authenticator app');
    expect(textsOf(replies)[0]).toBe(t('en', 'advice.lostApp'));
    expect(said(replies)).toMatch(TICKET);
  });

  it('"the help desk gave me a pass" opens the pass step', async () => {
    const chat = new Chat();
    await chat.open();
    const [step] = cardsOf(await chat.send('the help desk gave me a pass'));
    expect(cardText(step)).toMatch(/Temporary Access Pass/);
  });

  it('"can we speak spanish": from then on, Spanish, starting with the screen in front of them', async () => {
    const chat = new Chat();
    await chat.open();
    const replies = await chat.send('can we speak spanish');
    expect(textsOf(replies)).toEqual([t('es', 'language.changed')]);
    expect(cardText(cardsOf(replies)[0])).toMatch(/Se necesita más información/);
  });

  it('help, cancel and start over in other words do what the words do', async () => {
    const chat = new Chat();
    await chat.open();
    expect(textsOf(await chat.send('what can you do for me'))[0]).toMatch(/^I help you set up your security info/);
    expect(textsOf(await chat.send("let's start from scratch"))[0]).toBe('OK, starting over.');
    expect(textsOf(await chat.send("forget it, i'll do this later"))).toEqual([
      'OK, I stopped. Anything you finished is kept. Say "start" when you want to continue.',
    ]);
  });

  it("a screen's own buttons win over what a text could mean", async () => {
    const chat = await enrolledAWhileAgo();
    await chat.send('security info');
    // "Delete Phone" is a button of manage mode: typed, it is that button (here refused: the phone is required).
    expect(textsOf(await chat.send('Delete Phone'))).toEqual([
      "You can't delete your only phone: your organization requires one to sign in. Add another one first, then delete this one.",
    ]);
  });
});
