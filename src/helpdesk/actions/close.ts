import type { AgentAction } from './agentAction';

/** The ticket is done: the person's chat with the agent ends, and they are told. */
export const close: AgentAction = async (desk, { context, ticket, agent }) => {
  const closed = await desk.deps.tickets.update(ticket.id, (t) => {
    t.state = 'closed';
    t.history.push({ at: desk.deps.clock.now(), event: 'closed', by: agent.name });
    return true;
  });
  if (!closed) return;
  await desk.changePerson(closed, agent, 'closed', (doc) => {
    if (doc.helpDesk?.ticketId !== closed.id) return undefined;
    doc.helpDesk = undefined;
    return true;
  });
  await desk.publish(closed);
  await desk.relay.toPerson(closed, 'helpDesk.closed', { agent: agent.name, id: closed.id });
  await context.sendActivity(`Ticket ${closed.id} is closed.`);
};
