import { type Activity, ActivityTypes, CardFactory, InputHints, type TurnContext } from 'botbuilder';
import type { Logger } from '../kit/log';
import type { RenderedCard } from './cards';

/** Channels that show text only; every other channel gets Adaptive Cards. */
const TEXT_ONLY_CHANNELS = new Set(['sms']);

export function supportsCards(channelId: string): boolean {
  return !TEXT_ONLY_CHANNELS.has(channelId);
}

/**
 * Channel differences in how a screen reaches a person: a card where cards
 * show, its text rendering elsewhere; cards replaced in place where the
 * channel allows updates.
 */
export class ChannelPresenter {
  constructor(private readonly log: Logger) {}

  async present(context: TurnContext, rendered: RenderedCard): Promise<string | undefined> {
    if (!supportsCards(context.activity.channelId)) {
      // A screen waits for the person's answer (what was said just before it joins it: see notices.ts).
      await context.sendActivity(rendered.text, undefined, InputHints.ExpectingInput);
      return undefined;
    }
    const response = await context.sendActivity({
      type: ActivityTypes.Message,
      attachments: [CardFactory.adaptiveCard(rendered.card)],
    });
    return response?.id;
  }

  async replace(context: TurnContext, activityId: string, rendered: RenderedCard): Promise<void> {
    if (!supportsCards(context.activity.channelId)) return;
    const update: Partial<Activity> = {
      id: activityId,
      type: ActivityTypes.Message,
      attachments: [CardFactory.adaptiveCard(rendered.card)],
    };
    try {
      await context.updateActivity(update);
    } catch (err) {
      // Some clients (Direct Line, Web Chat) cannot update: the old card stays, but it no longer works.
      this.log.warn({ err, channelId: context.activity.channelId }, 'could not replace a card');
    }
  }
}
