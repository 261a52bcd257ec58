import type { CampaignSpec, OutreachRecord } from './model';

/**
 * When people are contacted: the first contact at the start, reminders at set
 * points before the deadline, a snooze's delay, and never in the person's
 * quiet hours. Pure functions of the campaign, the record and the time.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Reminders go this many days before the deadline (docs/campaigns.md). */
export const REMINDER_DAYS = [7, 3, 1] as const;
/** Two contacts are at least this far apart (a reminder point right after a contact is skipped). */
export const MIN_GAP_MS = 12 * HOUR_MS;

/** The next reminder point after a contact at `after`, or undefined when the deadline leaves none. */
export function nextReminder(spec: Pick<CampaignSpec, 'deadline'>, after: number): number | undefined {
  const deadline = Date.parse(spec.deadline);
  return REMINDER_DAYS.map((days) => deadline - days * DAY_MS).find((at) => at >= after + MIN_GAP_MS && at < deadline);
}

/** Snoozes a person may still use. */
export function snoozesLeft(spec: Pick<CampaignSpec, 'maxSnoozes'>, record: Pick<OutreachRecord, 'snoozes'>): number {
  return Math.max(0, spec.maxSnoozes - record.snoozes);
}

export type SnoozeOutcome =
  /** Snoozed: the next contact comes at `nextAt` (absent: none before the deadline), with `left` snoozes after this one. */
  | { readonly snoozed: true; readonly nextAt?: number; readonly left: number }
  /** No snooze left: it is required now. */
  | { readonly snoozed: false };

/**
 * "Not now": the next contact comes `snoozeDays` later (0: at the next
 * reminder point), never after the deadline's last reminder; after the last
 * snooze, none is left and the next contact says it is required.
 */
export function snooze(
  spec: Pick<CampaignSpec, 'deadline' | 'snoozeDays' | 'maxSnoozes'>,
  record: OutreachRecord,
  now: number,
): SnoozeOutcome {
  if (snoozesLeft(spec, record) === 0) return { snoozed: false };
  const deadline = Date.parse(spec.deadline);
  const later = spec.snoozeDays > 0 ? now + spec.snoozeDays * DAY_MS : nextReminder(spec, now);
  // A snooze past the deadline ends on the day before it, the last reminder.
  const lastCall = deadline - DAY_MS;
  const nextAt = later === undefined ? undefined : later < lastCall ? later : lastCall > now ? lastCall : undefined;
  return { snoozed: true, nextAt, left: snoozesLeft(spec, record) - 1 };
}

/** The local hour and minute at `at` in `timeZone`, as minutes since midnight. */
function localMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * `at`, or the end of the quiet hours when `at` falls inside them in the
 * person's time zone (a window may run over midnight: 20:00–08:00).
 */
export function outsideQuietHours(spec: Pick<CampaignSpec, 'quietHours'>, timeZone: string, at: number): number {
  const from = minutesOf(spec.quietHours.from);
  const to = minutesOf(spec.quietHours.to);
  if (from === to) return at;
  const now = localMinutes(at, timeZone);
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return at;
  const wait = (to - now + 24 * 60) % (24 * 60);
  // To the start of the minute the quiet hours end (seconds dropped).
  return at - (at % 60_000) + wait * 60_000;
}
