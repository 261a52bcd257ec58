import type { DirectoryEntry } from '../state/directory';
import { METHOD_KINDS, type MethodKind, MFA_KINDS, type Policy, SSPR_KINDS } from '../verification/policy';
import type { SecurityInfoProfile } from '../verification/profile';
import { defaultMethod, isComplete, policyStatus } from '../verification/rules';
import { type Campaign, campaignState, type OutreachRecord, type OutreachStatus, outreachStatus } from './model';
import { meetsCampaign } from './targeting';

/**
 * What the dashboard and the registration report read: each person's status,
 * counts per campaign, role and method. Pure functions over the directory,
 * the profiles and the records (docs/campaigns.md has the definitions).
 */

export const PERSON_STATUSES = ['registered', 'inProgress', 'snoozed', 'notReached', 'unreachable'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** One directory person with what is known of them. */
export interface PersonView {
  readonly entry: DirectoryEntry;
  readonly profile?: SecurityInfoProfile;
  /** Their record in each campaign that targeted them, newest campaign first. */
  readonly records: ReadonlyArray<{ readonly campaign: Campaign; readonly record: OutreachRecord }>;
}

export interface CampaignCounts {
  targeted: number;
  reached: number;
  opened: number;
  completed: number;
  snoozed: number;
  unreachable: number;
}

/** The profile judged under the directory's role (the source of roles). */
function underRole(view: PersonView): SecurityInfoProfile | undefined {
  return view.profile && { ...view.profile, role: view.entry.role };
}

/**
 * A person's status, the first that holds: registered (their role's policy
 * is met, or with a method filter, they have those methods), snoozed, in
 * progress (a method registered or a card opened), unreachable, not reached.
 */
export function personStatus(policy: Policy, view: PersonView, methods: readonly MethodKind[] = []): PersonStatus {
  const profile = underRole(view);
  const registered = methods.length > 0 ? meetsCampaign(methods, profile) : !!profile && isComplete(policy, profile);
  if (registered) return 'registered';
  const statuses = view.records.map(({ campaign, record }) => outreachStatus(record, meetsCampaign(campaign.spec.methods, profile)));
  if (statuses.includes('snoozed')) return 'snoozed';
  if ((profile?.methods.length ?? 0) > 0 || statuses.includes('opened')) return 'inProgress';
  if (statuses.length > 0 && statuses.every((s) => s === 'unreachable')) return 'unreachable';
  return 'notReached';
}

/** A campaign's counts: targeted, reached and opened count everyone who ever was; completed, snoozed and unreachable are where people are now. */
export function campaignCounts(
  campaign: Campaign,
  records: readonly OutreachRecord[],
  profileOf: (upn: string) => SecurityInfoProfile | undefined,
): CampaignCounts {
  const counts: CampaignCounts = { targeted: records.length, reached: 0, opened: 0, completed: 0, snoozed: 0, unreachable: 0 };
  for (const record of records) {
    if (record.reachedAt !== undefined) counts.reached++;
    if (record.openedAt !== undefined) counts.opened++;
    const status: OutreachStatus = outreachStatus(record, meetsCampaign(campaign.spec.methods, profileOf(record.upn)));
    if (status === 'completed') counts.completed++;
    if (status === 'snoozed') counts.snoozed++;
    if (status === 'unreachable') counts.unreachable++;
  }
  return counts;
}

/** When a person's security info last changed: their newest method. */
function lastChange(profile: SecurityInfoProfile | undefined): number | undefined {
  const times = (profile?.methods ?? []).map((m) => m.addedAt);
  return times.length > 0 ? Math.max(...times) : undefined;
}

export interface SummaryFilters {
  readonly role?: string;
  readonly group?: string;
  readonly method?: MethodKind;
}

export interface SummaryInputs {
  readonly policy: Policy;
  readonly now: number;
  readonly people: readonly PersonView[];
  readonly campaigns: ReadonlyArray<{ readonly campaign: Campaign; readonly counts: CampaignCounts }>;
  readonly filters: SummaryFilters;
  readonly tickets: { readonly open: number; readonly claimed: number };
  readonly queue: {
    readonly pending: number;
    readonly sentLastHour: number;
    readonly ratePerMinute: number;
    readonly retryAfterUntil?: number;
  };
}

/** Days of completions the dashboard charts. */
const COMPLETION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

function emptyStatuses(): Record<PersonStatus, number> {
  return { registered: 0, inProgress: 0, snoozed: 0, notReached: 0, unreachable: 0 };
}

/** `GET /api/admin/summary`: the dashboard's numbers, for the people the filters keep. */
export function summarise(inputs: SummaryInputs) {
  const { policy, filters, now } = inputs;
  const methods = filters.method ? [filters.method] : [];
  const inScope = (view: PersonView) =>
    (!filters.role || view.entry.role === filters.role) &&
    (!filters.group || (view.entry.groups ?? []).some((g) => g.toLowerCase() === filters.group!.toLowerCase()));
  const people = inputs.people.filter(inScope);
  const byStatus = emptyStatuses();
  const byRole = new Map<string, Record<PersonStatus, number>>();
  const byMethod = new Map<MethodKind, number>((filters.method ? [filters.method] : METHOD_KINDS).map((kind) => [kind, 0]));
  const completions = new Map<string, number>();
  const firstDay = now - (COMPLETION_DAYS - 1) * DAY_MS;
  for (let day = 0; day < COMPLETION_DAYS; day++) completions.set(new Date(firstDay + day * DAY_MS).toISOString().slice(0, 10), 0);
  for (const view of people) {
    const status = personStatus(policy, view, methods);
    byStatus[status]++;
    const role = byRole.get(view.entry.role) ?? emptyStatuses();
    role[status]++;
    byRole.set(view.entry.role, role);
    for (const kind of new Set(view.profile?.methods.map((m) => m.kind) ?? [])) {
      if (byMethod.has(kind)) byMethod.set(kind, byMethod.get(kind)! + 1);
    }
    const changed = lastChange(view.profile);
    if (status === 'registered' && changed !== undefined) {
      const day = new Date(changed).toISOString().slice(0, 10);
      if (completions.has(day)) completions.set(day, completions.get(day)! + 1);
    }
  }
  const campaigns = inputs.campaigns.filter(({ campaign }) => !filters.method || campaign.spec.methods.includes(filters.method));
  return {
    generatedAt: new Date(now).toISOString(),
    filters: {
      roles: Object.keys(policy.roles),
      groups: [...new Set(inputs.people.flatMap((v) => v.entry.groups ?? []))].sort(),
      methods: [...METHOD_KINDS],
    },
    applied: { role: filters.role ?? null, group: filters.group ?? null, method: filters.method ?? null },
    people: {
      total: people.length,
      byStatus,
      byRole: [...byRole].map(([role, counts]) => ({ role, ...counts })),
      byMethod: [...byMethod].map(([method, count]) => ({ method, count })),
    },
    campaigns: campaigns.map(({ campaign, counts }) => ({
      id: campaign.id,
      name: campaign.spec.name,
      state: campaignState(campaign, now),
      deadline: campaign.spec.deadline,
      counts,
    })),
    completions: [...completions].map(([day, count]) => ({ day, count })),
    tickets: inputs.tickets,
    queue: {
      pending: inputs.queue.pending,
      sentLastHour: inputs.queue.sentLastHour,
      ratePerMinute: inputs.queue.ratePerMinute,
      retryAfterUntil:
        inputs.queue.retryAfterUntil !== undefined && inputs.queue.retryAfterUntil > now
          ? new Date(inputs.queue.retryAfterUntil).toISOString()
          : null,
    },
  };
}

/** The report's columns: those of Entra's "User registration details" that apply, then ours. */
export const REGISTRATION_COLUMNS = [
  'userPrincipalName',
  'userDisplayName',
  'role',
  'isAdmin',
  'methodsRegistered',
  'userPreferredMethodForSecondaryAuthentication',
  'isMfaRegistered',
  'isMfaCapable',
  'isSsprRegistered',
  'isSsprCapable',
  'lastUpdatedDateTime',
  'status',
  'campaign',
  'campaignStatus',
  'snoozesUsed',
  'lastContactedDateTime',
] as const;

/** One row per person: method kinds only, never a number, an address or a secret. */
export function registrationRow(policy: Policy, view: PersonView): Record<(typeof REGISTRATION_COLUMNS)[number], string> {
  const profile = underRole(view);
  const kinds = [...new Set(profile?.methods.map((m) => m.kind) ?? [])];
  const status = profile ? policyStatus(policy, profile) : undefined;
  const latest = view.records[0];
  const changed = lastChange(profile);
  // Capable: registered a method of the kind, and the person's policy is met with it (Entra's columns).
  const mfaRegistered = kinds.some((k) => MFA_KINDS.includes(k));
  return {
    userPrincipalName: view.entry.upn,
    userDisplayName: view.entry.displayName,
    role: view.entry.role,
    isAdmin: String(view.entry.role === 'admin'),
    methodsRegistered: kinds.join(';'),
    userPreferredMethodForSecondaryAuthentication: (profile && defaultMethod(profile)?.kind) ?? '',
    isMfaRegistered: String(mfaRegistered),
    isMfaCapable: String(mfaRegistered && !!status?.mfa.met),
    isSsprRegistered: String(kinds.some((k) => SSPR_KINDS.includes(k))),
    isSsprCapable: String(!!status?.sspr.met),
    lastUpdatedDateTime: changed !== undefined ? new Date(changed).toISOString() : '',
    status: personStatus(policy, view),
    campaign: latest ? `${latest.campaign.spec.name} (${latest.campaign.id})` : '',
    campaignStatus: latest ? outreachStatus(latest.record, meetsCampaign(latest.campaign.spec.methods, profile)) : '',
    snoozesUsed: latest ? String(latest.record.snoozes) : '',
    lastContactedDateTime: latest?.record.lastContactAt !== undefined ? new Date(latest.record.lastContactAt).toISOString() : '',
  };
}

/** A CSV cell: quoted when it must be, and never read as a formula by a spreadsheet (=, +, -, @ at the start). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
