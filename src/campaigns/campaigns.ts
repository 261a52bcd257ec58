import type { Logger } from '../kit/log';
import type { Language } from '../kit/texts';
import type { CardRenderer } from '../presentation/cards';
import type { Directory } from '../state/directory';
import type { Aliases } from '../storage/aliases';
import type { DocumentStore } from '../storage/store';
import type { Policy } from '../verification/policy';
import type { AuditLog, Clock, DeliveryResult, Random } from '../verification/ports';
import type { SecurityInfoProfile } from '../verification/profile';
import { CampaignBook } from './book';
import { answerCampaignCard, type CampaignSubmit, type CardAnswer } from './cardActions';
import { type Campaign, type CampaignSpec, type CampaignState, campaignState, type OutreachRecord } from './model';
import type { TeamsSender } from './ports';
import { Profiles } from './profiles';
import { type QueuePass, SendQueue, type SendRates } from './queue';
import {
  type CampaignCounts,
  campaignCounts,
  csvCell,
  type PersonView,
  REGISTRATION_COLUMNS,
  registrationRow,
  type SummaryFilters,
  summarise,
} from './report';
import { meetsCampaign, targetsOf } from './targeting';

export interface CampaignsDeps {
  readonly store: DocumentStore;
  readonly aliases: Pick<Aliases, 'personOfUpn'>;
  readonly directory: Directory;
  readonly policy: Policy;
  readonly cards: CardRenderer;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly audit: AuditLog;
  readonly orgName: string;
  readonly rates: SendRates;
  readonly teams?: TeamsSender;
  readonly sendSms: (to: string, body: string) => Promise<DeliveryResult>;
  readonly defaultTenantId?: string;
  /** Help-desk tickets open and claimed, for the dashboard. */
  readonly tickets: () => Promise<{ open: number; claimed: number }>;
}

export type CampaignAction = 'pause' | 'resume' | 'stop';

export type ActionResult =
  | { readonly ok: true; readonly campaign: Campaign }
  | { readonly ok: false; readonly status: 404 | 409; readonly error: string };

/** A campaign as the API shows it. */
export interface CampaignView {
  readonly id: string;
  readonly name: string;
  readonly state: CampaignState;
  readonly startsAt: string;
  readonly deadline: string;
  readonly methods: readonly string[];
  readonly counts: CampaignCounts;
}

/** Which stored states an action leaves, and the one it reaches. */
const TRANSITIONS: Record<CampaignAction, { from: readonly Campaign['state'][]; to: Campaign['state'] }> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  stop: { from: ['active', 'paused'], to: 'stopped' },
};

/**
 * Registration campaigns (docs/campaigns.md): started by an admin (the API or
 * the CLI), they reach each targeted person who lacks the campaign's methods
 * through the send queue, answer the card's clicks, and report. Every admin
 * action is audited under `campaign:<id>`.
 */
export class Campaigns {
  readonly book: CampaignBook;
  private readonly profiles: Profiles;
  private readonly queue: SendQueue;
  /** Directory UPNs by Entra object id, made on first use. */
  private byObjectId?: Map<string, string>;

  constructor(private readonly deps: CampaignsDeps) {
    this.book = new CampaignBook(deps.store, deps.clock, deps.random);
    this.profiles = new Profiles(deps.store, deps.aliases);
    this.queue = new SendQueue({ ...deps, book: this.book, profiles: this.profiles });
  }

