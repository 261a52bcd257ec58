import type * as OpenIdClient from 'openid-client';

/** Entra ID (or any OpenID provider) sign-in to the dashboard: ADMIN_OIDC_* (docs/admin.md). */
export interface EntraSignInSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Registered with the provider: `<PUBLIC_BASE_URL>/admin/callback` unless set. */
  readonly redirectUrl: string;
  /** An admin has this app role (`roles` claim)... */
  readonly role?: string;
  /** ...or is in this group (`groups` claim, object id). */
  readonly group?: string;
  /** A provider on http:// (tests, local mode on loopback only). */
  readonly allowInsecure: boolean;
}

/** What the callback must check, kept sealed in a cookie between the redirect and the callback. */
export interface SignInTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

export type SignInOutcome =
  | { readonly ok: true; readonly name: string; readonly because: string }
  | { readonly ok: false; readonly name: string; readonly reason: 'not_admin' };

type Claims = Record<string, unknown>;

const listClaim = (claims: Claims, name: string): string[] => {
  const value = claims[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** Admin by the app role, or by the group; neither configured admits no one. */
export function adminBy(claims: Claims, settings: Pick<EntraSignInSettings, 'role' | 'group'>): string | undefined {
  if (settings.role && listClaim(claims, 'roles').includes(settings.role)) return `app role ${settings.role}`;
  if (settings.group && listClaim(claims, 'groups').includes(settings.group)) return `group ${settings.group}`;
  return undefined;
}

/** The name the audit records: the UPN Entra gives (`preferred_username`), else the email, else the subject. */
function nameOf(claims: Claims): string {
  for (const key of ['preferred_username', 'upn', 'email', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value.trim().toLowerCase().slice(0, 320);
  }
  return 'unknown';
}

/**
 * The OpenID Connect authorization code flow with PKCE (S256), state and nonce,
 * by `openid-client`. That package is ESM only: it is loaded with `import()`
 * on the first sign-in, as is the provider's discovery document (a provider
 * down at start does not stop the bot; a failed discovery is tried again).
 */
export class EntraSignIn {
  private configuration?: Promise<{ client: typeof OpenIdClient; config: OpenIdClient.Configuration }>;

  constructor(readonly settings: EntraSignInSettings) {}

  private discover() {
    this.configuration ??= (async () => {
      const client = await import('openid-client');
      const { issuer, clientId, clientSecret, allowInsecure } = this.settings;
      const config = await client.discovery(new URL(issuer), clientId, clientSecret, undefined, {
        execute: allowInsecure ? [client.allowInsecureRequests] : [],
        timeout: 10,
      });
      return { client, config };
    })();
    this.configuration.catch(() => {
      this.configuration = undefined;
    });
    return this.configuration;
  }

  /** Where to send the browser, and what its callback must match. */
  async begin(): Promise<{ url: string; transaction: SignInTransaction }> {
    const { client, config } = await this.discover();
    const transaction = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid profile email',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(transaction.verifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url: url.href, transaction };
  }

  /**
   * Redeems the code of the callback (its query string) and says whether the
   * person is an admin. Throws when the provider's answer does not hold
   * (state, nonce, PKCE, ID token signature, audience, expiry).
   */
  async finish(query: string, transaction: SignInTransaction): Promise<SignInOutcome> {
    const { client, config } = await this.discover();
    // The URL the provider redirected to, as registered: behind a proxy the request's own host differs.
    const callback = new URL(this.settings.redirectUrl);
    callback.search = query;
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: transaction.verifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
    const claims = (tokens.claims() ?? {}) as Claims;
    const name = nameOf(claims);
    const because = adminBy(claims, this.settings);
    return because ? { ok: true, name, because } : { ok: false, name, reason: 'not_admin' };
  }
}
