import { appCodeFor } from '../support/authenticatorApp';
import { cardOf, cardText, imageOf, nodes } from '../support/cards';
import { appOnlyPolicy, Chat } from '../support/chat';
import { decodeQrDataUri } from '../support/qr';

describe('what the bot says just before a card', () => {
  it('is shown at the top of that card, as one message', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    await chat.open();
    await chat.click('Next');
    await chat.click('Next');
    await chat.click('Next');
    const uri = decodeQrDataUri(String(imageOf(chat.lastCard())!.url));
    const replies = await chat.click('Next', { code: appCodeFor(uri, chat.clock.now()) });
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0])!;
    const [first] = card.body as Array<Record<string, unknown>>;
    expect(first).toMatchObject({ type: 'Container', id: 'notices' });
    expect(cardText(first)).toBe('Your code was accepted: Microsoft Authenticator is registered.');
    expect(cardText(card)).toContain('Success!');
    expect(nodes(card).filter((n) => n.id === 'notices')).toHaveLength(1);
  });

  it('goes out as a message of its own when no card follows', async () => {
    const chat = new Chat();
    await chat.open();
    const replies = await chat.send('help');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/^I help you set up your security info/);
    expect(replies[0]!.attachments ?? []).toEqual([]);
  });

  it('such as "no longer active" with the current step, after a click on an old card', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    const [welcome] = await chat.open();
    await chat.click('Next');
    const replies = await chat.click('Next', {}, cardOf(welcome));
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0])!;
    expect(cardText((card.body as Array<Record<string, unknown>>)[0])).toBe('That card is no longer active. Here is where you are:');
    expect(cardText(card)).toContain('Start by getting the app');
  });
});
