/**
 * `npm run rekey`: after a new key is placed first in ENCRYPTION_KEYS (and
 * every instance runs with it), moves what older keys sealed or named under
 * it: authenticator-app secrets are sealed again, and the documents a keyed
 * hash names (a number's owners and STOP, rate-limit counters) are renamed.
 * Then the older keys can leave ENCRYPTION_KEYS. Safe while the bot runs (every
 * write is conditional), and safe to run again: what is done is not redone.
 *
 * Not moved: one-time codes, call tokens, access passes and QR links keep the
 * key that made them and expire within a day; keep an older key listed for a
 * day after rekeying if any were live.
 */
import type { Agent as HttpsAgent } from 'node:https';
import Database from 'better-sqlite3';
import { type Config, loadConfig } from '../config';
import { DecryptionError, PreconditionFailedError } from '../kit/errors';
import { createLogger, type Logger } from '../kit/log';
import { encryptionKeys, Owned, openStore } from '../startup';
import type { PersonDocument } from '../state/personState';
import { Aliases, type AliasRekey } from '../storage/aliases';
import { type CounterRekey, StoreCounters } from '../storage/counters';
import { StoreMetering } from '../storage/metering';
import { sqliteFileIn } from '../storage/sqliteStore';
import type { Collection, DocumentStore } from '../storage/store';
import { type Clock, cryptoRandom, systemClock } from '../verification/ports';
import { isPhoneMethod, type SecurityInfoProfile, totpContext } from '../verification/profile';
import { SecretBox } from '../verification/secretBox';

/** The ids of every document of a collection: the store port lists one partition at a time, a rekey must see them all. */
type DocumentIds = (collection: Collection) => Promise<string[]>;

type SecretRekey = 'moved' | 'current' | 'unknown';

export interface RekeyCounts {
  /** Authenticator-app secrets; `unknown`: sealed under a key no longer listed. */
  readonly secrets: Record<SecretRekey, number>;
  /** Phone numbers' records; `unknown`: written before records kept their number, under an older key. */
  readonly aliases: Record<AliasRekey, number>;
  /** Rate-limit windows; `current` also counts plain ones; `unknown`: sealed under a key no longer listed (they expire within two days). */
  readonly counters: Record<CounterRekey, number>;
}

const MAX_ATTEMPTS = 10;

/** Moves everything under the primary key of `secretBox`. */
export async function rekey(store: DocumentStore, ids: DocumentIds, secretBox: SecretBox): Promise<RekeyCounts> {
  const secrets = tally();
  // The profiles' numbers also find the records written before records kept their number.
  const numbers = new Set<string>();
  for (const id of await ids('state')) {
    const profile = await resealPerson(store, id, secretBox, secrets);
    for (const method of profile?.methods ?? []) if (isPhoneMethod(method)) numbers.add(method.e164);
  }
  return {
    secrets,
    aliases: await new Aliases(store, secretBox).rekey(await ids('aliases'), numbers),
    counters: await new StoreCounters(store).rekey(await ids('counters'), secretBox),
  };
}

/** Seals a person's secrets again under the primary key (a conditional write, retried); returns their profile. */
async function resealPerson(
  store: DocumentStore,
  id: string,
  secretBox: SecretBox,
  counts: Record<SecretRekey, number>,
): Promise<SecurityInfoProfile | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const found = await store.get<PersonDocument>('state', id);
    const profile = found?.value.profile;
    if (!found || !profile) return undefined;
    const outcome: Record<SecretRekey, number> = tally();
    const reseal = (sealed: string, methodId: string): string => {
      try {
        const again = secretBox.reseal(sealed, totpContext(profile.userId, methodId));
        outcome[again ? 'moved' : 'current']++;
        return again ?? sealed;
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err;
        outcome.unknown++;
        return sealed;
      }
    };
    const methods = profile.methods.map((m) => (m.kind === 'authenticatorApp' ? { ...m, sealedSecret: reseal(m.sealedSecret, m.id) } : m));
    const pendingApp = profile.pendingApp && {
      ...profile.pendingApp,
      sealedSecret: reseal(profile.pendingApp.sealedSecret, profile.pendingApp.id),
    };
    if (outcome.moved > 0) {
      try {
        await store.put('state', id, { ...found.value, profile: { ...profile, methods, pendingApp } }, { ifMatch: found.etag });
      } catch (err) {
        if (err instanceof PreconditionFailedError) continue;
        throw err;
      }
    }
    for (const key of Object.keys(outcome) as SecretRekey[]) counts[key] += outcome[key];
    return profile;
  }
  throw new Error(`the document of ${id} stayed contended`);
}

