import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** Who can sign in, and the claims each one's ID token carries. */
export type Accounts = Record<string, Record<string, unknown>>;

/**
 * A real OpenID provider (panva's oidc-provider) in its own process on
 * 127.0.0.1 (test/support/oidcProviderProcess.mjs): one confidential client, PKCE
 * required. `nextLogin` says who signs in at the next authorization request.
 */
export class OidcProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
    readonly stderr: () => string,
  ) {}

  static start(client: { id: string; secret: string; redirectUri: string }, accounts: Accounts): Promise<OidcProvider> {
    const child = spawn(process.execPath, [path.join(__dirname, 'oidcProviderProcess.mjs')], {
      env: {
        PATH: process.env.PATH ?? '',
        CLIENT_ID: client.id,
        CLIENT_SECRET: client.secret,
        REDIRECT_URI: client.redirectUri,
        ACCOUNTS: JSON.stringify(accounts),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n').find((l) => l.startsWith('{"issuer"'));
        if (line) resolve(new OidcProvider(child, (JSON.parse(line) as { issuer: string }).issuer, () => stderr));
      });
      child.once('close', (code) => reject(new Error(`the OpenID provider stopped (${code}):\n${stdout}${stderr}`)));
    });
  }

  async nextLogin(account: string): Promise<void> {
    const response = await fetch(`${this.issuer}/test/next-login/${account}`, { method: 'POST' });
    if (response.status !== 204) throw new Error(`could not choose the next login: ${response.status}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    this.child.kill('SIGTERM');
    await closed;
  }
}
