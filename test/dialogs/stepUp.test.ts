import { appCodeFor } from '../support/authenticatorApp';
import { cardText, choicesOf } from '../support/cards';
import { cardsOf, textsOf } from '../support/chat';
import { lastTextedCode, readOutbox } from '../support/outbox';
import { enrolled } from '../support/wizard';

/** A person who went through the wizard, then left their laptop unlocked for a quarter of an hour. */
async function enrolledAndAway() {
  const enrolment = await enrolled();
  enrolment.chat.clock.advanceMinutes(15);
  return enrolment;
}

describe('"First, prove it\'s you" before a change, in chat', () => {
  it('someone at the unlocked laptop who tries to add a method is asked for a proof, and without it nothing changes', async () => {
    const { chat } = await enrolledAndAway();
    await chat.send('security info');
    const replies = await chat.click('Add sign-in method');
    expect(textsOf(replies)).toEqual([]);
    const [prove] = cardsOf(replies);
    expect(cardText(prove)).toContain("First, prove it's you");
    expect(choicesOf(prove, 'proof')).toEqual([
      'A code from Microsoft Authenticator',
      'A text to your phone +1 ••• ••• 0123',
      'A Temporary Access Pass from the help desk',
    ]);
    const texts = readOutbox(chat.outbox.file).length;
    // A wrong app code proves nothing; Cancel goes back to the overview, unchanged.
    await chat.click('Next', { proof: choicesOf(prove, 'proof', 'value')[0]! });
    expect(textsOf(await chat.click('Next', { code: '000000' }))[0]).toMatch(/That code didn't work/);
    await chat.send('cancel');
    expect(readOutbox(chat.outbox.file)).toHaveLength(texts);
    const [overview] = cardsOf(await chat.send('security info'));
    expect(cardText(overview)).not.toContain('Choose a method');
  });

  it('a code from the registered app, then the change goes on where the person was', async () => {
    const { chat, uri } = await enrolledAndAway();
    await chat.send('security info');
    const [prove] = cardsOf(await chat.click('Add sign-in method'));
    await chat.click('Next', { proof: choicesOf(prove, 'proof', 'value')[0]! });
    const replies = await chat.click('Next', { code: appCodeFor(uri, chat.clock.now()) });
    expect(textsOf(replies)[0]).toMatch(/Thanks, that's you/);
    expect(cardText(cardsOf(replies)[0])).toContain('Add a method');
  });

  it('a code texted to the registered phone proves it too, and changing the default goes on', async () => {
    const { chat } = await enrolledAndAway();
    await chat.send('security info');
    const [prove] = cardsOf(await chat.click('Change default'));
    const sent = await chat.click('Next', { proof: choicesOf(prove, 'proof', 'value')[1]! });
    expect(cardText(cardsOf(sent)[0])).toContain('+1 ••• ••• 0123');
    const replies = await chat.click('Next', { code: lastTextedCode(chat.outbox.file) });
    expect(textsOf(replies)[0]).toMatch(/Thanks, that's you/);
    expect(cardText(cardsOf(replies)[0])).toContain('Change default method');
  });
});
