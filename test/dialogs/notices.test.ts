import { type Activity, CardFactory, InputHints, TestAdapter } from 'botbuilder';
import { holdNotices, sendHeldNotices } from '../../src/presentation/notices';
import { cardOf, cardText, nodes } from '../support/cards';
import { appOnlyPolicy, Chat } from '../support/chat';
import { throughTheApp } from '../support/wizard';

describe('what the bot says just before a card', () => {
  it('is shown at the top of that card, as one message', async () => {
    const chat = new Chat({ policy: appOnlyPolicy });
    const { replies } = await throughTheApp(chat);
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

describe('held texts sent on their own', () => {
  it('go out at once, before a send whose failure is tolerated, and do not join the next card', async () => {
    const sent: Array<Partial<Activity>[]> = [];
    const adapter = new TestAdapter(async (context) => {
      const notices = holdNotices(context);
      await context.sendActivity('Verification is locked.');
      expect(sent).toEqual([]);
      await sendHeldNotices(context);
      expect(sent.map((batch) => batch.map((a) => a.text))).toEqual([['Verification is locked.']]);
      await context.sendActivity({ type: 'event', name: 'handoff.initiate' });
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [] })] });
      await notices.close();
    });
    const send = adapter.sendActivities.bind(adapter);
    adapter.sendActivities = async (context, activities) => {
      sent.push(activities);
      return send(context, activities);
    };
    await adapter.send('hi');
    expect(sent.map((batch) => batch.map((a) => a.type))).toEqual([['message'], ['event'], ['message']]);
    expect(cardOf(sent[2]![0])!.body).toEqual([]);
  });
});

describe('on a channel without cards', () => {
  it('what is said before a screen becomes its first lines, in one message', async () => {
    const sent: Array<Partial<Activity>> = [];
    const adapter = new TestAdapter(async (context) => {
      const notices = holdNotices(context);
      await context.sendActivity('Your phone +1 *** *** 0142 is registered.');
      await context.sendActivity('Contoso security info\nReply with a number:', undefined, InputHints.ExpectingInput);
      await context.sendActivity('OK.');
      await notices.close();
    });
    const send = adapter.sendActivities.bind(adapter);
    adapter.sendActivities = async (context, activities) => {
      sent.push(...activities);
      return send(context, activities);
    };
    await adapter.send('1');
    expect(sent.map((a) => a.text)).toEqual([
      'Your phone +1 *** *** 0142 is registered.\nContoso security info\nReply with a number:',
      'OK.',
    ]);
  });
});
