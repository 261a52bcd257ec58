import type { Logger } from '../kit/log';
import { DEFAULT_LANGUAGE, languageOfLocale } from '../kit/texts';
import type { CardRenderer } from '../presentation/cards';
import type { Directory, DirectoryEntry } from '../state/directory';
import type { Clock, DeliveryResult, Random } from '../verification/ports';
import type { CampaignBook } from './book';
import { contactCard, contactText } from './message';
import { type Campaign, type Channel, campaignState, type OutreachRecord } from './model';
import type { SendOutcome, TeamsSender } from './ports';
import type { Profiles } from './profiles';
import { nextReminder, outsideQuietHours } from './schedule';
import { meetsCampaign } from './targeting';

/** Sends per second, on every instance together (docs/campaigns.md). */
export interface SendRates {
  readonly teams: number;
  readonly sms: number;
}

export interface QueueDeps {
  readonly book: CampaignBook;
  readonly profiles: Profiles;
  readonly directory: Directory;
  readonly cards: CardRenderer;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly orgName: string;
  readonly rates: SendRates;
  /** Proactive 1:1 Teams chats; absent when TEAMS_SERVICE_URL is not set (nobody is reached by Teams). */
  readonly teams?: TeamsSender;
  /** Texts, honouring STOP (delivery/optOuts.ts). */
  readonly sendSms: (to: string, body: string) => Promise<DeliveryResult>;
  /** The tenant of people the directory gives none (ALLOWED_TENANT_ID). */
  readonly defaultTenantId?: string;
}

/** Sends that fail for a reason other than the person are tried this many times, then the person is reported unreachable. */
export const MAX_FAILURES = 5;
/** How long after a failed send the next try comes, by failures so far. */
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
/** The longest a running campaign's records go unread by an instance when nothing is due. */
const MAX_LOOK_AHEAD_MS = 5 * 60_000;
/** How long after the deadline a contact's claim is kept. */
const CLAIM_KEPT_MS = 24 * 60 * 60 * 1000;
/** Contacts in flight at once on one instance. */
const CONCURRENCY = 8;

/** What one pass over the queue did. */
export interface QueuePass {
  readonly sent: number;
  /** Contacts not sent this pass because the rate was used up or a channel said to wait. */
  readonly deferred: number;
}

type Contacted = 'sent' | 'deferred' | 'skipped';

/**
 * The send queue: each running campaign's records whose next contact is due,
 * oldest due first, then in directory order. Each contact is claimed in the
 * store before it is sent (one message per person per step, on any number of
 * instances); sends are rate-limited per channel across instances, and a 429's
 * Retry-After holds the channel for every instance. The queue is the records
 * themselves, so a restart carries on where the store is.
 */
export class SendQueue {
  /**
   * When each campaign has something due at the earliest, as this instance last
   * read it: a lower bound (every change moves a contact later, never earlier),
   * so until then its records are not read again.
   */
  private readonly nextLook = new Map<string, number>();

  constructor(private readonly deps: QueueDeps) {}

