import type { AgentAction } from './agentAction';

/** The card's "Message user": a message to the person, claimed or not. */
export const message: AgentAction = async (desk, { context, ticket, agent, value }) => {
  const text = typeof value.message === 'string' ? value.message.trim().slice(0, 1000) : '';
  if (!text) {
    await context.sendActivity('Type a message first.');
    return;
  }
  if (await desk.relay.fromAgent(context, ticket, agent, text)) await desk.touch(ticket.id, 'messaged', agent.name);
};
