import { HELP_DESK_VIA } from '../desk';
import { personName } from '../plainText';
import type { AgentAction } from './agentAction';

/** The person's authenticator apps and phones go (by the verification service), so they set them up again. */
export const reregister: AgentAction = async (desk, { context, ticket, agent }) => {
  const removed = await desk.changePerson(ticket, agent, 're-registration required', async (doc) =>
    doc.profile ? desk.deps.service.requireReregistration(doc.profile, agent.name, HELP_DESK_VIA) : undefined,
  );
  await desk.touch(ticket.id, 're-registration required', agent.name);
  const kinds = (removed ?? []).map((m) => m.kind).join(', ') || 'nothing (no app or phone was registered)';
  await context.sendActivity(`Removed from ${personName(ticket)}'s security info: ${kinds}.`);
  await desk.relay.toPerson(ticket, 'helpDesk.reregister');
};
