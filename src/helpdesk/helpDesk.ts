import { type Activity, ActivityTypes, TurnContext } from 'botbuilder';
import type { PersonDocument } from '../state/personState';
import { AGENT_ACTIONS } from './actions';
import type { Agent, HelpDeskDeps } from './deps';
import { Desk } from './desk';
import { escalate } from './escalation';
import { repostStale, retireSpentPasses } from './sweeps';
import type { Ticket } from './tickets';

export type { HelpDeskDeps, Reach, ReachPrivately } from './deps';

/**
 * The help desk, on the bot's side: tickets opened from any chat (asked for,
 * or after a lockout) with a handoff event; each posted as a card into the
 * help-desk Teams channel and to a webhook; agents' clicks (claim, message,
 * re-registration, Temporary Access Pass, close) checked against the agent
 * list, handled by actions/ and audited; messages relayed both ways while a
 * ticket is claimed.
 */
export class HelpDesk {
  private readonly desk: Desk;

  constructor(deps: HelpDeskDeps) {
    this.desk = new Desk(deps);
  }

  /** Whether an activity comes from the help-desk channel (a ticket's thread, or the channel itself). */
  isHelpDeskConversation(activity: Partial<Activity>): boolean {
    return this.desk.channel.isHelpDeskConversation(activity);
  }

  /** Opens a ticket for the turn's person (or points to the one open) and says what happens next. */
  escalate(context: TurnContext, reason: Ticket['reason']): Promise<void> {
    return escalate(this.desk, context, reason);
  }

  /**
   * A person's message while an agent is with them goes to the agent, not to
   * the dialogs ("end chat" ends that). Returns whether it was relayed.
   */
  relayFromPerson(context: TurnContext, doc: PersonDocument, isCommand: (text: string) => boolean): Promise<boolean> {
    return this.desk.relay.fromPerson(context, doc, isCommand);
  }

  /** An activity in the help-desk channel: a click on a ticket card, or an agent writing in a ticket's thread. */
  async onAgentActivity(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message) return;
    const agent: Agent = { id: activity.from?.aadObjectId ?? '', name: activity.from?.name || 'An agent' };
    const value = activity.value && typeof activity.value === 'object' ? (activity.value as Record<string, unknown>) : undefined;
    const name = typeof value?.action === 'string' ? value.action : undefined;
    const action = name ? AGENT_ACTIONS.get(name) : undefined;
    if (!this.desk.deps.agentIds.includes(agent.id)) {
      // Anyone may read the channel; only the configured agents may act or speak to people.
      this.desk.deps.log.warn(
        { agent: agent.id || 'unknown', action: action ? name : 'message' },
        'help-desk action by someone who is not an agent refused',
      );
      if (value || mentionsBot(activity)) await context.sendActivity('Only help-desk agents can act on tickets.');
      return;
    }
    if (!value) {
      const text = TurnContext.removeRecipientMention(activity as Activity)?.trim() ?? '';
      if (text) await this.desk.relay.fromThread(context, agent, text);
      return;
    }
    const ticket = typeof value.ticket === 'string' ? await this.desk.deps.tickets.get(value.ticket) : undefined;
    if (!ticket || !action) {
      await context.sendActivity('That ticket card is not one I know.');
      return;
    }
    if (ticket.state === 'closed') {
      await context.sendActivity(`Ticket ${ticket.id} is closed.`);
      return;
    }
    await action(this.desk, { context, ticket, agent, value });
  }

  /** Posts again the tickets nobody claimed for `repostMinutes`, and tells their people. */
  repostStale(): Promise<number> {
    return repostStale(this.desk);
  }

  /** Takes each spent Temporary Access Pass out of the agent's private chat. Returns how many were taken back. */
  retireSpentPasses(): Promise<number> {
    return retireSpentPasses(this.desk);
  }
}

function mentionsBot(activity: Partial<Activity>): boolean {
  return (activity.entities ?? []).some((e) => e.type === 'mention' && e.mentioned?.id === activity.recipient?.id);
}
