import type { VerificationDeps } from './deps';
import { matchInput, type OutOfBandCodes } from './outOfBandCodes';
import type { CallOutcome, PendingCode, SecurityInfoProfile } from './profile';
import type { CallAnswerResult } from './results';
import type { Throttle } from './throttle';

/** Twilio's webhooks of a call come from Twilio, whoever answered: they are a channel of their own. */
const VOICE = { channel: 'voice', verifiedSender: true } as const;

/**
 * The webhooks of a verification call (Twilio's Gather and status callbacks):
 * the keys pressed, and how the call ended. The token in their URL must be
 * the call's own.
 */
export class Calls {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'secretBox'>,
    private readonly throttle: Throttle,
    private readonly codes: OutOfBandCodes,
  ) {}

  /**
   * The person entered digits during the call. Only the two the chat showed
   * prove possession: answering alone, or pressing #, proves nothing (no one
   * can bind their phone to a chat they cannot see).
   */
  async answer(profile: SecurityInfoProfile, callToken: string, digits: string): Promise<CallAnswerResult> {
    const pending = this.pendingCall(profile, callToken);
    if (!pending) return { status: 'unknownCall' };
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const slot = await this.throttle.attempt(profile, pending);
    if ('status' in slot) return slot.status === 'locked' ? slot : { status: 'wrongKey' };
    if (pending.matchHash && this.deps.secretBox.matchesKeyedHash(matchInput(pending.id, digits.trim()), pending.matchHash)) {
      return (await this.codes.complete(profile, pending, VOICE)) ? { status: 'verified' } : { status: 'unknownCall' };
    }
    pending.callOutcome = 'wrongKey';
    return (await this.throttle.failure(profile, slot, pending.methodKind, VOICE)) ?? { status: 'wrongKey' };
  }

  /** The call ended: record why, unless the right keys already proved the phone. */
  recordEnd(profile: SecurityInfoProfile, callToken: string, outcome: CallOutcome): boolean {
    const pending = this.pendingCall(profile, callToken);
    if (!pending || pending.callOutcome) return false;
    pending.callOutcome = outcome;
    return true;
  }

  private pendingCall(profile: SecurityInfoProfile, callToken: string): PendingCode | undefined {
    const pending = profile.pendingCode;
    if (!pending?.callTokenHash || this.deps.clock.now() >= pending.expiresAt) return undefined;
    return this.deps.secretBox.matchesKeyedHash(callToken, pending.callTokenHash) ? pending : undefined;
  }
}
