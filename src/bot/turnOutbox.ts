import { randomUUID } from 'node:crypto';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../kit/log';

/** What an activity held back is called until it is sent: the id a card's later replacement refers to. */
const PLACEHOLDER = 'held-activity:';

type Held = { readonly send: Partial<Activity>; readonly placeholder: string } | { readonly update: Partial<Activity> };

/**
 * Holds what a turn says (messages, and replacements of earlier cards) until
 * its state is saved: a turn that loses its save to another turn of the same
 * person is run again, and only the winner's words reach the chat.
 *
 * A held message gets a placeholder id, which a dialog may keep (to replace
 * the card later); `flush` sends, and says which real id each placeholder
 * became, for the state to be corrected.
 */
export class TurnOutbox {
  private held: Held[] = [];
  private holding = true;
  private count = 0;
  /** Unique to the turn: a placeholder left in a document by a turn whose renaming failed is never taken for another. */
  private readonly prefix = `${PLACEHOLDER}${randomUUID()}:`;

  constructor(
    private readonly context: TurnContext,
    private readonly log: Logger,
  ) {
    context.onSendActivities(async (_context, activities, next) => {
      if (!this.holding) return next();
      return activities.map((send): ResourceResponse => {
        const placeholder = `${this.prefix}${++this.count}`;
        this.held.push({ send, placeholder });
        return { id: placeholder };
      });
    });
    context.onUpdateActivity(async (_context, update, next) => {
      if (!this.holding) return next();
      this.held.push({ update });
    });
  }

  /** Forgets what this run said (it lost its save, and runs again). */
  discard(): void {
    this.held = [];
  }

  /** Stops holding without sending (the turn failed: what it said never happened; the error handler speaks for it). */
  release(): void {
    this.discard();
    this.holding = false;
  }

  /**
   * Sends what was held, in order; returns the real id of each placeholder a
   * message got. The turn is saved already: one activity the channel refuses
   * (a handoff event Teams does not take, a card some clients cannot replace,
   * a connector that fails) does not stop the others.
   */
  async flush(): Promise<Map<string, string>> {
    const held = this.held;
    this.release();
    const ids = new Map<string, string>();
    for (const item of held) {
      try {
        if ('send' in item) {
          const [response] = await this.context.sendActivities([item.send]);
          if (response?.id) ids.set(item.placeholder, response.id);
        } else {
          const id = item.update.id ?? '';
          await this.context.updateActivity({ ...item.update, id: ids.get(id) ?? id });
        }
      } catch (err) {
        const what = 'send' in item ? `a ${item.send.type ?? 'message'}` : 'a card replacement';
        this.log.warn({ err, channelId: this.context.activity.channelId }, `the channel refused ${what} of a saved turn`);
      }
    }
    return ids;
  }
}