function tally(): Record<'moved' | 'current' | 'unknown', number> {
  return { moved: 0, current: 0, unknown: 0 };
}

/** The document ids of the configured store, and how to let go of what lists them. */
export async function documentIdsOf(config: Config, agent?: HttpsAgent): Promise<{ ids: DocumentIds; close(): void }> {
  if (config.store === 'cosmos' && config.cosmos) {
    const { CosmosClient } = await import('@azure/cosmos');
    const { endpoint, key, database } = config.cosmos;
    const credentials = key ? { key } : { aadCredentials: new (await import('@azure/identity')).DefaultAzureCredential() };
    const client = new CosmosClient({ endpoint, ...credentials, ...(agent ? { agent } : {}) });
    return {
      ids: async (collection) => {
        const query = client.database(database).container(collection).items.query<{ id: string }>('SELECT c.id FROM c');
        return (await query.fetchAll()).resources.map((r) => decodeCosmosId(r.id));
      },
      close: () => client.dispose(),
    };
  }
  const db = new Database(sqliteFileIn(config.dataDir), { readonly: true, fileMustExist: true });
  const list = db.prepare<[string], { id: string }>('SELECT id FROM documents WHERE collection = ? ORDER BY id');
  return { ids: async (collection) => list.all(collection).map((r) => r.id), close: () => db.close() };
}

/** CosmosStore keeps ids with / \ ? # and % percent-encoded; the port takes them as they were. */
function decodeCosmosId(id: string): string {
  return id.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Rekeys the store of `config` (tests pass their clock, and their agent for a local Cosmos DB). */
export async function rekeyStore(
  config: Config,
  options: { readonly log?: Logger; readonly clock?: Clock; readonly cosmosAgent?: HttpsAgent } = {},
): Promise<{ counts: RekeyCounts; primaryKeyId: string }> {
  const log = options.log ?? createLogger(config.logLevel);
  const secretBox = new SecretBox(encryptionKeys(config, log), cryptoRandom);
  const owned = new Owned();
  try {
    const store = await openStore(config, options.clock ?? systemClock, cryptoRandom, new StoreMetering(), owned, options.cosmosAgent);
    // After the store: opening it brings an older SQLite file up to date first.
    const listing = await documentIdsOf(config, options.cosmosAgent);
    owned.add(() => listing.close());
    return { counts: await rekey(store, listing.ids, secretBox), primaryKeyId: secretBox.primaryKeyId };
  } finally {
    await owned.closeAll();
  }
}

async function main(): Promise<number> {
  const { counts, primaryKeyId } = await rekeyStore(loadConfig());
  const { secrets, aliases, counters } = counts;
  console.log(`Primary key: ${primaryKeyId}`);
  console.log(
    `Authenticator-app secrets: ${secrets.moved} sealed again, ${secrets.current} already under it, ${secrets.unknown} under a key no longer listed`,
  );
  console.log(
    `Phone numbers: ${aliases.moved} moved, ${aliases.current} already under it, ${aliases.unknown} left under an older key (number unknown)`,
  );
  console.log(`Rate-limit windows: ${counters.moved} moved, ${counters.current} already in place, ${counters.unknown} left to expire`);
  if (secrets.unknown > 0) {
    console.error(
      'Some secrets are sealed under a key that is not listed: add it back to ENCRYPTION_KEYS (after the primary) and run again.',
    );
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
