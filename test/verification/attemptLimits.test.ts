import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevOutbox } from '../../src/delivery/devOutbox';
import { OutgoingMessages } from '../../src/delivery/messages';
import { createLogger } from '../../src/kit/log';
import { StoreAuditLog } from '../../src/storage/auditStore';
import { CosmosStore } from '../../src/storage/cosmosStore';
import { StoreCounters } from '../../src/storage/counters';
import { SqliteStore } from '../../src/storage/sqliteStore';
import type { DocumentStore } from '../../src/storage/store';
import { defaultPolicy } from '../../src/verification/policy';
import { cryptoRandom } from '../../src/verification/ports';
import { newProfile, type SecurityInfoProfile } from '../../src/verification/profile';
import { SecretBox } from '../../src/verification/secretBox';
import { VerificationService } from '../../src/verification/service';
import { appCodeFor as totpAt } from '../support/authenticatorApp';
import { FrozenClock } from '../support/clock';
import { LOCAL_COSMOS_KEY, startLocalCosmos } from '../support/cosmos';
import { testKey } from '../support/keys';
import { lastTextedCode } from '../support/outbox';
import { TEAMS } from '../support/service';

/** Two instances of the bot: each its own store client and service, over one database. */
type Instances = { stores: DocumentStore[]; close(): Promise<void> };

const adapters: Array<[string, (clock: FrozenClock) => Promise<Instances>]> = [
  [
    'SQLite (two connections to one file)',
    async (clock) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'limits-')), 'db.sqlite');
      const stores = [new SqliteStore(file, clock, cryptoRandom), new SqliteStore(file, clock, cryptoRandom)];
      return { stores, close: async () => void (await Promise.all(stores.map((s) => s.close()))) };
    },
  ],
  [
    'Cosmos DB (two clients of @vercel/cosmosdb-server)',
    async (clock) => {
      const cosmos = await startLocalCosmos();
      const settings = { endpoint: cosmos.endpoint, key: LOCAL_COSMOS_KEY, database: `limits-${cryptoRandom.id()}`, agent: cosmos.agent };
      const stores = [await CosmosStore.open(settings, clock), await CosmosStore.open(settings, clock)];
      return {
        stores,
        async close() {
          await Promise.all(stores.map((s) => s.close()));
          await cosmos.stop();
        },
      };
    },
  ],
];

