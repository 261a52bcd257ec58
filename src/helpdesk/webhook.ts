import type { Logger } from '../kit/log';
import type { Ticket } from './tickets';

export type TicketEvent = 'ticket.opened' | 'ticket.updated';

/** POSTs each ticket, and each change of its state, as JSON to another help-desk tool (`HELPDESK_WEBHOOK_URL`). */
export class TicketWebhook {
  constructor(
    private readonly url: string | undefined,
    private readonly log: Logger,
  ) {}

  /** Never throws: the ticket stands whether or not the other tool heard of it. */
  async notify(type: TicketEvent, ticket: Ticket): Promise<void> {
    if (!this.url) return;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, ticket }),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) this.log.warn({ status: response.status, ticket: ticket.id }, 'the help-desk webhook refused a ticket');
    } catch (err) {
      this.log.warn({ err, ticket: ticket.id }, 'could not reach the help-desk webhook');
    }
  }
}
