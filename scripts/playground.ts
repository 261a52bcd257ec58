/**
 * `npm run playground`: the bot, and Microsoft 365 Agents Playground (a Teams-like web chat) pointed at it,
 * with the Teams channel (`msteams`). Prints the address to open; Ctrl+C stops both.
 *
 * The bot reads its settings from the environment as `npm start` does (PORT, DATA_DIR, ...);
 * PLAYGROUND_PORT chooses the Playground's port (default 56150; it takes another one when that is busy);
 * its log goes to $DATA_DIR/m365agentsplayground.log.
 * The browser tests (test/e2e) start the Playground with `startPlayground` below.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { type Config, loadConfig } from '../src/config';
import { type App, startApp } from '../src/index';
import { ConfigError } from '../src/kit/errors';

export interface Playground {
  /** The web page to open, e.g. http://localhost:56150 */
  readonly url: string;
  /** What the Playground has printed so far (stdout and stderr). */
  output(): string;
  /** Stops the Playground and everything it started (its whole process group). */
  stop(): Promise<void>;
  /** Settles when the Playground's process has ended. */
  readonly exited: Promise<void>;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages */
  readonly botEndpoint: string;
  /** The Playground's port; 0 = a free one. */
  readonly port?: number;
  readonly channelId?: 'msteams' | 'emulator' | 'webchat' | 'directline' | 'agents';
  /** How long to wait for its web page (default 60 s). */
  readonly timeoutMs?: number;
  /** Where it writes its log (by default ./devTools/m365agentsplayground.log of its working directory). */
  readonly logFile: string;
  /** Its working directory, where it looks for .m365agentsplayground.yml (default: this process's). */
  readonly cwd?: string;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts the Playground's CLI (from the devDependency) as a child process in its own process group,
 * with no browser opened and no telemetry, and resolves once its web page answers.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const port = options.port || (await freePort());
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(
    process.execPath,
    [cli, '-e', options.botEndpoint, '-c', options.channelId ?? 'msteams', '-p', String(port), '--disable-telemetry'],
    {
      cwd: options.cwd,
      env: {
        ...process.env,
        // No browser opened, the log where we say.
        TEAMSAPPTESTER_BROWSER: 'none',
        BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
        // --disable-telemetry stops its events, but its Application Insights client still starts "statsbeat",
        // which probes the Azure instance metadata service (169.254.169.254). Nothing is to leave this machine.
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      killGroup(child, 'SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the Playground stopped (${child.exitCode ?? child.signalCode}):\n${output}`);
      }
      // "fallback to random if occupied": the port it really listens on is the one it prints.
      const listening = /Listening on (\d+)/.exec(output)?.[1];
      if (listening) {
        const url = `http://localhost:${listening}`;
        const page = await fetch(url, { signal: AbortSignal.timeout(2000) })
          .then(async (r) => (r.ok ? r.text() : ''))
          .catch(() => '');
        if (page.includes('Agents Playground')) return { url, output: () => output, stop, exited };
      }
      if (Date.now() > deadline) throw new Error(`the Playground did not answer within ${options.timeoutMs ?? 60_000} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  let app: App;
  let config: Config;
  try {
    config = loadConfig();
    app = await startApp(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  let playground: Playground;
  try {
    playground = await startPlayground({
      botEndpoint: `${app.url}/api/messages`,
      port: Number(process.env.PLAYGROUND_PORT ?? 56150),
      channelId: 'msteams',
      logFile: path.resolve(config.dataDir, 'm365agentsplayground.log'),
    });
  } catch (err) {
    await app.close();
    throw err;
  }
  console.log(`\nMicrosoft 365 Agents Playground: ${playground.url}  (the bot: ${app.url}/api/messages)`);
  console.log('Open it in a browser. Ctrl+C stops both.\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await playground.stop();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  void playground.exited.then(() => {
    if (stopping) return;
    console.error(`The Playground stopped:\n${playground.output().slice(-2000)}`);
    void stop('playground exited');
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
