import { AppError, PreconditionFailedError } from '../kit/errors';
import type { SecretBox } from '../verification/secretBox';
import type { DocumentStore } from './store';

/** What is known about one phone number or one UPN. */
interface AliasRecord {
  /** The people it belongs to. A number shared by two people identifies no one. */
  personIds: string[];
  /** The number replied STOP (phone numbers only): nothing is texted to it until START. */
  optedOutAt?: number;
}

const MAX_ATTEMPTS = 10;

/**
 * Who a phone number or a UPN belongs to, so a text from a number finds its
 * person, and the same person in Teams and by SMS shares one document.
 * Numbers are stored under a keyed hash, never in the clear.
 */
export class Aliases {
  constructor(
    private readonly store: DocumentStore,
    private readonly secretBox: SecretBox,
  ) {
    if (!store || !secretBox) throw new Error('Aliases needs a store and a SecretBox');
  }

  /** What is known of a number, in one read: the one person it belongs to (none when unknown or shared), and whether it opted out. */
  async phone(e164: string): Promise<{ personId?: string; optedOut: boolean }> {
    const record = await this.read(this.phoneKey(e164));
    return { personId: soleOwner(record), optedOut: record?.optedOutAt !== undefined };
  }

  async personOfUpn(upn: string): Promise<string | undefined> {
    return soleOwner(await this.read(upnKey(upn)));
  }

  async linkPhone(e164: string, personId: string): Promise<void> {
    await this.change(this.phoneKey(e164), (r) => ({ ...r, personIds: [...new Set([...r.personIds, personId])] }));
  }

  async unlinkPhone(e164: string, personId: string): Promise<void> {
    await this.change(this.phoneKey(e164), (r) => ({ ...r, personIds: r.personIds.filter((id) => id !== personId) }));
  }

  /** A UPN belongs to one person: linking it moves it. */
  async linkUpn(upn: string, personId: string): Promise<void> {
    await this.change(upnKey(upn), (r) => ({ ...r, personIds: [personId] }));
  }

  async setOptedOut(e164: string, optedOut: boolean, now: number): Promise<void> {
    await this.change(this.phoneKey(e164), (r) => ({ ...r, optedOutAt: optedOut ? now : undefined }));
  }

  private phoneKey(e164: string): string {
    return `phone:${this.secretBox.keyedHash(e164)}`;
  }

  private async read(id: string): Promise<AliasRecord | undefined> {
    return (await this.store.get<AliasRecord>('aliases', id))?.value;
  }

  /** Read, change, write conditionally; retried when someone wrote in between. */
  private async change(id: string, update: (record: AliasRecord) => AliasRecord): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.store.get<AliasRecord>('aliases', id);
      const next = update(current?.value ?? { personIds: [] });
      if (JSON.stringify(next) === JSON.stringify(current?.value ?? { personIds: [] })) return;
      try {
        if (next.personIds.length === 0 && next.optedOutAt === undefined) {
          if (current) await this.store.delete('aliases', id, { ifMatch: current.etag });
        } else {
          await this.store.put('aliases', id, next, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
        }
        return;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('alias_contended', 'an alias stayed contended');
  }
}

function upnKey(upn: string): string {
  return `upn:${upn.trim().toLowerCase()}`;
}

function soleOwner(record: AliasRecord | undefined): string | undefined {
  return record?.personIds.length === 1 ? record.personIds[0] : undefined;
}
