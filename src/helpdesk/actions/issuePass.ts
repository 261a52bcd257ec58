import { TurnContext } from 'botbuilder';
import type { VerificationService } from '../../verification/service';
import { HELP_DESK_VIA } from '../desk';
import { personName } from '../plainText';
import type { Ticket } from '../tickets';
import type { AgentAction } from './agentAction';

type IssuedPass = Awaited<ReturnType<VerificationService['issueAccessPass']>>;

const DEFAULT_MINUTES = 60;

const shownToAgent = (ticket: Ticket, issued: IssuedPass) =>
  `Temporary Access Pass for ${personName(ticket)} (ticket ${ticket.id}): ${issued.pass} (valid ${issued.lifetimeMinutes} minutes, ${issued.singleUse ? 'one use' : 'reusable until then'}). ` +
  'Give it to them after checking who they are (a call to a number on file, in person). They say "temporary access pass" to me in Teams and type it.';

/**
 * A Temporary Access Pass, shown once to the agent alone in a one-to-one
 * chat, never in the channel where everyone reads: it goes to the person by
 * a channel the agent trusts, never through the bot. It is issued inside
 * that chat, so a chat that cannot be opened leaves no pass behind.
 */
export const issuePass: AgentAction = async (desk, { context, ticket, agent, value }) => {
  const minutes = Number(value.lifetimeMinutes ?? DEFAULT_MINUTES);
  const request = {
    lifetimeMinutes: Number.isFinite(minutes) ? minutes : DEFAULT_MINUTES,
    singleUse: value.singleUse !== 'false',
    issuedBy: agent.name,
  };
  const outcome: { issued?: IssuedPass; shown?: NonNullable<Ticket['passMessage']>; failed?: boolean } = {};
  try {
    await desk.deps.reachPrivately(context.activity, async (privately) => {
      outcome.issued = await desk.changePerson(ticket, agent, 'Temporary Access Pass issued', (doc) =>
        doc.profile ? desk.deps.service.issueAccessPass(doc.profile, request, HELP_DESK_VIA) : undefined,
      );
      if (!outcome.issued) return;
      const sent = await privately.sendActivity(shownToAgent(ticket, outcome.issued));
      outcome.shown = {
        reference: TurnContext.getConversationReference(privately.activity),
        activityId: sent?.id ?? '',
        expiresAt: outcome.issued.expiresAt,
      };
    });
  } catch (err) {
    outcome.failed = true;
    desk.deps.log.warn({ err, ticket: ticket.id, issued: !!outcome.issued }, 'could not show a pass to the agent in a private chat');
  }
  if (!outcome.issued) {
    await context.sendActivity(
      outcome.failed
        ? 'I could not open a private chat with you, so no pass was issued. Open a chat with me, then try again.'
        : 'That person has no security info to issue a pass for.',
    );
    return;
  }
  if (!outcome.shown) {
    // Perhaps nobody saw it, perhaps the chat did after all: either way it must not stay valid unseen.
    await desk.changePerson(ticket, agent, 'Temporary Access Pass withdrawn (it could not be shown)', (doc) =>
      doc.profile ? desk.deps.service.withdrawAccessPass(doc.profile, agent.name, HELP_DESK_VIA) : undefined,
    );
    await context.sendActivity('I could not show you the pass in our private chat, so I withdrew it. Issue another one.');
    return;
  }
  const shown = outcome.shown;
  if (shown.activityId) {
    // Kept so that the pass leaves the agent's chat history once spent (used, expired or replaced).
    await desk.deps.tickets.update(ticket.id, (t) => {
      t.passMessage = shown;
      return true;
    });
  }
  await desk.touch(ticket.id, 'Temporary Access Pass issued', agent.name);
  await context.sendActivity(`${agent.name} issued a Temporary Access Pass for ${personName(ticket)}; it is in your private chat with me.`);
  await desk.relay.toPerson(ticket, 'helpDesk.passIssued');
};
