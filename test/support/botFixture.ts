import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { type App, type AppOverrides, startApp } from '../../src/index';
import { createLogger } from '../../src/kit/log';
import { BotClient } from './botClient';
import { ConnectorStub } from './connectorStub';
import { freePort } from './loopback';

/**
 * The real bot on a loopback port with its own data folder, a connector stub
 * at serviceUrl, and a Teams client to talk to it. `publicUrl` fixes the port
 * first, for settings (Twilio, QR links) whose URLs must be known at start.
 */
export class BotFixture {
  app!: App;
  client!: BotClient;
  publicBaseUrl = '';

  private constructor(
    readonly connector: ConnectorStub,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly overrides: AppOverrides,
  ) {}

  static async start(
    env: Record<string, string> | ((connectorUrl: string) => Record<string, string>) = {},
    overrides: AppOverrides = {},
    options: { publicUrl?: boolean } = {},
  ): Promise<BotFixture> {
    const connector = await new ConnectorStub().start();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-'));
    const settings = { PORT: '0', DATA_DIR: dataDir, ...(typeof env === 'function' ? env(connector.url) : env) };
    const fixture = new BotFixture(connector, dataDir, settings, { log: createLogger('silent'), ...overrides });
    if (options.publicUrl) {
      const port = await freePort();
      fixture.publicBaseUrl = `http://127.0.0.1:${port}`;
      Object.assign(settings, { PORT: String(port), PUBLIC_BASE_URL: fixture.publicBaseUrl });
    }
    await fixture.launch();
    fixture.client = new BotClient(fixture.app.url, connector);
    return fixture;
  }

  /** The dev outbox of this bot. */
  get outbox(): string {
    return path.join(this.dataDir, 'outbox.jsonl');
  }

  /** Stops the bot and starts it again on the same data folder (a deployment, a crash). */
  async restart(): Promise<void> {
    await this.app.close();
    await this.launch();
    this.client.appUrl = this.app.url;
    // Ready when it answers its health check, as behind a load balancer (a kept-alive socket to the old one may fail first).
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await fetch(`${this.app.url}/healthz`)).ok) return;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.connector.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    this.app = await startApp(loadConfig(this.env), this.overrides);
  }
}
