import type { Server } from 'restify';
import type { Logger } from '../../kit/log';
import type { AuditLog, Clock } from '../../verification/ports';
import { registerDashboardRoutes } from './dashboardRoutes';
import type { EntraSignIn } from './entraSignIn';
import { createAuthorise } from './guard';
import type { Authorise } from './identity';
import { AdminSessions } from './sessions';
import { registerSignInRoutes } from './signInRoutes';

export { EntraSignIn, type EntraSignInSettings } from './entraSignIn';
export type { AdminIdentity, Authorise } from './identity';

/** What the admin side needs (docs/admin.md): any of a bearer key, Entra ID sign-in, or local mode's key form. */
export interface AdminDeps {
  /** ADMIN_API_KEY: `Authorization: Bearer` for API callers (and, in local mode, the dashboard's key form). */
  readonly apiKey?: string;
  /** ADMIN_OIDC_*: Entra ID sign-in to the dashboard. */
  readonly entra?: EntraSignIn;
  /** Local mode: the dashboard's key form, when ADMIN_API_KEY is set. */
  readonly keyLogin: boolean;
  /** Seals sessions (a key derived from the first ENCRYPTION_KEYS key). */
  readonly rootKey: Buffer;
  /** Cookies over HTTPS only: false when the bot is reached on localhost. */
  readonly secureCookies: boolean;
  /** `dist/web/admin/`, the dashboard's bundle. */
  readonly assetsDir: string;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * Sessions, sign-in and the dashboard page when there is a way to sign in;
 * returns the guard every `/api/admin/*` route takes.
 */
export function registerAdmin(server: Server, deps: AdminDeps & { log: Logger }): Authorise {
  const keyLogin = deps.keyLogin && deps.apiKey ? { apiKey: deps.apiKey } : undefined;
  const dashboard = !!deps.entra || !!keyLogin;
  const sessions = dashboard ? new AdminSessions(deps.rootKey, deps.clock, deps.secureCookies) : undefined;
  if (sessions) {
    registerSignInRoutes(server, { ...deps, sessions, keyLogin });
    registerDashboardRoutes(server, { sessions, assetsDir: deps.assetsDir, log: deps.log });
  }
  return createAuthorise({ apiKey: deps.apiKey, sessions });
}
