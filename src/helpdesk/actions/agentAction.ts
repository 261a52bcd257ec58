import type { TurnContext } from 'botbuilder';
import type { Agent } from '../deps';
import type { Desk } from '../desk';
import type { Ticket } from '../tickets';

/** An agent's click on a ticket card, on a ticket that is not closed. */
export interface AgentTurn {
  readonly context: TurnContext;
  readonly ticket: Ticket;
  readonly agent: Agent;
  /** The card's inputs. */
  readonly value: Readonly<Record<string, unknown>>;
}

export type AgentAction = (desk: Desk, turn: AgentTurn) => Promise<void>;

/**
 * Only the agent who claimed a ticket may change the person's sign-in (a
 * pass, a re-registration): the one who spoke with them and checked who they
 * are. Anyone else is told so, and nothing changes.
 */
export function byClaimingAgent(action: AgentAction): AgentAction {
  return async (desk, turn) => {
    const { ticket, agent, context } = turn;
    if (ticket.state === 'claimed' && ticket.agent?.id === agent.id) return action(desk, turn);
    await context.sendActivity(
      `Only the agent who claimed ticket ${ticket.id} can issue a pass or require re-registration: ${ticket.agent ? `${ticket.agent.name} has it.` : 'claim it first.'}`,
    );
  };
}