describe.each(adapters)('attempt limits hold under parallel guesses, on %s', (_name, open) => {
  const clock = new FrozenClock();
  const secretBox = new SecretBox([testKey()], cryptoRandom);
  const outbox = new DevOutbox(fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-')), 'http://localhost:3978', clock, createLogger('silent'));
  let instances: Instances;
  let services: VerificationService[];

  beforeAll(async () => {
    instances = await open(clock);
    services = instances.stores.map(
      (store) =>
        new VerificationService({
          clock,
          random: cryptoRandom,
          secretBox,
          policy: defaultPolicy,
          issuer: 'Contoso',
          counters: new StoreCounters(store),
          messenger: new OutgoingMessages(outbox, 'Contoso'),
          audit: new StoreAuditLog(store, cryptoRandom),
        }),
    );
  });
  afterAll(() => instances.close());

  const person = () => newProfile({ userId: `aad:${cryptoRandom.id()}`, upn: 'adele@contoso.com', displayName: 'Adele', role: 'employee' });

  /**
   * Forty turns at once, each on its own copy of the same stored profile, spread over both instances.
   * A turn whose counter stayed contended fails closed (nothing compared; the person is asked to try again): a refusal too.
   */
  async function fortyAtOnce<T>(
    profile: SecurityInfoProfile,
    guess: (service: VerificationService, copy: SecurityInfoProfile) => Promise<T>,
  ) {
    const settled = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => guess(services[i % 2]!, structuredClone(profile))));
    return settled.map((s) => {
      if (s.status === 'fulfilled') return s.value;
      if ((s.reason as { code?: string }).code === 'counter_contended') return { status: 'contended' } as const;
      throw s.reason;
    });
  }

  /** Counts comparisons while `run` runs: a texted code is compared by its keyed hash, an app's code once its secret is opened. */
  async function comparisonsDuring<T>(
    method: 'matchesKeyedHash' | 'open',
    run: () => Promise<T>,
  ): Promise<{ compared: number; results: T }> {
    const spy = jest.spyOn(secretBox, method);
    try {
      const results = await run();
      return { compared: spy.mock.calls.length, results };
    } finally {
      spy.mockRestore();
    }
  }

  it('forty guesses at one texted code compare at most attemptsPerCode, and the code dies', async () => {
    const profile = person();
    await services[0]!.startPhone(profile, { number: '201 555 0123', country: 'US', channel: 'sms' });
    const right = lastTextedCode(outbox.file, '+12015550123');
    const wrong = right === '000000' ? '000001' : '000000';
    const { compared, results } = await comparisonsDuring('matchesKeyedHash', () =>
      fortyAtOnce(profile, (service, copy) => service.verifyCode(copy, wrong, TEAMS)),
    );
    expect(compared).toBe(defaultPolicy.limits.attemptsPerCode);
    expect(results.filter((r) => r.status === 'wrong')).toHaveLength(defaultPolicy.limits.attemptsPerCode - 1);
    expect(results.filter((r) => r.status === 'attemptsExhausted' || r.status === 'contended')).toHaveLength(
      40 - defaultPolicy.limits.attemptsPerCode + 1,
    );
    // Even the right code is refused now: its slots are spent.
    expect(await services[1]!.verifyCode(structuredClone(profile), right, TEAMS)).toEqual({ status: 'attemptsExhausted' });
  });

  it('forty guesses at one QR code compare at most attemptsPerCode', async () => {
    const profile = person();
    services[0]!.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const secret = services[0]!.pendingAppEnrollment(profile)!.otpauthUri;
    const valid = [-30_000, 0, 30_000].map((offset) => totpAt(secret, clock.now() + offset));
    const wrong = ['111111', '222222', '333333', '444444'].find((c) => !valid.includes(c))!;
    const { compared, results } = await comparisonsDuring('open', () =>
      fortyAtOnce(profile, (service, copy) => service.verifyAuthenticatorApp(copy, wrong, TEAMS)),
    );
    expect(compared).toBe(defaultPolicy.limits.attemptsPerCode);
    expect(results.filter((r) => r.status === 'attemptsExhausted' || r.status === 'contended')).toHaveLength(
      40 - defaultPolicy.limits.attemptsPerCode + 1,
    );
  });

  it('a person gets lockoutThreshold comparisons a window and failuresBeforeHelpDesk in all, counted exactly, then only the help desk helps', async () => {
    const { lockoutThreshold, lockoutMinutes, failuresBeforeHelpDesk } = defaultPolicy.limits;
    // A person with a registered app (proven by its first code).
    const profile = person();
    services[0]!.startAuthenticatorApp(profile, 'Microsoft Authenticator');
    const uri = services[0]!.pendingAppEnrollment(profile)!.otpauthUri;
    await services[0]!.verifyAuthenticatorApp(profile, totpAt(uri, clock.now()), TEAMS);
    const app = profile.methods[0]!;
    const windows = failuresBeforeHelpDesk / lockoutThreshold;
    let total = 0;
    for (let window = 0; window < windows; window++) {
      clock.advanceMinutes(lockoutMinutes);
      const valid = [-30_000, 0, 30_000].map((offset) => totpAt(uri, clock.now() + offset));
      const wrong = ['111111', '222222', '333333', '444444'].find((c) => !valid.includes(c))!;
      const { compared, results } = await comparisonsDuring('open', () =>
        fortyAtOnce(profile, (service, copy) => service.verifyTotp(copy, app.id, wrong, TEAMS)),
      );
      expect(compared).toBe(lockoutThreshold);
      expect(results.filter((r) => r.status === 'locked' || r.status === 'contended')).toHaveLength(40 - lockoutThreshold + 1);
      total += compared;
    }
    expect(total).toBe(failuresBeforeHelpDesk);
    // A new window, and still the stale profile: the store says the run is over, so nothing is compared.
    clock.advanceMinutes(lockoutMinutes);
    const { compared, results } = await comparisonsDuring('open', () =>
      fortyAtOnce(profile, (service, copy) => service.verifyTotp(copy, app.id, totpAt(uri, clock.now()), TEAMS)),
    );
    expect(compared).toBe(0);
    expect(results.every((r) => r.status === 'locked' || r.status === 'contended')).toBe(true);
    expect(results).toContainEqual({ status: 'locked' });
  }, 120_000);
});
