import { type Activity, TestAdapter, type TurnContext } from 'botbuilder';
import { TurnOutbox } from '../../src/bot/turnOutbox';
import { createLogger } from '../../src/kit/log';

/** A channel that refuses events (as Teams refuses a handoff) and keeps every message it takes. */
class RefusingEvents extends TestAdapter {
  readonly taken: Partial<Activity>[] = [];
  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]) {
    if (activities.some((a) => a.type === 'event')) throw new Error('event refused');
    this.taken.push(...activities);
    return super.sendActivities(context, activities);
  }
}

describe('what a turn says, held until it is saved', () => {
  it('goes out in order once flushed; an activity the channel refuses does not stop the rest', async () => {
    const adapter = new RefusingEvents(async (context) => {
      const outbox = new TurnOutbox(context, createLogger('silent'));
      const shown = await context.sendActivity('I opened help-desk ticket HD-1.');
      await context.sendActivity({ type: 'event', name: 'handoff.initiate' });
      await context.sendActivity('A help-desk agent will write to you here.');
      expect(adapter.taken).toEqual([]);
      expect(shown?.id).toMatch(/^held-activity:/);
      const ids = await outbox.flush();
      expect(adapter.taken.map((a) => a.text)).toEqual(['I opened help-desk ticket HD-1.', 'A help-desk agent will write to you here.']);
      expect(ids.get(shown!.id)).toBeDefined();
    });
    await adapter.send('help desk');
  });

  it('says nothing of a run that is discarded, and passes straight through once released', async () => {
    const adapter = new RefusingEvents(async (context) => {
      const outbox = new TurnOutbox(context, createLogger('silent'));
      await context.sendActivity('from a run that lost its save');
      outbox.discard();
      await context.sendActivity('from the run that won');
      await outbox.flush();
      await context.sendActivity('after the turn');
    });
    await adapter.send('hi');
    expect(adapter.taken.map((a) => a.text)).toEqual(['from the run that won', 'after the turn']);
  });
});
