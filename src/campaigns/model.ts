import { z } from 'zod';
import { METHOD_KINDS, type MethodKind } from '../verification/policy';

/**
 * A registration campaign as an admin writes it (the API's JSON and the CLI's
 * YAML share this schema) and as the store keeps it (docs/campaigns.md).
 */

const HOUR_MINUTE = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Typed before measured: zod runs a length check even on a value of the wrong
 * type, and a JSON `{ "length": { "toString": null } }` makes it throw.
 */
const text = (max: number) => z.string().pipe(z.string().trim().min(1).max(max));
function list<T extends z.ZodType>(item: T, max: number, min = 0) {
  return z.array(item).superRefine((value, ctx) => {
    if (!Array.isArray(value)) return;
    if (value.length < min) ctx.addIssue({ code: 'custom', message: min === 1 ? 'must not be empty' : `must hold at least ${min}` });
    if (value.length > max) ctx.addIssue({ code: 'custom', message: `must hold at most ${max}` });
  });
}
const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date and time, like 2026-12-01T09:00:00Z' });

export const campaignSpecSchema = z
  .object({
    name: text(120),
    roles: list(text(40), 50).default([]),
    groups: list(text(120), 200).default([]),
    exclude: list(z.string().trim().toLowerCase().pipe(z.email()), 10_000).default([]),
    methods: list(z.enum(METHOD_KINDS, { message: `must be among ${METHOD_KINDS.join(', ')}` }), METHOD_KINDS.length, 1),
    startsAt: isoInstant,
    deadline: isoInstant,
    /** Days a "Not now" puts the next contact off (0–14, as Entra's snooze). */
    snoozeDays: z.number().int().min(0).max(14).default(1),
    /** How many "Not now" a person has (as Entra's limited snoozes); after the last, the next contact says it is required. */
    maxSnoozes: z.number().int().min(0).max(10).default(3),
    channels: list(z.enum(['teams', 'sms'], { message: 'must be "teams" or "sms"' }), 2, 1).default(['teams']),
    /** No contact between these local times, in the person's time zone (else `timeZone`). */
    quietHours: z
      .object({ from: z.string().regex(HOUR_MINUTE, 'must be HH:MM'), to: z.string().regex(HOUR_MINUTE, 'must be HH:MM') })
      .strict()
      .default({ from: '20:00', to: '08:00' }),
    /** The time zone of people the directory gives none. */
    timeZone: z
      .string()
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone, like Europe/Paris')
      .default('UTC'),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (Date.parse(spec.deadline) <= Date.parse(spec.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'must be after startsAt' });
    }
    if (spec.roles.length === 0 && spec.groups.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: 'give roles, groups or both: whom the campaign is for' });
    }
  });

export type CampaignSpec = z.output<typeof campaignSpecSchema>;

/** The first problem of a spec, naming its field: `deadline: must be after startsAt`. */
export function specProblem(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  return { field, message: `${field}: ${issue.message}` };
}

/** What an admin set: active (scheduled, running or past its deadline), paused, stopped. */
export type StoredState = 'active' | 'paused' | 'stopped';
/** What the campaign is doing now, from its stored state and the clock. */
export type CampaignState = 'scheduled' | 'running' | 'paused' | 'stopped' | 'ended';

export interface Campaign {
  readonly id: string;
  readonly spec: CampaignSpec;
  state: StoredState;
  readonly createdAt: number;
  readonly createdBy: string;
  /** How many people it targeted when it started. */
  targeted: number;
}

export function campaignState(campaign: Campaign, now: number): CampaignState {
  if (campaign.state !== 'active') return campaign.state;
  if (now < Date.parse(campaign.spec.startsAt)) return 'scheduled';
  return now >= Date.parse(campaign.spec.deadline) ? 'ended' : 'running';
}

export type Channel = 'teams' | 'sms';

/**
 * One targeted person in one campaign: where they are, and when the queue
 * contacts them next. The queue is these records: a record is due when
 * `nextAt` has passed (docs/campaigns.md).
 */
export interface OutreachRecord {
  readonly campaignId: string;
  readonly upn: string;
  /** Their place in the directory: the order people are contacted in at the same time. */
  readonly order: number;
  /** Contacts sent so far; the next contact is step `step`. */
  step: number;
  /** When the next contact is due; absent, none is. */
  nextAt?: number;
  reachedAt?: number;
  reachedBy?: Channel;
  openedAt?: number;
  completedAt?: number;
  snoozes: number;
  snoozedUntil?: number;
  unreachableAt?: number;
  /** Channels that cannot reach them (Teams without the app installed, a number that said STOP): not tried again. */
  unreachableBy?: Channel[];
  /** Sends that failed for a reason other than the person (5xx, time-outs): retried a few times. */
  failures: number;
  lastContactAt?: number;
  /** The cards whose clicks were acted on (a click repeated is acted on once). */
  actedCards?: string[];
}

/** What a person is in a campaign, for counts and the report. */
export type OutreachStatus = 'completed' | 'unreachable' | 'snoozed' | 'opened' | 'reached' | 'notReached';

export function outreachStatus(record: OutreachRecord, met: boolean): OutreachStatus {
  if (met || record.completedAt !== undefined) return 'completed';
  if (record.unreachableAt !== undefined) return 'unreachable';
  if (record.snoozes > 0) return 'snoozed';
  if (record.openedAt !== undefined) return 'opened';
  return record.reachedAt !== undefined ? 'reached' : 'notReached';
}

export type { MethodKind };
