import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { type Playground, startPlayground } from '../../../scripts/playground';
import { loadConfig } from '../../../src/config';
import { type App, startApp } from '../../../src/index';
import { createLogger } from '../../../src/kit/log';
import { launchChromium, localOnlyContext } from './browser';
import { PlaygroundChat } from './playgroundChat';

/** The Playground's chat pane is at least 600 px wide; its cards are a fixed ~446 px whatever the window. */
const VIEWPORT = { width: 600, height: 900 };

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** The bot, the Playground pointed at it, and a Chromium page on it: one person's chat. */
export interface PlaygroundSession {
  readonly chat: PlaygroundChat;
  readonly page: Page;
  /** The dev outbox's file: texts, calls and emails the bot sent. */
  readonly outbox: string;
  /** The bot's log at warn and above, kept in memory (nothing is printed). */
  readonly botLog: LogLine[];
  readonly pageErrors: string[];
  /** Requests the page made to anywhere but this machine (refused). */
  readonly blocked: string[];
  close(): Promise<void>;
}

/** Starts the bot (dev outbox, SQLite in a temporary folder), the Playground (Teams channel) and Chromium, and opens the chat. */
export async function startSession(screenshotDir: string): Promise<PlaygroundSession> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-playground-'));
  const outbox = path.join(dataDir, 'outbox.jsonl');
  const botLog: LogLine[] = [];
  const pageErrors: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) botLog.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  let app: App | undefined;
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let blocked: string[] = [];
  const close = async () => {
    if (process.env.E2E_DEBUG) {
      await page?.screenshot({ path: path.join(os.tmpdir(), 'playground-e2e-last-page.png') });
      // biome-ignore lint/performance/useDomNodeTextContent: a transcript to read wants the rendered line breaks
      const transcript = (await page?.innerText('body')) ?? '';
      fs.writeFileSync(path.join(os.tmpdir(), 'playground-e2e-transcript.txt'), transcript);
      console.log(`bot log (warn and above):\n${botLog.map((l) => JSON.stringify(l)).join('\n')}`);
      const playgroundLog = path.join(dataDir, 'playground', 'm365agentsplayground.log');
      console.log(`Playground log:\n${fs.existsSync(playgroundLog) ? fs.readFileSync(playgroundLog, 'utf8') : playground?.output()}`);
      console.log(`blocked requests:\n${blocked.join('\n')}`);
    }
    await browser?.close();
    await playground?.stop();
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    app = await startApp(loadConfig({ PORT: '0', DATA_DIR: dataDir, ORG_NAME: 'Contoso' }), { log: createLogger('warn', sink) });
    // In a directory of its own: no .m365agentsplayground.yml of the developer's, and its log stays out of the repo.
    const playgroundDir = path.join(dataDir, 'playground');
    fs.mkdirSync(playgroundDir);
    playground = await startPlayground({
      botEndpoint: `${app.url}/api/messages`,
      channelId: 'msteams',
      cwd: playgroundDir,
      logFile: path.join(playgroundDir, 'm365agentsplayground.log'),
    });
    browser = await launchChromium();
    const local = await localOnlyContext(browser, VIEWPORT);
    blocked = local.blocked;
    page = await local.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const chat = new PlaygroundChat(page, screenshotDir);
    // By address, not by name: Chromium resolves no host name at all.
    await chat.open(playground.url.replace('//localhost:', '//127.0.0.1:'));
    return { chat, page, outbox, botLog, pageErrors, blocked, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * What every card of the wizard and of manage mode must be (WCAG 2.1 AA as axe-core checks it): no serious or
 * critical finding, and no text cut off when it is twice as large (200% zoom).
 */
export async function expectAccessible(chat: PlaygroundChat): Promise<void> {
  expect(await chat.axeLastCard()).toEqual([]);
  expect(await chat.clippedAtZoom200()).toEqual([]);
}