  async work(): Promise<QueuePass> {
    const now = this.deps.clock.now();
    let sent = 0;
    let deferred = 0;
    for (const campaign of await this.deps.book.list()) {
      if (campaignState(campaign, now) !== 'running' || (this.nextLook.get(campaign.id) ?? 0) > now) continue;
      const waiting = (await this.deps.book.records(campaign.id)).filter(
        (r) => r.nextAt !== undefined && r.completedAt === undefined && r.unreachableAt === undefined,
      );
      const due = waiting.filter((r) => r.nextAt! <= now).sort((a, b) => a.nextAt! - b.nextAt! || a.order - b.order);
      // Nothing due: look again at the first due time (and at least every few minutes); anything due: at the next pass.
      const first = Math.min(...waiting.map((r) => r.nextAt!), now + MAX_LOOK_AHEAD_MS);
      this.nextLook.set(campaign.id, due.length > 0 ? 0 : first);
      /** Channels out of budget or held for this pass. */
      const full = new Set<Channel>();
      let next = 0;
      const worker = async () => {
        // Once every channel of the campaign is full for this pass, the rest wait for the next one.
        while (next < due.length && !campaign.spec.channels.every((c) => full.has(c))) {
          const record = due[next++]!;
          const outcome = await this.contact(campaign, record, full);
          if (outcome === 'sent') sent++;
          if (outcome === 'deferred') deferred++;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    }
    return { sent, deferred };
  }

  /** Contacts one person, if they still need it, it is not their quiet hours, and a channel has room. */
  private async contact(campaign: Campaign, record: OutreachRecord, full: Set<Channel>): Promise<Contacted> {
    const { book } = this.deps;
    const now = this.deps.clock.now();
    const step = record.step;
    const atStep = (change: (r: OutreachRecord) => void) =>
      book.updateRecord(campaign.id, record.upn, (r) => {
        if (r.step !== step || r.completedAt !== undefined || r.unreachableAt !== undefined) return false;
        change(r);
        return true;
      });
    const entry = this.deps.directory.find(record.upn);
    if (!entry) {
      // Left the directory: nobody to contact any more.
      await atStep((r) => delete r.nextAt);
      return 'skipped';
    }
    const channel = this.channelFor(campaign, record, entry);
    if (channel && full.has(channel)) return 'deferred';
    // Whoever completed is not contacted again, whatever is queued for them.
    const person = await this.deps.profiles.person(entry);
    if (meetsCampaign(campaign.spec.methods, person.profile)) {
      await atStep((r) => {
        r.completedAt = now;
        delete r.nextAt;
      });
      return 'skipped';
    }
    const timeZone = entry.timeZone ?? campaign.spec.timeZone;
    const allowedAt = outsideQuietHours(campaign.spec, timeZone, now);
    if (allowedAt > now) {
      await atStep((r) => {
        r.nextAt = allowedAt;
      });
      return 'skipped';
    }
    if (!channel) {
      await atStep((r) => {
        r.unreachableAt = now;
        delete r.nextAt;
      });
      this.deps.log.info({ campaign: campaign.id }, 'campaign: a person cannot be reached on any channel the campaign allows');
      return 'skipped';
    }
    // Paused, stopped or past its deadline since the pass began, or the person snoozed or finished meanwhile: not now.
    const [current, fresh] = await Promise.all([book.get(campaign.id), book.record(campaign.id, record.upn)]);
    if (!current || campaignState(current, now) !== 'running') return 'skipped';
    if (!fresh || fresh.step !== step || (fresh.nextAt ?? Number.POSITIVE_INFINITY) > now || fresh.completedAt !== undefined)
      return 'skipped';
    // One message per person per step: whoever creates the claim sends; anyone else has nothing to do.
    if (!(await book.claimStep(campaign.id, record.upn, step, Date.parse(campaign.spec.deadline) + CLAIM_KEPT_MS))) return 'skipped';
    // Then room on the channel (claimed first, so instances racing for one person spend no send on them).
    if (full.has(channel) || ((await book.heldUntil(channel)) ?? 0) > now || !(await book.takeSend(channel, this.deps.rates[channel]))) {
      full.add(channel);
      await book.releaseStep(campaign.id, record.upn, step);
      return 'deferred';
    }
    // Their language as they chose it in the chat, else the directory's, else the default.
    const language = person.language ?? languageOfLocale(entry.language) ?? DEFAULT_LANGUAGE;
    const contact = { orgName: this.deps.orgName, campaign, record, timeZone, language };
    const outcome = await this.send(channel, entry, contact, person.teamsUserId);
    // A channel that said to wait gets nothing more this pass.
    if (!outcome.ok && outcome.reason === 'throttled') full.add(channel);
    return this.settle(campaign, record, channel, outcome, atStep);
  }

  /** Teams first, where the person has an Entra object id and Teams was not found closed to them; else a text where allowed. */
  private channelFor(campaign: Campaign, record: OutreachRecord, entry: DirectoryEntry): Channel | undefined {
    const closed = new Set(record.unreachableBy ?? []);
    const { channels } = campaign.spec;
    if (channels.includes('teams') && this.deps.teams && entry.aadObjectId && !closed.has('teams')) return 'teams';
    if (channels.includes('sms') && entry.phones.length > 0 && !closed.has('sms')) return 'sms';
    return undefined;
  }

  private async send(
    channel: Channel,
    entry: DirectoryEntry,
    contact: Parameters<typeof contactText>[0],
    teamsUserId?: string,
  ): Promise<SendOutcome> {
    try {
      if (channel === 'teams') {
        const card = contactCard(this.deps.cards, contact, this.deps.random.id());
        const tenantId = entry.tenantId ?? this.deps.defaultTenantId;
        return await this.deps.teams!({ aadObjectId: entry.aadObjectId!, tenantId, userId: teamsUserId }, card);
      }
      const result = await this.deps.sendSms(entry.phones[0]!, contactText(contact));
      if (result.ok) return { ok: true };
      return result.permanent ? { ok: false, reason: 'unreachable' } : { ok: false, reason: 'failed', sent: 'no' };
    } catch (err) {
      // Its kind only: a provider's error can quote the number or the text it was given.
      this.deps.log.warn({ error: err instanceof Error ? err.name : typeof err, channel }, 'campaign: a send failed unexpectedly');
      return { ok: false, reason: 'failed', sent: 'maybe' };
    }
  }

  /** Writes down what a send did, and gives the claim back when nothing went out. */
  private async settle(
    campaign: Campaign,
    record: OutreachRecord,
    channel: Channel,
    outcome: SendOutcome,
    atStep: (change: (r: OutreachRecord) => void) => Promise<OutreachRecord | undefined>,
  ): Promise<Contacted> {
    const { book, log } = this.deps;
    const now = this.deps.clock.now();
    if (outcome.ok) {
      await atStep((r) => {
        r.step += 1;
        r.reachedAt ??= now;
        r.reachedBy = channel;
        r.lastContactAt = now;
        r.failures = 0;
        const next = nextReminder(campaign.spec, now);
        // A snooze running past the next reminder point keeps its own date.
        const later = r.snoozedUntil !== undefined && r.snoozedUntil > now ? r.snoozedUntil : undefined;
        if (later ?? next) r.nextAt = later ?? next;
        else delete r.nextAt;
      });
      await book.countSent();
      return 'sent';
    }
    if (outcome.reason === 'throttled') {
      // Nothing went out: the step is free again, and every instance waits as the channel said.
      await book.releaseStep(campaign.id, record.upn, record.step);
      await book.holdChannel(channel, now + outcome.retryAfterMs);
      log.warn(
        { channel, retryAfterMs: outcome.retryAfterMs },
        'campaign: the channel asked to wait (429); sends resume after Retry-After',
      );
      return 'deferred';
    }
    if (outcome.reason === 'unreachable') {
      await book.releaseStep(campaign.id, record.upn, record.step);
      await atStep((r) => {
        r.unreachableBy = [...new Set([...(r.unreachableBy ?? []), channel])];
      });
      log.info({ campaign: campaign.id, channel }, 'campaign: a person cannot be reached on this channel; not retried there');
      return 'skipped';
    }
    // Failed: tried again later; a send that may have gone out moves on to the next step, so it is never repeated.
    if (outcome.sent === 'no') await book.releaseStep(campaign.id, record.upn, record.step);
    await atStep((r) => {
      r.failures += 1;
      if (outcome.sent === 'maybe') r.step += 1;
      if (r.failures >= MAX_FAILURES) {
        r.unreachableAt = now;
        delete r.nextAt;
      } else {
        r.nextAt = now + RETRY_DELAYS_MS[Math.min(r.failures - 1, RETRY_DELAYS_MS.length - 1)]!;
      }
    });
    return 'skipped';
  }
}
