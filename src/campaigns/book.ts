import { AppError, PreconditionFailedError } from '../kit/errors';
import type { DocumentStore } from '../storage/store';
import type { Clock, Random } from '../verification/ports';
import type { Campaign, CampaignSpec, Channel, OutreachRecord } from './model';

/** Every campaign sits in one partition: the admin lists them together. */
const PARTITION = 'campaigns';
const MAX_ATTEMPTS = 10;
/** How many records one campaign may hold (the directory's people). */
const MAX_RECORDS = 100_000;
/** How many records are written at once when a campaign starts. */
const ENROL_BATCH = 200;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Campaigns and their people in the store. Every change is a conditional
 * write (retried when another instance wrote first); a contact is claimed
 * once per person and step by a document created only if absent, so two
 * instances never send the same step (docs/campaigns.md).
 */
export class CampaignBook {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async create(spec: CampaignSpec, createdBy: string): Promise<Campaign> {
    const campaign: Campaign = {
      id: `cmp-${this.random
        .id()
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 16)}`,
      spec,
      state: 'active',
      createdAt: this.clock.now(),
      createdBy,
      targeted: 0,
    };
    await this.store.put('campaigns', campaign.id, campaign, { ifNoneMatch: '*', partition: PARTITION });
    return campaign;
  }

  async get(id: string): Promise<Campaign | undefined> {
    if (!/^cmp-[A-Za-z0-9]{1,32}$/.test(id)) return undefined;
    return (await this.store.get<Campaign>('campaigns', id, { partition: PARTITION }))?.value;
  }

  /** Every campaign, newest first. */
  async list(): Promise<Campaign[]> {
    const all = await this.store.list<Campaign>('campaigns', PARTITION, { limit: 1000 });
    return all.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Changes a campaign (read, change, conditional write); a change that returns false changes nothing. */
  update(id: string, change: (campaign: Campaign) => boolean): Promise<Campaign | undefined> {
    return this.change<Campaign>('campaigns', id, PARTITION, change);
  }

  /** Writes a record for each person (one already there is kept: a start repeated enrols nobody twice). */
  async enrol(records: readonly OutreachRecord[]): Promise<void> {
    for (let at = 0; at < records.length; at += ENROL_BATCH) {
      await Promise.all(
        records.slice(at, at + ENROL_BATCH).map(async (record) => {
          try {
            await this.store.put('outreach', recordId(record.campaignId, record.upn), record, {
              ifNoneMatch: '*',
              partition: record.campaignId,
            });
          } catch (err) {
            if (!(err instanceof PreconditionFailedError)) throw err;
          }
        }),
      );
    }
  }

  /** Every person of a campaign. */
  records(campaignId: string): Promise<OutreachRecord[]> {
    return this.store.list<OutreachRecord>('outreach', campaignId, { limit: MAX_RECORDS });
  }

  async record(campaignId: string, upn: string): Promise<OutreachRecord | undefined> {
    return (await this.store.get<OutreachRecord>('outreach', recordId(campaignId, upn), { partition: campaignId }))?.value;
  }

  updateRecord(campaignId: string, upn: string, change: (record: OutreachRecord) => boolean): Promise<OutreachRecord | undefined> {
    return this.change<OutreachRecord>('outreach', recordId(campaignId, upn), campaignId, change);
  }

  /**
   * Claims contact `step` of a person until `until`: true for the one caller, on any
   * instance, that created the claim. A claim is never taken back once the
   * message may have gone out; only a send refused before anything went
   * (429, 5xx) releases it.
   */
  async claimStep(campaignId: string, upn: string, step: number, until: number): Promise<boolean> {
    try {
      // Kept until `until` (after the deadline): past it nothing is sent, so the claim has nothing left to guard.
      await this.store.put('outreach', stepId(campaignId, upn, step), { at: this.clock.now() }, { ifNoneMatch: '*', expiresAt: until });
      return true;
    } catch (err) {
      if (err instanceof PreconditionFailedError) return false;
      throw err;
    }
  }

  async releaseStep(campaignId: string, upn: string, step: number): Promise<void> {
    await this.store.delete('outreach', stepId(campaignId, upn, step));
  }

  /** One more send on `channel` this second, if fewer than `perSecond` were taken on every instance together. */
  async takeSend(channel: Channel, perSecond: number): Promise<boolean> {
    const second = Math.floor(this.clock.now() / 1000);
    const count = await this.store.increment('counters', `campaign-rate:${channel}:${second}`, { expiresAt: (second + 10) * 1000 });
    return count <= perSecond;
  }

  /** Counts a message sent, by minute (the dashboard's rate and last hour). */
  async countSent(): Promise<void> {
    const minute = Math.floor(this.clock.now() / 60_000);
    await this.store.increment('counters', `campaign-sent:${minute}`, { expiresAt: (minute + 1) * 60_000 + 2 * HOUR_MS });
  }

  /** Messages sent in the last `minutes` whole minutes and the current one. */
  async sentInLast(minutes: number): Promise<number> {
    const now = Math.floor(this.clock.now() / 60_000);
    const counts = await Promise.all(
      Array.from({ length: minutes }, (_, i) =>
        this.store.get<{ count: number }>('counters', `campaign-sent:${now - i}`).then((d) => d?.value.count ?? 0),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** A channel said to wait (429 Retry-After): every instance waits until then. */
  async holdChannel(channel: Channel, until: number): Promise<void> {
    if (until > ((await this.heldUntil(channel)) ?? 0)) {
      await this.store.put('counters', `campaign-retry-after:${channel}`, { until }, { expiresAt: until });
    }
  }

  async heldUntil(channel: Channel): Promise<number | undefined> {
    return (await this.store.get<{ until: number }>('counters', `campaign-retry-after:${channel}`))?.value.until;
  }

  private async change<T>(collection: 'campaigns' | 'outreach', id: string, partition: string, change: (value: T) => boolean) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.store.get<T>(collection, id, { partition });
      if (!stored) return undefined;
      const value = stored.value;
      if (!change(value)) return undefined;
      try {
        await this.store.put(collection, id, value, { ifMatch: stored.etag, partition });
        return value;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('campaign_contended', `${collection}/${id} stayed contended`);
  }
}

function recordId(campaignId: string, upn: string): string {
  return `${campaignId}:${upn}`;
}

function stepId(campaignId: string, upn: string, step: number): string {
  return `sent:${campaignId}:${upn}:${step}`;
}
