import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { type App, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { openSenders } from '../../src/startup';
import { FrozenClock } from '../support/clock';
import { policyEnabling } from './support';

const APP = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' };
const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger('info', destination), lines };
}

describe('local mode and the others', () => {
  let dataDir: string;
  let app: App | undefined;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-modes-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const { log, lines } = capturedLog();
    app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, ...env }), { log });
    return { app, lines: lines.map((l) => String(l.msg)) };
  };

  it('without MicrosoftAppId the bot listens on 127.0.0.1 only, and says so once at start', async () => {
    const { app, lines } = await start({});
    expect(app.address.address).toBe('127.0.0.1');
    const saidSo = lines.filter((l) => /^Local mode/.test(l));
    expect(saidSo).toHaveLength(1);
    expect(saidSo[0]).toContain('listening on 127.0.0.1 only');
    // The dev routes are there.
    const answered = await fetch(`${app.url}/api/dev/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+12015550123', text: 'help' }),
    });
    expect(answered.status).toBe(200);
  });

  it('with MicrosoftAppId the bot listens on every interface, has no dev routes, and does not speak of local mode', async () => {
    const { app, lines } = await start(APP);
    expect(app.address.address).toBe('0.0.0.0');
    expect(lines.filter((l) => /^Local mode/.test(l))).toEqual([]);
    for (const route of ['/api/dev/sms', '/api/dev/calls/x.y/answer']) {
      expect((await fetch(`${app.url}${route}`, { method: 'POST' })).status).toBe(404);
    }
  });

  it('in production, with the managed identity, keys and a policy of methods that need no sender, the bot starts', async () => {
    const policyFile = path.join(dataDir, 'policy.yaml');
    fs.writeFileSync(policyFile, policyEnabling(['authenticatorApp', 'securityQuestions']));
    const { app } = await start({
      NODE_ENV: 'production',
      MicrosoftAppId: APP.MicrosoftAppId,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-00000000000a',
      ALLOWED_TENANT_ID: '00000000-0000-0000-0000-00000000000a',
      ENCRYPTION_KEYS: KEYS,
      POLICY_FILE: policyFile,
    });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(fs.existsSync(path.join(dataDir, 'dev-encryption-key'))).toBe(false);
  });

  it('outside local mode, a text, call or email nothing is configured to send fails, and nothing is written to a file', async () => {
    const { log } = capturedLog();
    const { sender, outbox } = openSenders(loadConfig({ DATA_DIR: dataDir, ...APP }), new FrozenClock(), log);
    expect(outbox).toBeUndefined();
    expect(await sender.sendSms('+12015550123', '123456 is your code')).toMatchObject({ ok: false });
    expect(
      await sender.placeCall('+12015550123', { callToken: 't', greeting: 'Hello', noAnswer: 'Goodbye.', voice: 'en-US' }),
    ).toMatchObject({ ok: false });
    expect(await sender.sendEmail('adele@example.com', 'Code', '123456 is your code')).toMatchObject({ ok: false });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  /** Only intervals are frozen: the server and fetch keep their own timeouts. */
  const withFrozenIntervals = async (test: () => Promise<void>) => {
    jest.useFakeTimers({
      doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'Date'],
    });
    try {
      await test();
    } finally {
      jest.useRealTimers();
    }
  };

  it('close() stops everything the app started: its timers and its server', () =>
    withFrozenIntervals(async () => {
      const { app: started } = await start({ HELPDESK_WEBHOOK_URL: 'http://127.0.0.1:9/' });
      // The store's hourly sweep, the help desk's minute sweep, and the campaign send queue.
      expect(jest.getTimerCount()).toBe(3);
      await started.close();
      app = undefined;
      expect(jest.getTimerCount()).toBe(0);
      await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
    }));

  it('a start that fails half-way (its port is taken) stops what it had started', () =>
    withFrozenIntervals(async () => {
      const { app: first } = await start({});
      // The store's hourly sweep and the campaign send queue.
      expect(jest.getTimerCount()).toBe(2);
      const second = startApp(loadConfig({ PORT: String(first.address.port), DATA_DIR: dataDir }), { log: createLogger('silent') });
      await expect(second).rejects.toThrow(/EADDRINUSE/);
      // Only the first app's are left.
      expect(jest.getTimerCount()).toBe(2);
    }));
});
