import type { TurnContext } from 'botbuilder';
import { looksLikeCodeOrPass } from '../conversation/codeOrPass';
import { END_CHAT, HELP_DESK } from '../conversation/words';
import { DEFAULT_LANGUAGE, type TextValues, t } from '../kit/texts';
import { onceInTurn } from '../kit/turnReplay';
import { languageOf, type PersonDocument } from '../state/personState';
import type { Agent, HelpDeskDeps } from './deps';
import { asPlainText, personName } from './plainText';
import type { TeamsChannel } from './teamsChannel';
import type { Ticket } from './tickets';

/** What a person says to stop a live chat with an agent. */

/** Told to a person whose message was kept from the agent. */
/** Told to an agent whose message was kept from the person. */
const KEPT_FROM_PERSON =
  'That looks like a code or a pass, so I did not pass it on: a code or a pass never goes through me. Give a pass by a channel you trust.';

/**
 * Messages between a person and the agent who claimed their ticket: the
 * person's chat (or texts) on one side, the ticket's channel thread on the
 * other. Nothing shaped like a code or a pass crosses, either way.
 */
export class Relay {
  constructor(
    private readonly deps: Pick<HelpDeskDeps, 'tickets' | 'state' | 'reach' | 'log'>,
    private readonly channel: TeamsChannel,
  ) {}

  /**
   * A person's message while an agent is with them goes to the agent, not to
   * the dialogs ("end chat" ends that). Returns whether it was relayed.
   */
  async fromPerson(context: TurnContext, doc: PersonDocument, isCommand: (text: string) => boolean): Promise<boolean> {
    const text = (context.activity.text ?? '').trim();
    if (!doc.helpDesk?.live || !text || context.activity.value) return false;
    const ticket = await this.deps.tickets.get(doc.helpDesk.ticketId);
    if (ticket?.state !== 'claimed') {
      doc.helpDesk = ticket && ticket.state !== 'closed' ? { ticketId: ticket.id, live: false } : undefined;
      return false;
    }
    if (END_CHAT.test(text)) {
      doc.helpDesk.live = false;
      await this.sayOnce(ticket, `${personName(ticket)} ended the chat. The ticket stays open until you close it.`);
      await context.sendActivity(t(languageOf(context), 'helpDesk.backWithMe', { id: ticket.id }));
      return true;
    }
    if (isCommand(text)) {
      // A command is for the bot: the chat with the agent pauses (so a code or a pass typed next reaches the bot, not the channel).
      if (!HELP_DESK.test(text)) {
        doc.helpDesk.live = false;
        const quoted = looksLikeCodeOrPass(text, ticket.id) ? '' : ` ("${asPlainText(text.slice(0, 40))}")`;
        await this.sayOnce(ticket, `${personName(ticket)} went back to the assistant${quoted}.`);
      }
      return false;
    }
    if (looksLikeCodeOrPass(text, ticket.id)) {
      await context.sendActivity(t(languageOf(context), 'helpDesk.keptFromAgent'));
      return true;
    }
    const via = ticket.channel === 'sms' ? ' (by text: the sender of a text can be forged)' : '';
    await this.sayOnce(ticket, `**${personName(ticket)}${via}:** ${asPlainText(text)}`);
    return true;
  }

  /** Within a person's turn, a line in the thread is said once, however often the turn runs. */
  private sayOnce(ticket: Ticket, text: string): Promise<void> {
    return onceInTurn(`thread ${ticket.id} ${text}`, () => this.channel.say(ticket, text));
  }

  /** An agent writing in a ticket's thread: to its person, once the ticket is claimed. */
  async fromThread(context: TurnContext, agent: Agent, text: string): Promise<void> {
    const ticket = await this.deps.tickets.byThread(context.activity.conversation?.id ?? '');
    if (!ticket) return;
    if (ticket.state !== 'claimed') {
      await context.sendActivity(ticket.state === 'open' ? 'Claim the ticket to chat with the person.' : 'This ticket is closed.');
      return;
    }
    await this.fromAgent(context, ticket, agent, text);
  }

  /** An agent's words to the ticket's person. Returns whether they went (the agent is told when they did not). */
  async fromAgent(context: TurnContext, ticket: Ticket, agent: Agent, text: string): Promise<boolean> {
    if (looksLikeCodeOrPass(text, ticket.id)) {
      await context.sendActivity(KEPT_FROM_PERSON);
      return false;
    }
    await this.toPerson(ticket, 'helpDesk.fromAgent', { agent: agent.name, text });
    return true;
  }

  /** A proactive message in the chat the person asked from. */
  /** Says something to the ticket's person, in their language: a text of the catalogs (`key`) with its values. */
  async toPerson(ticket: Ticket, key: string, values?: TextValues): Promise<void> {
    const doc = await this.deps.state.read(ticket.personId);
    const reference = doc?.conversations[ticket.channel];
    if (!reference) return;
    const text = t(doc.language ?? DEFAULT_LANGUAGE, key, values);
    await this.deps
      .reach(reference, async (context) => {
        await context.sendActivity(text);
      })
      .catch((err) => this.deps.log.warn({ err, ticket: ticket.id }, 'could not reach the person'));
  }
}
