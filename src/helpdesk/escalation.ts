import { type Activity, ActivityTypes, EventFactory, type Transcript, type TurnContext } from 'botbuilder';
import { type Language, t } from '../kit/texts';
import { onceInTurn } from '../kit/turnReplay';
import { methodRows } from '../presentation/labels';
import { sendHeldNotices } from '../presentation/notices';
import { languageOf } from '../state/personState';
import type { SecurityInfoProfile } from '../verification/profile';
import type { Desk } from './desk';
import type { Ticket } from './tickets';

/** Opens a ticket for the turn's person (or points to the one open) and says what happens next. */
export async function escalate(desk: Desk, context: TurnContext, reason: Ticket['reason']): Promise<void> {
  const { state, tickets } = desk.deps;
  const doc = state.get(context);
  const profile = doc.profile;
  if (!profile) return;
  const language = languageOf(context);
  const open = doc.helpDesk ? await tickets.get(doc.helpDesk.ticketId) : undefined;
  if (open && open.state !== 'closed') {
    // Back to the agent after "end chat" (or a command that paused the chat).
    if (open.state === 'claimed') doc.helpDesk = { ticketId: open.id, live: true };
    await context.sendActivity(`${t(language, 'helpDesk.openAlready', { id: open.id })} ${whatNext(desk, open, language)}`);
    return;
  }
  // One ticket, posted once, however often the turn runs (its save may lose to another turn of the person's).
  const ticket = await onceInTurn(`ticket for ${state.idOf(context)}`, async () => {
    const opened = await tickets.create({
      personId: state.idOf(context),
      upn: profile.upn,
      displayName: profile.displayName,
      reason,
      channel: context.activity.channelId,
      ...describe(desk, profile),
      recent: (doc.journal ?? []).slice(-10),
    });
    await desk.record(profile, opened, `opened (${reason})`, 'escalation', context.activity.channelId);
    await desk.channel.post(opened);
    await desk.webhook.notify('ticket.opened', opened);
    return opened;
  });
  doc.helpDesk = { ticketId: ticket.id, live: false };
  await sendHandoff(desk, context, ticket);
  const opened = t(language, reason === 'locked' ? 'helpDesk.openedLocked' : 'helpDesk.opened', { id: ticket.id });
  await context.sendActivity(`${opened} ${whatNext(desk, ticket, language)}`);
}

/** Where their security info stands, masked: what an agent needs to know before acting. */
function describe(desk: Desk, profile: SecurityInfoProfile): Pick<Ticket, 'methods' | 'policy'> {
  const { service } = desk.deps;
  const status = service.policyStatus(profile);
  return {
    // For the agents: in English.
    methods: methodRows(profile, 'en').map((r) => `${r.label}: ${r.detail}`),
    policy: { mfaMet: status.mfa.met, ssprMet: status.sspr.met, locked: !!service.lockStatus(profile) },
  };
}

function whatNext(desk: Desk, ticket: Ticket, language: Language): string {
  const { channel, webhookUrl, contact } = desk.deps;
  if (!channel && !webhookUrl) return t(language, 'helpDesk.contact', { contact });
  if (ticket.state !== 'claimed') return t(language, 'helpDesk.willWrite');
  return ticket.agent ? t(language, 'helpDesk.agentOnIt', { agent: ticket.agent.name }) : t(language, 'helpDesk.anAgentOnIt');
}

/** botbuilder's handoff event, with the last steps as its transcript (no secret is ever in them). */
async function sendHandoff(desk: Desk, context: TurnContext, ticket: Ticket): Promise<void> {
  const transcript: Transcript = {
    activities: ticket.recent.map(
      (step) =>
        ({
          type: ActivityTypes.Message,
          text: step.text,
          timestamp: new Date(step.at),
          from: step.from === 'bot' ? context.activity.recipient : context.activity.from,
        }) as Activity,
    ),
  };
  const handoff = EventFactory.createHandoffInitiation(context, { ticketId: ticket.id, reason: ticket.reason }, transcript);
  // What was said before goes out first, on its own: a refused handoff event must not take it along.
  await sendHeldNotices(context);
  try {
    await context.sendActivity(handoff);
  } catch (err) {
    // Channels without a handoff (Teams) may refuse the event: the ticket stands regardless.
    desk.deps.log.debug({ err, channelId: context.activity.channelId }, 'the channel refused the handoff event');
  }
}
