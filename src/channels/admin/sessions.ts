import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Clock } from '../../verification/ports';
import { readCookie, setCookie } from './cookies';
import { SealedCookie } from './sealedCookie';

/** How someone signed in to the dashboard. */
export type SignInMethod = 'entra' | 'key';

export interface AdminSession {
  readonly name: string;
  readonly method: SignInMethod;
  /** Sent back with every POST (form field or `x-csrf-token` header): another site cannot read it. */
  readonly csrf: string;
}

/** A dashboard session lasts an hour, then the admin signs in again (docs/admin.md). */
export const SESSION_MINUTES = 60;

const COOKIE = 'admin_session';

/**
 * Dashboard sessions, kept by the browser in a sealed cookie (nothing on the
 * server, so every instance reads them): HttpOnly, SameSite=Lax, Secure outside
 * localhost, an hour at most.
 */
export class AdminSessions {
  private readonly sealed: SealedCookie<{ n: string; m: SignInMethod; c: string }>;

  constructor(
    rootKey: Buffer,
    private readonly clock: Clock,
    /** Sent over HTTPS only: true unless the bot is reached on localhost. */
    readonly secure: boolean,
  ) {
    this.sealed = new SealedCookie(rootKey, 'session');
  }

  start(res: Response, name: string, method: SignInMethod): void {
    const csrf = randomBytes(24).toString('base64url');
    const token = this.sealed.seal({ n: name, m: method, c: csrf }, this.clock.now() + SESSION_MINUTES * 60_000);
    setCookie(res, COOKIE, token, { path: '/', maxAge: SESSION_MINUTES * 60, secure: this.secure });
  }

  read(req: Request): AdminSession | undefined {
    const value = this.sealed.open(readCookie(req, COOKIE), this.clock.now());
    return value && { name: value.n, method: value.m, csrf: value.c };
  }

  end(res: Response): void {
    setCookie(res, COOKIE, '', { path: '/', maxAge: 0, secure: this.secure });
  }
}
