import type { Policy } from './policy';
import type { AuditLog, Clock, Counters, Messenger, Random } from './ports';
import type { SecretBox } from './secretBox';

/** Everything the verification core needs from outside, passed in by the composition root. */
export interface VerificationDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly policy: Policy;
  /** Issuer of the otpauth URI (the organisation's name in authenticator apps). */
  readonly issuer: string;
  readonly counters: Counters;
  readonly messenger: Messenger;
  readonly audit: AuditLog;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;
