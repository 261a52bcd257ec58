import type { EmailProblem } from './email';
import type { PhoneProblem } from './phone';
import type { MethodKind } from './policy';
import type { DeliveryFailure } from './ports';
import type { CallOutcome, CodeChannel, PhoneVariant, SecurityMethod } from './profile';

/** The outcomes the verification core returns. Expected outcomes are results, never exceptions. */

/** What the QR card shows. It holds the secret: it goes to the person once and is never stored in the clear. */
export interface AppEnrollment {
  readonly appName: string;
  readonly otpauthUri: string;
  readonly issuer: string;
  readonly accountName: string;
  /** The base32 secret in groups of four, for "Can't scan the QR code?". */
  readonly secretKey: string;
  readonly expiresAt: number;
}

/** A change refused until the person proves a method they have (see stepUp.ts). */
export interface StepUpRequired {
  readonly status: 'stepUpRequired';
}

export interface LockedResult {
  readonly status: 'locked';
  /** When verification opens again; absent when only the help desk can unlock. */
  readonly until?: number;
}

export type StartAppResult =
  | { readonly status: 'started'; readonly expiresAt: number }
  | { readonly status: 'limitReached'; readonly max: number }
  | { readonly status: 'notAllowed' }
  | StepUpRequired
  | LockedResult;

/** The outcome of a typed code. Expected outcomes are results, never exceptions. */
export type CodeResult =
  | { readonly status: 'verified'; readonly method: SecurityMethod }
  /** Not 6 digits: not counted as a failure, the person just mistyped. */
  | { readonly status: 'malformed' }
  | { readonly status: 'wrong'; readonly attemptsLeft: number }
  /** Too many wrong codes: this challenge is void; a new QR code or code is needed. */
  | { readonly status: 'attemptsExhausted' }
  | { readonly status: 'expired' }
  | { readonly status: 'nothingPending' }
  | { readonly status: 'replayed' }
  /** A change's code typed after the proof that let it start lapsed: prove again, then type it. */
  | StepUpRequired
  | LockedResult;

/** What starting or resending a code (text, call, email) gives. */
export type SendResult =
  | {
      readonly status: 'sent';
      readonly channel: CodeChannel;
      /** "+1 ••• ••• 7890" or "a•••@fabrikam.com". */
      readonly masked: string;
      /** Becomes the method id once proven. */
      readonly challengeId: string;
      /** A call only: the two digits the person enters when it rings (shown where they asked for it, never said by the call). */
      readonly matchNumber?: string;
      readonly expiresAt: number;
    }
  | { readonly status: 'invalidNumber'; readonly problem: PhoneProblem }
  | { readonly status: 'invalidEmail'; readonly problem: EmailProblem }
  | { readonly status: 'alreadyRegistered' }
  | { readonly status: 'cooldown'; readonly retryInSeconds: number }
  | { readonly status: 'dailyLimit' }
  | { readonly status: 'deliveryFailed'; readonly failure: DeliveryFailure; readonly permanent: boolean }
  | { readonly status: 'nothingPending' }
  /** The role does not enable this kind of method (or the method to replace is of another kind). */
  | { readonly status: 'notAllowed' }
  | StepUpRequired
  | LockedResult;

/** A way to sign in by default: a method, and for phones whether by call or text. */
export interface SignInOption {
  readonly method: SecurityMethod;
  readonly variant?: PhoneVariant;
}

/** Where a challenge stands, as a dialog asks after a call webhook. */
export type ChallengeStatus =
  | { readonly status: 'verified'; readonly method: SecurityMethod }
  | { readonly status: 'waiting' }
  | { readonly status: 'callEnded'; readonly outcome: CallOutcome }
  | { readonly status: 'gone' };

export type CallAnswerResult =
  | { readonly status: 'verified' }
  | { readonly status: 'wrongKey' }
  | { readonly status: 'unknownCall' }
  | LockedResult;

/** Whether the person meets the policy of their role, for sign-in (MFA) and for password reset (SSPR). */
export interface PolicyStatus {
  readonly mfa: { readonly met: boolean; readonly missing: readonly MethodKind[] };
  readonly sspr: { readonly met: boolean; readonly have: number; readonly need: number };
}

/** What deleting a method would do, said before the person confirms. */
export type DeletionCheck =
  | { readonly allowed: false; readonly reason: 'notFound' | 'lastRequiredMfa' | 'stepUpRequired'; readonly kind?: MethodKind }
  | {
      readonly allowed: true;
      readonly method: SecurityMethod;
      /** The method that becomes the default, when the deleted one was the default. */
      readonly newDefault?: SecurityMethod;
      readonly breaksMfa: boolean;
      readonly breaksSspr: boolean;
    };
