import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore, sqliteFileIn } from '../../src/storage/sqliteStore';
import { cryptoRandom, systemClock } from '../../src/verification/ports';
import { ConnectorStub } from '../support/connectorStub';
import { enrollThroughFaults, FaultPerson, LEAKED, methodsOf, outboxCodes, phoneFor, type SpawnedBot, spawnBot, stepOf } from './support';

const PEOPLE = 16;
const KILLS = 3;

describe('the bot killed with SIGKILL at random moments while people enrol (SQLite, the same DATA_DIR on restart)', () => {
  let dataDir: string;
  let bot: SpawnedBot | undefined;
  const connector = new ConnectorStub();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-kill-'));
    await connector.start();
  });
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await bot?.exited;
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('everyone finishes, each enrollment is stored exactly once, and every "Success!" shown before a kill is still there after it', async () => {
    bot = await spawnBot({ DATA_DIR: dataDir });
    let url = bot.url;
    const codes = outboxCodes(path.join(dataDir, 'outbox.jsonl'));
    const people = Array.from({ length: PEOPLE }, (_, i) => new FaultPerson(() => url, connector, `kill-${i}`, phoneFor(700 + i)));
    // Each person, with a channel's patience: a request that got no answer is delivered again (the same id) for up to 30 s.
    const runs = Promise.all(
      people.map(async (p, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 40));
        return enrollThroughFaults(p, codes, { maxRequests: 300, redeliveries: 120, redeliverAfterMs: 250 });
      }),
    );
    // A seeded sequence of moments, so that a failure can be replayed.
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const successesBeforeKills: string[][] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1200));
      successesBeforeKills.push(people.filter((p) => stepOf(p.lastCard()) === 'success').map((p) => p.personId));
      bot.child.kill('SIGKILL');
      await bot.exited;
      bot = await spawnBot({ DATA_DIR: dataDir });
      url = bot.url;
    }
    const results = await runs;

    if (process.env.FAULTS_VERBOSE) {
      console.log({
        requests: results.reduce((n, r) => n + r.requests, 0),
        silent: results.reduce((n, r) => n + r.silent, 0),
        said: results.flatMap((r) => r.said).filter((s) => !/accepted/.test(s)),
      });
    }
    // A request lost with its instance is delivered again, and answered: nobody is left without a word.
    expect(results.reduce((n, r) => n + r.silent, 0)).toBe(0);
    const store = new SqliteStore(sqliteFileIn(dataDir), systemClock, cryptoRandom);
    try {
      for (const [i, p] of people.entries()) {
        expect({ who: p.tag, done: results[i]!.done }).toEqual({ who: p.tag, done: true });
        expect({ who: p.tag, methods: await methodsOf(store, p.personId) }).toEqual({
          who: p.tag,
          methods: { authenticatorApp: 1, phone: 1 },
        });
        expect(results[i]!.said.join('\n')).not.toMatch(LEAKED);
      }
      for (const before of successesBeforeKills) {
        for (const id of before) expect(await methodsOf(store, id)).toEqual({ authenticatorApp: 1, phone: 1 });
      }
      // The kills happened while people were in the middle of it.
      expect(successesBeforeKills[0]!.length).toBeLessThan(PEOPLE);
    } finally {
      await store.close();
    }
  });
});
