import type { PhoneChannel } from './phone';
import type { MethodKind } from './policy';

/**
 * The security-info profile of one person: the methods that prove who they
 * are, the enrollment in progress, and the failure throttle. It is the unit of
 * work of the verification service: a caller reads it once, lets the service
 * change it, and writes it back once (conditionally).
 */

export type { MethodKind };
export type PhoneKind = 'phone' | 'alternatePhone' | 'officePhone';

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
  readonly kind: PhoneKind;
  /** E.164. */
  readonly e164: string;
  /** Office phones only: dialled after the call connects. */
  readonly extension?: string;
  /** How possession was proven when it was added. */
  readonly verifiedBy: PhoneChannel;
  readonly addedAt: number;
}

export interface EmailMethod {
  readonly id: string;
  readonly kind: 'email';
  readonly address: string;
  readonly addedAt: number;
}

export interface SecurityAnswer {
  readonly questionId: string;
  /** scrypt of the normalised answer, with its own salt. */
  readonly salt: string;
  readonly hash: string;
}

export interface SecurityQuestionsMethod {
  readonly id: string;
  readonly kind: 'securityQuestions';
  readonly answers: readonly SecurityAnswer[];
  readonly addedAt: number;
}

export type SecurityMethod = AuthenticatorAppMethod | PhoneMethod | EmailMethod | SecurityQuestionsMethod;

/** How a phone method signs in by default: a call, or a texted code. */
export type PhoneVariant = 'call' | 'text';

/** How a verification call ended without the number being entered. */
export type CallOutcome = 'noAnswer' | 'busy' | 'failed' | 'wrongKey' | 'hungUp';

/** Where a code goes: a text, a call (enter the number the chat shows), an email. */
export type CodeChannel = PhoneChannel | 'email';

/** A phone or an email address being proven. */
export interface PendingCode {
  readonly id: string;
  /** The method it becomes once proven. */
  readonly methodKind: PhoneKind | 'email';
  /** E.164 number or email address. */
  readonly destination: string;
  readonly extension?: string;
  readonly channel: CodeChannel;
  /** A method this one replaces once proven (a changed number is a new binding). */
  readonly replaces?: string;
  /** A registered method being proven again (a step-up before a change), not a new method. */
  readonly proves?: string;
  /** Keyed hash of the current code; a resend replaces it. */
  codeHash?: string;
  /** Voice: keyed hash of the token in the call's webhook URLs. */
  callTokenHash?: string;
  /** Voice: keyed hash of the two digits the chat shows and the call asks for (number matching). */
  matchHash?: string;
  callOutcome?: CallOutcome;
  readonly startedAt: number;
  expiresAt: number;
  lastSentAt: number;
  sends: number;
  /** Wrong codes for this challenge, across resends (a resend does not reset it). */
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
  /** From the directory; people it does not know get the policy's default role. */
  role: string;
  /** Whether `upn` was vouched for (Teams roster); only then does the directory decide the role. */
  upnVerified?: boolean;
  methods: SecurityMethod[];
  /** Chosen by the person; when absent the best method is the default (see `defaultMethod`). */
  defaultMethodId?: string;
  defaultVariant?: PhoneVariant;
  pendingApp?: PendingAuthenticatorApp;
  pendingCode?: PendingCode;
  throttle: {
    /** Wrong codes in a row, across every code and method; a success resets it. */
    consecutiveFailures: number;
    lockedUntil?: number;
    /** Which attempt counters in the store count now; a success moves to the next ones. */
    epoch?: number;
    /** When the current run of attempts started (the last success): its counters live that long. */
    since?: number;
  };
  /** Where the last code or call went, and when: the resend cooldown outlives a voided challenge. */
  lastSend?: { readonly destination: string; readonly at: number };
  /** When the person last proved possession of a registered method (step-up before changes). */
  stepUp?: { readonly provenAt: number };
  /**
   * The help desk required registration anew: nothing the person still has
   * (an email, an open chat) may start it, only the Temporary Access Pass an
   * agent gives them after checking who they are.
   */
  passRequired?: boolean;
  /** A Temporary Access Pass a help-desk agent issued: only its keyed hash. */
  accessPass?: AccessPass;
}

export interface AccessPass {
  readonly id: string;
  readonly hash: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Works once; otherwise any number of times until it expires. */
  readonly singleUse: boolean;
  /** Who issued it (an agent's name), for the audit log. */
  readonly issuedBy: string;
}

export function newProfile(person: {
  userId: string;
  upn: string;
  displayName: string;
  role: string;
  upnVerified?: boolean;
}): SecurityInfoProfile {
  return { ...person, methods: [], throttle: { consecutiveFailures: 0 } };
}

/** The additional data a TOTP secret is sealed with: it only opens for this user and method. */
export function totpContext(userId: string, methodId: string): string {
  return `totp:${userId}:${methodId}`;
}

export function isPhoneMethod(method: SecurityMethod): method is PhoneMethod {
  return method.kind === 'phone' || method.kind === 'alternatePhone' || method.kind === 'officePhone';
}

/** Phones that take texts (office phones only take calls): where notices go, and by which a person texting is known. */
export function isTextablePhone(method: SecurityMethod): method is PhoneMethod {
  return method.kind === 'phone' || method.kind === 'alternatePhone';
}
