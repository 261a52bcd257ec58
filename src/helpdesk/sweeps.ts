import { ActivityTypes } from 'botbuilder';
import type { Desk } from './desk';
import { personName } from './plainText';

/** Reminders for a ticket nobody claims (each also tells the person); after them, the ticket waits quietly. */
const MAX_REMINDERS = 3;

/** Posts again the tickets nobody claimed for `repostMinutes`, and tells their people. Returns how many. */
export async function repostStale(desk: Desk): Promise<number> {
  const { tickets, clock, repostMinutes, contact } = desk.deps;
  const now = clock.now();
  let reposted = 0;
  for (const candidate of await tickets.unclaimedSince(now - repostMinutes * 60_000)) {
    const reminders = candidate.history.filter((h) => h.event === 'reposted').length;
    if (reminders >= MAX_REMINDERS) continue;
    // Conditional: of two instances sweeping at once, one reposts.
    const ticket = await tickets.update(candidate.id, (t) => {
      if (t.state !== 'open' || t.lastPostedAt !== candidate.lastPostedAt) return false;
      t.lastPostedAt = now;
      t.history.push({ at: now, event: 'reposted' });
      return true;
    });
    if (!ticket) continue;
    reposted += 1;
    await desk.channel.post(ticket, true);
    await desk.webhook.notify('ticket.updated', ticket);
    const last = reminders + 1 === MAX_REMINDERS;
    await desk.relay.toPerson(ticket, last ? 'helpDesk.stillWaitingUrgent' : 'helpDesk.stillWaiting', { id: ticket.id, contact });
  }
  return reposted;
}

/**
 * Takes each spent Temporary Access Pass (used, expired, or replaced by a
 * newer one) out of the agent's private chat: the message that showed it now
 * says it is no longer valid. Returns how many were taken back.
 */
export async function retireSpentPasses(desk: Desk): Promise<number> {
  const { tickets, state, clock, reach } = desk.deps;
  const now = clock.now();
  let retired = 0;
  for (const ticket of await tickets.withPassMessages()) {
    const shown = ticket.passMessage!;
    const pass = (await state.read(ticket.personId))?.profile?.accessPass;
    if (pass && pass.expiresAt === shown.expiresAt && now < shown.expiresAt) continue;
    await reach(shown.reference, async (context) => {
      await context.updateActivity({
        id: shown.activityId,
        type: ActivityTypes.Message,
        text: `The Temporary Access Pass for ${personName(ticket)} (ticket ${ticket.id}) is no longer valid: used, expired or replaced.`,
      });
    });
    await tickets.update(ticket.id, (t) => {
      if (t.passMessage?.activityId !== shown.activityId) return false;
      t.passMessage = undefined;
      return true;
    });
    retired += 1;
  }
  return retired;
}
