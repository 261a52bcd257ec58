/**
 * The security-info profile of one person: the methods that prove who they
 * are, the enrollment in progress, and the failure throttle. It is the unit of
 * work of the verification service: a caller reads it once, lets the service
 * change it, and writes it back once (conditionally).
 */

import type { PhoneChannel } from './phone';

export type MethodKind = 'authenticatorApp' | 'phone';

export interface AuthenticatorAppMethod {
  readonly id: string;
  readonly kind: 'authenticatorApp';
  /** "Microsoft Authenticator" or "Authenticator app": what the person said they use. */
  readonly appName: string;
  /** TOTP secret sealed with the SecretBox, bound to `totpContext(userId, id)`. */
  readonly sealedSecret: string;
  /** The last accepted RFC 6238 time step: a code of this step or earlier is a replay. */
  lastTimeStep: number;
  readonly addedAt: number;
}

export interface PhoneMethod {
  readonly id: string;
  readonly kind: 'phone';
  /** E.164. */
  readonly e164: string;
  /** How possession was proven when it was added. */
  readonly verifiedBy: PhoneChannel;
  readonly addedAt: number;
}

export type SecurityMethod = AuthenticatorAppMethod | PhoneMethod;

/** How a verification call ended without the # key. */
export type CallOutcome = 'noAnswer' | 'busy' | 'failed' | 'wrongKey' | 'hungUp';

/** A phone being proven: a code sent by text, or a call waiting for #. */
export interface PendingPhone {
  readonly id: string;
  readonly e164: string;
  readonly channel: PhoneChannel;
  /** SMS: keyed hash of the current code; a resend replaces it. */
  codeHash?: string;
  /** Voice: keyed hash of the token in the call's webhook URLs. */
  callTokenHash?: string;
  callOutcome?: CallOutcome;
  expiresAt: number;
  lastSentAt: number;
  sends: number;
  /** Wrong codes for this phone, across resends (a resend does not reset it). */
  wrongCodes: number;
}

/** An authenticator app shown as a QR code and not verified yet. */
export interface PendingAuthenticatorApp {
  readonly id: string;
  readonly appName: string;
  readonly sealedSecret: string;
  readonly startedAt: number;
  readonly expiresAt: number;
  wrongCodes: number;
}

export interface SecurityInfoProfile {
  readonly userId: string;
  upn: string;
  displayName: string;
  methods: SecurityMethod[];
  /** Chosen by the person; when absent the best method is the default (see `defaultMethod`). */
  defaultMethodId?: string;
  pendingApp?: PendingAuthenticatorApp;
  pendingPhone?: PendingPhone;
  throttle: {
    /** Wrong codes in a row, across every code and method; a success resets it. */
    consecutiveFailures: number;
    lockedUntil?: number;
  };
}

export function newProfile(person: { userId: string; upn: string; displayName: string }): SecurityInfoProfile {
  return { ...person, methods: [], throttle: { consecutiveFailures: 0 } };
}

/** The additional data a TOTP secret is sealed with: it only opens for this user and method. */
export function totpContext(userId: string, methodId: string): string {
  return `totp:${userId}:${methodId}`;
}
