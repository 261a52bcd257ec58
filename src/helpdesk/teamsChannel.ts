import { type Activity, ActivityTypes, type ConversationReference, TextFormatTypes } from 'botbuilder';
import type { HelpDeskDeps } from './deps';
import { ticketCard } from './ticketCard';
import type { Ticket } from './tickets';

/** The conversation id Teams gives the thread under a channel post: where agents answer a ticket. */
export function threadOf(channelId: string, postId: string): string {
  return `${channelId};messageid=${postId}`;
}

/** The help-desk Teams channel: each ticket a card there, and a thread under it where agents talk. */
export class TeamsChannel {
  constructor(private readonly deps: Pick<HelpDeskDeps, 'reach' | 'channel' | 'appId' | 'cards' | 'tickets' | 'log'>) {}

  /** Whether an activity comes from the help-desk channel (a ticket's thread, or the channel itself). */
  isHelpDeskConversation(activity: Partial<Activity>): boolean {
    const channel = this.deps.channel?.conversationId;
    const id = activity.conversation?.id ?? '';
    return !!channel && activity.channelId === 'msteams' && (id === channel || id.startsWith(`${channel};`));
  }

  /** Posts the ticket's card (a new thread) and remembers where, so replies in that thread find the ticket. */
  async post(ticket: Ticket, reminder = false): Promise<void> {
    const channel = this.deps.channel;
    if (!channel) return;
    let activityId: string | undefined;
    try {
      await this.deps.reach(this.reference(channel.conversationId), async (context) => {
        activityId = (await context.sendActivity(ticketCard(this.deps.cards, ticket, reminder)))?.id;
      });
    } catch (err) {
      this.deps.log.error({ err, ticket: ticket.id }, 'could not post the ticket to the help-desk channel');
      return;
    }
    if (!activityId) return;
    const post = { conversationId: channel.conversationId, activityId };
    await this.deps.tickets.rememberThread(threadOf(post.conversationId, post.activityId), ticket.id);
    ticket.post = post;
    await this.deps.tickets.update(ticket.id, (t) => {
      t.post = post;
      t.postedAs = [...(t.postedAs ?? []), post.activityId];
      return true;
    });
  }

  /** Replaces the ticket's card with its current state. */
  async refresh(ticket: Ticket): Promise<void> {
    const post = ticket.post;
    if (!post) return;
    await this.deps
      .reach(this.reference(post.conversationId), async (context) => {
        await context.updateActivity({ ...ticketCard(this.deps.cards, ticket), id: post.activityId });
      })
      .catch((err) => this.deps.log.warn({ err, ticket: ticket.id }, 'could not update the ticket card'));
  }

  /**
   * Writes in the ticket's thread, as Markdown: anything in `text` that
   * someone else wrote must have gone through asPlainText.
   */
  async say(ticket: Ticket, text: string): Promise<void> {
    if (!ticket.post) return;
    await this.deps
      .reach(this.reference(threadOf(ticket.post.conversationId, ticket.post.activityId)), async (context) => {
        await context.sendActivity({ type: ActivityTypes.Message, text, textFormat: TextFormatTypes.Markdown });
      })
      .catch((err) => this.deps.log.warn({ err, ticket: ticket.id }, 'could not write in the ticket thread'));
  }

  private reference(conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl: this.deps.channel!.serviceUrl,
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
      bot: { id: this.deps.appId ? `28:${this.deps.appId}` : 'security-info-assistant', name: 'Security info' },
    };
  }
}
