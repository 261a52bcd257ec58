import { AppError, DecryptionError, PreconditionFailedError } from '../kit/errors';
import type { KeyedName, SecretBox } from '../verification/secretBox';
import type { DocumentStore, StoredDocument } from './store';

/** What is known about one phone number or one UPN. */
interface AliasRecord {
  /** The people it belongs to. A number shared by two people identifies no one. */
  personIds: string[];
  /** The number replied STOP (phone numbers only): see delivery/optOuts.ts for what it stops. */
  optedOutAt?: number;
  /** Phone numbers only: the number, sealed, so a rekey can name the record under a new key. */
  sealedName?: string;
}

/** What `npm run rekey` did with one alias. */
export type AliasRekey = 'moved' | 'current' | 'unknown';

const MAX_ATTEMPTS = 10;
const PHONE = 'phone:';
const EMPTY: AliasRecord = { personIds: [] };

/**
 * Who a phone number or a UPN belongs to, so a text from a number finds its
 * person, and the same person in Teams and by SMS shares one document.
 * Numbers are stored under a keyed hash, never in the clear: looked for under
 * every encryption key and written under the primary one, so a key rotation
 * loses no owner and no STOP.
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
    const record = (await this.find(this.phoneName(e164).names))?.doc.value;
    return { personId: soleOwner(record), optedOut: record?.optedOutAt !== undefined };
  }

  async personOfUpn(upn: string): Promise<string | undefined> {
    return soleOwner((await this.store.get<AliasRecord>('aliases', upnKey(upn)))?.value);
  }

  async linkPhone(e164: string, personId: string): Promise<void> {
    await this.change(this.phoneName(e164), (r) => ({ ...r, personIds: [...new Set([...r.personIds, personId])] }));
  }

  async unlinkPhone(e164: string, personId: string): Promise<void> {
    await this.change(this.phoneName(e164), (r) => ({ ...r, personIds: r.personIds.filter((id) => id !== personId) }));
  }

  /** A UPN belongs to one person: linking it moves it. */
  async linkUpn(upn: string, personId: string): Promise<void> {
    await this.change(upnKey(upn), (r) => ({ ...r, personIds: [personId] }));
  }

  async setOptedOut(e164: string, optedOut: boolean, now: number): Promise<void> {
    await this.change(this.phoneName(e164), (r) => ({ ...r, optedOutAt: optedOut ? now : undefined }));
  }

  /**
   * `npm run rekey`: the numbers' records among `ids` move under the primary
   * key. A record names its number sealed; one written before records did is
   * recognised among `numbers` (those of the profiles), or else stays where it
   * is (`unknown`).
   */
  async rekey(ids: readonly string[], numbers: Iterable<string>): Promise<Record<AliasRekey, number>> {
    const known = new Map<string, string>();
    for (const e164 of numbers) for (const id of this.phoneName(e164).names) known.set(id, e164);
    const counts: Record<AliasRekey, number> = { moved: 0, current: 0, unknown: 0 };
    for (const id of ids) {
      const outcome = await this.rekeyStored(id, known);
      if (outcome) counts[outcome]++;
    }
    return counts;
  }

  /** Undefined: no number's record (a UPN's), or gone already (a copy dropped with the record it shadowed). */
  private async rekeyStored(id: string, known: ReadonlyMap<string, string>): Promise<AliasRekey | undefined> {
    if (!id.startsWith(PHONE)) return undefined;
    const found = await this.store.get<AliasRecord>('aliases', id);
    if (!found) return undefined;
    let name: KeyedName | undefined;
    try {
      const number = known.get(id);
      name = found.value.sealedName ? this.secretBox.reopenName(found.value.sealedName) : number ? this.phoneName(number) : undefined;
    } catch (err) {
      // Sealed under a key no longer listed: the record is out of reach already.
      if (!(err instanceof DecryptionError)) throw err;
    }
    if (name) return this.rekeyName(name);
    return id.startsWith(`${PHONE}${this.secretBox.primaryKeyId}.`) ? 'current' : 'unknown';
  }

  private async rekeyName(name: KeyedName): Promise<AliasRekey> {
    const wrote = await this.change(name, (r) => r);
    // Copies under older keys that a newer record shadows (a move whose clean-up lost a race).
    let dropped = false;
    for (const id of name.names.slice(1)) dropped = (await this.store.delete('aliases', id)) || dropped;
    return wrote || dropped ? 'moved' : 'current';
  }

  private phoneName(e164: string): KeyedName {
    return this.secretBox.keyedNames(e164).of(PHONE);
  }

  /** The record under the first of `names` that has one (the primary key's name first). */
  private async find(names: readonly string[]): Promise<{ id: string; doc: StoredDocument<AliasRecord> } | undefined> {
    const docs = await Promise.all(names.map((id) => this.store.get<AliasRecord>('aliases', id)));
    const at = docs.findIndex((doc) => doc !== undefined);
    return at < 0 ? undefined : { id: names[at]!, doc: docs[at]! };
  }

  /**
   * Read, change, write conditionally; retried when someone wrote in between.
   * A record found under an older key is written under the primary one, and
   * the old copy goes. Returns whether anything was written.
   */
  private async change(key: string | KeyedName, update: (record: AliasRecord) => AliasRecord): Promise<boolean> {
    const names = typeof key === 'string' ? [key] : key.names;
    const target = names[0]!;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await this.find(names);
      const current = found?.doc.value ?? EMPTY;
      const next = update(current);
      const moving = found !== undefined && found.id !== target;
      const unnamed = typeof key !== 'string' && found !== undefined && !current.sealedName;
      if (!moving && !unnamed && sameFacts(next, current)) return false;
      try {
        if (next.personIds.length === 0 && next.optedOutAt === undefined) {
          if (found) await this.store.delete('aliases', found.id, { ifMatch: found.doc.etag });
          return true;
        }
        const sealedName = typeof key === 'string' ? undefined : (!moving && current.sealedName) || key.sealed();
        const value: AliasRecord = {
          personIds: next.personIds,
          ...(next.optedOutAt !== undefined ? { optedOutAt: next.optedOutAt } : {}),
          ...(sealedName ? { sealedName } : {}),
        };
        await this.store.put('aliases', target, value, found && !moving ? { ifMatch: found.doc.etag } : { ifNoneMatch: '*' });
        if (moving) await this.dropMoved(found.id, found.doc.etag);
        return true;
      } catch (err) {
        if (!(err instanceof PreconditionFailedError)) throw err;
      }
    }
    throw new AppError('alias_contended', 'an alias stayed contended');
  }

  /** The old copy of a moved record; another instance that moved it first has dropped it already. */
  private async dropMoved(id: string, etag: string): Promise<void> {
    try {
      await this.store.delete('aliases', id, { ifMatch: etag });
    } catch (err) {
      if (!(err instanceof PreconditionFailedError)) throw err;
    }
  }
}

function upnKey(upn: string): string {
  return `upn:${upn.trim().toLowerCase()}`;
}

function soleOwner(record: AliasRecord | undefined): string | undefined {
  return record?.personIds.length === 1 ? record.personIds[0] : undefined;
}

/** Whom a record names and whether it opted out: what a change can change. */
function sameFacts(a: AliasRecord, b: AliasRecord): boolean {
  return a.optedOutAt === b.optedOutAt && a.personIds.length === b.personIds.length && a.personIds.every((id, i) => b.personIds[i] === id);
}
