import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/**
 * `src/index.ts` (or another entry point) as its own process, as `npm start`
 * runs it, with only the settings given: nothing of the test's environment
 * leaks in but PATH.
 */
function launch(env: Record<string, string>, entry = 'src/index.ts', options: LaunchOptions = {}): ChildProcess {
  // tsx as a loader, not its CLI: the CLI keeps a pipe in the temp folder, which a test watches.
  const node = [process.execPath, '--import', 'tsx', entry];
  const [command, ...args] =
    options.fileSizeKiB === undefined ? node : ['bash', '-c', `ulimit -f ${options.fileSizeKiB} && exec "$@"`, 'bot', ...node];
  return spawn(command!, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface LaunchOptions {
  /**
   * Runs it under `ulimit -f` (RLIMIT_FSIZE, which any user may lower for a
   * child): no file it writes (the SQLite file, its WAL) may grow past that, as
   * on a full disk; the write fails with EFBIG (Node ignores SIGXFSZ), which
   * SQLite reports as a disk I/O error.
   */
  readonly fileSizeKiB?: number;
}

export interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an entry point to its end. */
export function runToExit(env: Record<string, string>, entry?: string): Promise<Exited> {
  const child = launch(env, entry);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Running {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** The log lines so far, parsed. */
  logLines(): Array<Record<string, unknown>>;
  /** Stops it as a platform would (SIGTERM); resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts the bot and resolves once it listens (its log says where). */
export function startServer(env: Record<string, string>, options: LaunchOptions = {}): Promise<Running> {
  const child = launch({ PORT: '0', ...env }, undefined, options);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const logLines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const stop = async () => {
    child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = logLines().find((l) => l.msg === 'security info assistant listening');
      if (listening) resolve({ url: `http://127.0.0.1:${listening.port}`, child, exited, logLines, stop });
    });
    void exited.then((code) => reject(new Error(`the bot stopped (${code}) before it listened:\n${stdout}${stderr}`)));
  });
}

/** A policy whose roles (those of the sample directory) enable `methods` (admins never security questions). */
export function policyEnabling(methods: string[]): string {
  const role = (name: string) =>
    `  ${name}:\n    enabledMethods: [${methods.filter((m) => name !== 'admin' || m !== 'securityQuestions').join(', ')}]\n`;
  return `roles:\n${['employee', 'student', 'admin'].map(role).join('')}phone:\n  allowedCountries: [US]\n`;
}
