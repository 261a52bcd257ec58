import { TurnReplay, withTurnReplay } from '../kit/turnReplay';
import type { PersonDocument } from '../state/personState';
import type { Via } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import type { Agent, HelpDeskDeps } from './deps';
import { Relay } from './relay';
import { TeamsChannel } from './teamsChannel';
import type { Ticket } from './tickets';
import { TicketWebhook } from './webhook';

/** The help desk as the verification service sees it: its agents are proven by their Teams token and the agent list. */
export const HELP_DESK_VIA: Via = { channel: 'helpdesk', verifiedSender: true };

/**
 * What every part of the help desk works with: its settings and ports, the
 * Teams channel, the webhook, the relay, and the steps each ticket change
 * takes (the person's document, the history, the audit log).
 */
export class Desk {
  readonly channel: TeamsChannel;
  readonly webhook: TicketWebhook;
  readonly relay: Relay;

  constructor(readonly deps: HelpDeskDeps) {
    this.channel = new TeamsChannel(deps);
    this.webhook = new TicketWebhook(deps.webhookUrl, deps.log);
    this.relay = new Relay(deps, this.channel);
  }

  /**
   * Changes the person's document (as a webhook would) and audits the
   * agent's action. Their security info changes only through the
   * verification service, called from `change`.
   */
  async changePerson<T>(
    ticket: Ticket,
    agent: Agent,
    what: string,
    change: (doc: PersonDocument) => Promise<T | undefined> | T | undefined,
  ): Promise<T | undefined> {
    // A change read again after a conflict does its irreversible effects once (audit, notices).
    const updated = await withTurnReplay(new TurnReplay(this.deps.clock.now()), () => this.deps.state.update(ticket.personId, change));
    const profile = updated?.doc.profile;
    if (profile) await this.record(profile, ticket, `${what} by ${agent.name}`, 'admin.action', HELP_DESK_VIA.channel);
    return updated?.result;
  }

  /** Adds an event to the ticket's history, and tells the webhook. */
  async touch(id: string, event: string, by: string): Promise<void> {
    const ticket = await this.deps.tickets.update(id, (t) => {
      t.history.push({ at: this.deps.clock.now(), event, by });
      return true;
    });
    if (ticket) await this.webhook.notify('ticket.updated', ticket);
  }

  /** Shows a ticket's new state: its card in the channel, and the webhook. */
  async publish(ticket: Ticket): Promise<void> {
    await this.channel.refresh(ticket);
    await this.webhook.notify('ticket.updated', ticket);
  }

  async record(
    profile: SecurityInfoProfile,
    ticket: Ticket,
    detail: string,
    event: 'escalation' | 'admin.action',
    via: string,
  ): Promise<void> {
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      userId: profile.userId,
      upn: profile.upn,
      event,
      result: 'success',
      via,
      detail: `ticket ${ticket.id} ${detail}`,
    });
  }
}
