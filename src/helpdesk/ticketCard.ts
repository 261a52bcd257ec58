import { type Activity, ActivityTypes, CardFactory } from 'botbuilder';
import type { CardRenderer } from '../presentation/cards';
import { asPlainText } from './plainText';
import type { Ticket } from './tickets';

const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16);

/** The ticket as a card in the help-desk channel: who, why, their methods (masked), their last steps, and the agents' buttons. */
export function ticketCard(cards: CardRenderer, ticket: Ticket, reminder = false): Partial<Activity> {
  const rendered = cards.render('ticket', {
    ...ticket,
    // What the person (or their client) chose to be called: shown as words, never as a link or formatting.
    displayName: asPlainText(ticket.displayName),
    upn: asPlainText(ticket.upn),
    reminder,
    opened: `${when(ticket.createdAt)} UTC`,
    reasonText: ticket.reason === 'locked' ? 'Locked out after failed verifications' : 'Asked for a person',
    channelText: ticket.channel === 'sms' ? "SMS (a text can be sent in anyone's name: check who they are before you act)" : ticket.channel,
    agentName: ticket.agent?.name ?? '',
    methodsText: ticket.methods.length > 0 ? ticket.methods.join('\n\n') : 'none',
    policyText: `Sign-in: ${ticket.policy.mfaMet ? 'met' : 'not met'} · Password reset: ${ticket.policy.ssprMet ? 'met' : 'not met'}${ticket.policy.locked ? ' · locked' : ''}`,
    steps: ticket.recent.slice(-8).map((s) => `${s.from === 'bot' ? 'Bot' : 'Person'}: ${s.text}`),
  });
  return { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(rendered.card)] };
}