  /**
   * Starts a campaign: every targeted person gets a record, due at the start
   * (those who already meet it are counted completed and never contacted).
   * A role the policy does not know is refused, naming the field.
   */
  async start(spec: CampaignSpec, by: string): Promise<{ ok: true; campaign: Campaign } | { ok: false; field: string; message: string }> {
    const unknown = spec.roles.find((role) => !this.deps.policy.roles[role]);
    if (unknown) return { ok: false, field: 'roles', message: `roles: "${unknown}" is not a role of the policy` };
    const now = this.deps.clock.now();
    const campaign = await this.book.create(spec, by);
    const targets = targetsOf(spec, this.deps.directory.all());
    const profiles = await this.profiles.ofAll(targets);
    const startsAt = Date.parse(spec.startsAt);
    const records = targets.map((entry, order): OutreachRecord => {
      const met = meetsCampaign(spec.methods, profiles[order]);
      return {
        campaignId: campaign.id,
        upn: entry.upn,
        order,
        step: 0,
        snoozes: 0,
        failures: 0,
        ...(met ? { completedAt: now } : { nextAt: startsAt }),
      };
    });
    await this.book.enrol(records);
    const started = (await this.book.update(campaign.id, (c) => {
      c.targeted = records.length;
      return true;
    }))!;
    await this.record(campaign, 'campaign.started', by, `started "${spec.name}" for ${records.length} people`);
    this.deps.log.info({ campaign: campaign.id, targeted: records.length }, 'campaign started');
    return { ok: true, campaign: started };
  }

  async act(id: string, action: CampaignAction, by: string): Promise<ActionResult> {
    const existing = await this.book.get(id);
    if (!existing) return { ok: false, status: 404, error: `no campaign ${id}` };
    const { from, to } = TRANSITIONS[action];
    const changed = await this.book.update(id, (c) => {
      if (!from.includes(c.state)) return false;
      c.state = to;
      return true;
    });
    if (!changed)
      return { ok: false, status: 409, error: `a ${existing.state} campaign cannot be ${action === 'stop' ? 'stopped' : `${action}d`}` };
    const event = ({ pause: 'campaign.paused', resume: 'campaign.resumed', stop: 'campaign.stopped' } as const)[action];
    await this.record(changed, event, by, `${action} "${changed.spec.name}"`);
    return { ok: true, campaign: changed };
  }

  async view(id: string): Promise<CampaignView | undefined> {
    const campaign = await this.book.get(id);
    if (!campaign) return undefined;
    const records = await this.book.records(id);
    const profiles = await this.profilesOf(records.map((r) => r.upn));
    return this.viewOf(campaign, records, (upn) => profiles.get(upn));
  }

  async list(): Promise<CampaignView[]> {
    const campaigns = await this.book.list();
    const recordsOf = await Promise.all(campaigns.map((c) => this.book.records(c.id)));
    const profiles = await this.profilesOf(recordsOf.flat().map((r) => r.upn));
    return campaigns.map((campaign, i) => this.viewOf(campaign, recordsOf[i]!, (upn) => profiles.get(upn)));
  }

  /** One pass of the send queue (a timer calls it; tests call it with a frozen clock). */
  work(): Promise<QueuePass> {
    return this.queue.work();
  }

  /** A click on a campaign card, by the turn's person (known to the directory by their Entra object id, else by a verified UPN). */
  answerCard(submit: CampaignSubmit, profile: SecurityInfoProfile, via: string, language: Language): Promise<CardAnswer> {
    const objectId = profile.userId.startsWith('aad:') ? profile.userId.slice(4).toLowerCase() : undefined;
    this.byObjectId ??= new Map(this.deps.directory.all().flatMap((e) => (e.aadObjectId ? [[e.aadObjectId, e.upn] as const] : [])));
    // The Entra object id Teams vouches for first; a UPN only when vouched for (an unverified one, e.g. a guest's
    // mail address, could name someone else's record).
    const upn =
      (objectId && this.byObjectId.get(objectId)) ||
      (profile.upnVerified ? this.deps.directory.find(profile.upn)?.upn : undefined) ||
      profile.userId;
    return answerCampaignCard(
      {
        book: this.book,
        clock: this.deps.clock,
        audit: this.deps.audit,
        timeZoneOf: (upn) => this.deps.directory.find(upn)?.timeZone,
      },
      submit,
      { ...profile, upn },
      via,
      language,
    );
  }

