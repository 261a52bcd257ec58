import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { createLogger } from '../../src/kit/log';
import { SqliteStore, sqliteFileIn } from '../../src/storage/sqliteStore';
import { cryptoRandom, systemClock } from '../../src/verification/ports';
import { BotFixture } from '../support/botFixture';
import { ConnectorStub } from '../support/connectorStub';
import {
  enrollThroughFaults,
  FaultPerson,
  LEAKED,
  methodsOf,
  nextMove,
  outboxCodes,
  phoneFor,
  type SpawnedBot,
  spawnBot,
  stepOf,
  WITH_REFERENCE,
} from './support';

describe('SQLite locked by another connection (SQLITE_BUSY)', () => {
  let bot: BotFixture;
  let people = 0;
  const failures: string[] = [];

  beforeAll(async () => {
    // Failed turns' log lines, to show what went wrong when a refusal is not the expected one.
    const logs = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) failures.push(String(JSON.parse(line).err?.message ?? line));
        done();
      },
    });
    bot = await BotFixture.start({}, { log: createLogger('error', logs) });
  });
  afterAll(() => bot.stop());

  const person = () => new FaultPerson(() => bot.app.url, bot.connector, `busy-${++people}`, phoneFor(people));
  const codes = () => outboxCodes(bot.outbox);

  it('a step that cannot write while another connection holds the write lock is refused in words, within the busy timeout; nothing is half-written', async () => {
    const p = person();
    await p.open();
    for (let i = 0; i < 5 && stepOf(p.lastCard()) !== 'phone'; i++) await p.post(nextMove(p, codes())!);
    expect(stepOf(p.lastCard())).toBe('phone');

    // Another process (a backup, `npm run rekey`) holds the write lock.
    const other = new Database(sqliteFileIn(bot.dataDir));
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const sent = await p.click('Next', { country: 'US', number: p.phone, method: 'sms' });
    const took = Date.now() - started;
    other.exec('ROLLBACK');
    other.close();

    expect(took).toBeLessThan(6_000);
    expect(sent.status).toBe(200);
    expect({ said: sent.said, failures }).toEqual({
      said: [expect.stringMatching(/^The service is busy\. Please try again in a minute\. \(Reference: [0-9a-f]{8}\)$/)],
      failures: [],
    });
    // Nothing was texted: the rate counters are written before a text goes out, and they could not be.
    expect(codes()(p.e164)).toEqual([]);

    const run = await enrollThroughFaults(p, codes());
    expect(run.done).toBe(true);
    const store = new SqliteStore(sqliteFileIn(bot.dataDir), systemClock, cryptoRandom);
    expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
    await store.close();
  });
});

describe('SQLite on a full disk (the bot run under a file size limit)', () => {
  let dataDir: string;
  let bot: SpawnedBot | undefined;
  const connector = new ConnectorStub();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-full-'));
    await connector.start();
  });
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await bot?.exited;
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every person gets an answer in words while the disk is full; after space is freed, every "Success!" is still there once and everyone finishes', async () => {
    // Room for the schema and a few enrollments: the WAL reaches the limit part-way through the people.
    bot = await spawnBot({ DATA_DIR: dataDir }, { fileSizeKiB: 160 });
    let url = bot.url;
    const codes = outboxCodes(path.join(dataDir, 'outbox.jsonl'));
    const people = Array.from({ length: 12 }, (_, i) => new FaultPerson(() => url, connector, `full-${i}`, phoneFor(500 + i)));
    const said: string[] = [];
    const statuses: number[] = [];
    for (const p of people) {
      const run = await enrollThroughFaults(p, codes, { maxRequests: 12 });
      said.push(...run.said);
      statuses.push(...run.statuses);
    }
    const succeeded = people.filter((p) => stepOf(p.lastCard()) === 'success');
    // The disk filled up: some could not finish, and they were told, in words, with a reference.
    expect(succeeded.length).toBeLessThan(people.length);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(said.join('\n')).not.toMatch(LEAKED);
    const apologies = said.filter((s) => /went wrong|busy|can't/.test(s));
    expect(apologies.length).toBeGreaterThan(0);
    for (const apology of apologies) expect(apology).toMatch(WITH_REFERENCE);

    // Space is freed: the same data folder, no limit.
    bot.child.kill('SIGTERM');
    await bot.exited;
    bot = await spawnBot({ DATA_DIR: dataDir });
    const store = new SqliteStore(sqliteFileIn(dataDir), systemClock, cryptoRandom);
    for (const p of succeeded) expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
    url = bot.url;
    for (const p of people) {
      const run = await enrollThroughFaults(p, codes, { maxRequests: 20 });
      expect({ who: p.tag, done: run.done }).toEqual({ who: p.tag, done: true });
      expect(await methodsOf(store, p.personId)).toEqual({ authenticatorApp: 1, phone: 1 });
    }
    await store.close();
  });
});
