import { personName } from '../plainText';
import type { AgentAction } from './agentAction';

/** The agent takes the ticket: the person's chat goes live with them, and the card says who has it. */
export const claim: AgentAction = async (desk, { context, ticket, agent }) => {
  const claimed = await desk.deps.tickets.update(ticket.id, (t) => {
    if (t.state !== 'open') return false;
    t.state = 'claimed';
    t.agent = agent;
    t.history.push({ at: desk.deps.clock.now(), event: 'claimed', by: agent.name });
    return true;
  });
  if (!claimed) {
    await context.sendActivity(`Ticket ${ticket.id} was claimed by ${ticket.agent?.name ?? 'someone else'} already.`);
    return;
  }
  await desk.changePerson(claimed, agent, 'claimed', (doc) => {
    doc.helpDesk = { ticketId: claimed.id, live: true };
    return true;
  });
  await desk.publish(claimed);
  await desk.relay.toPerson(claimed, 'helpDesk.claimed', { agent: agent.name, id: claimed.id });
  await context.sendActivity(`You claimed ${claimed.id}. Write in this thread to talk to ${personName(claimed)}.`);
};