  /** The dashboard's numbers (`GET /api/admin/summary`). */
  async summary(filters: SummaryFilters) {
    const now = this.deps.clock.now();
    const { people, campaigns } = await this.everyone();
    // The backlog: contacts due now and not sent yet (a paused campaign's wait for it to resume).
    const pending = campaigns
      .filter(({ campaign }) => ['running', 'paused'].includes(campaignState(campaign, now)))
      .flatMap(({ records }) => records)
      .filter((r) => r.nextAt !== undefined && r.nextAt <= now && r.completedAt === undefined && r.unreachableAt === undefined).length;
    const [sentLastHour, sentLastFive, teamsHeld, smsHeld, tickets] = await Promise.all([
      this.book.sentInLast(60),
      this.book.sentInLast(5),
      this.book.heldUntil('teams'),
      this.book.heldUntil('sms'),
      this.deps.tickets(),
    ]);
    const held = Math.max(teamsHeld ?? 0, smsHeld ?? 0);
    return summarise({
      policy: this.deps.policy,
      now,
      people,
      filters,
      campaigns: campaigns.map(({ campaign, records }) => ({ campaign, counts: this.countsOf(campaign, records, people) })),
      tickets,
      queue: { pending, sentLastHour, ratePerMinute: Math.round(sentLastFive / 5), retryAfterUntil: held || undefined },
    });
  }

  /** `GET /api/admin/reports/registration.csv`: one row per directory person. */
  async registrationCsv(): Promise<string> {
    const { people } = await this.everyone();
    const lines = [REGISTRATION_COLUMNS.join(',')];
    for (const view of people) {
      const row = registrationRow(this.deps.policy, view);
      lines.push(REGISTRATION_COLUMNS.map((column) => csvCell(row[column])).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
  }

  /** Everyone in the directory with their profile and campaign records, and every campaign's records. */
  private async everyone(): Promise<{ people: PersonView[]; campaigns: Array<{ campaign: Campaign; records: OutreachRecord[] }> }> {
    const entries = this.deps.directory.all();
    const campaigns = await Promise.all(
      (await this.book.list()).map(async (campaign) => ({ campaign, records: await this.book.records(campaign.id) })),
    );
    const byUpn = new Map<string, Array<{ campaign: Campaign; record: OutreachRecord }>>();
    for (const { campaign, records } of campaigns) {
      for (const record of records) byUpn.set(record.upn, [...(byUpn.get(record.upn) ?? []), { campaign, record }]);
    }
    const profiles = await this.profiles.ofAll(entries);
    const people = entries.map((entry, i) => ({ entry, profile: profiles[i], records: byUpn.get(entry.upn) ?? [] }));
    return { people, campaigns };
  }

  private countsOf(campaign: Campaign, records: readonly OutreachRecord[], people: readonly PersonView[]): CampaignCounts {
    const profiles = new Map(people.map((p) => [p.entry.upn, p.profile]));
    return campaignCounts(campaign, records, (upn) => profiles.get(upn));
  }

  private async profilesOf(upns: readonly string[]): Promise<Map<string, SecurityInfoProfile | undefined>> {
    const entries = [...new Set(upns)].map((upn) => this.deps.directory.find(upn) ?? { upn });
    const profiles = await this.profiles.ofAll(entries);
    return new Map(entries.map((entry, i) => [entry.upn, profiles[i]]));
  }

  private viewOf(
    campaign: Campaign,
    records: readonly OutreachRecord[],
    profileOf: (upn: string) => SecurityInfoProfile | undefined,
  ): CampaignView {
    const now = this.deps.clock.now();
    return {
      id: campaign.id,
      name: campaign.spec.name,
      state: campaignState(campaign, now),
      startsAt: campaign.spec.startsAt,
      deadline: campaign.spec.deadline,
      methods: campaign.spec.methods,
      counts: campaignCounts(campaign, records, profileOf),
    };
  }

  private record(
    campaign: Campaign,
    event: 'campaign.started' | 'campaign.paused' | 'campaign.resumed' | 'campaign.stopped',
    by: string,
    detail: string,
  ) {
    return this.deps.audit.record({
      at: this.deps.clock.now(),
      userId: by,
      upn: `campaign:${campaign.id}`,
      event,
      result: 'success',
      via: 'admin',
      detail,
    });
  }
}
