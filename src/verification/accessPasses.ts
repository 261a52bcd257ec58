import { MINUTE, type VerificationDeps } from './deps';
import type { Effects } from './effects';
import { readableCode, type Via } from './ports';
import type { SecurityInfoProfile } from './profile';
import type { StepUp } from './stepUp';
import type { Throttle } from './throttle';

/** Temporary Access Pass: length, lifetime bounds in minutes (Entra: 10 minutes and up, 1 hour by default). */
const ACCESS_PASS_LENGTH = 12;
const ACCESS_PASS_MIN_MINUTES = 10;
const ACCESS_PASS_MAX_MINUTES = 24 * 60;

export type RedeemResult =
  | { status: 'verified' }
  | { status: 'wrong'; attemptsLeft: number }
  | { status: 'expired' }
  | { status: 'none' }
  | { status: 'notHere' };

/**
 * Temporary Access Passes, as Entra issues them: a help-desk agent vouches
 * for a person, and the pass proves it once. Only its keyed hash is kept.
 */
export class AccessPasses {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'random' | 'secretBox'>,
    private readonly throttle: Throttle,
    private readonly stepUp: StepUp,
    private readonly effects: Effects,
  ) {}

  /**
   * Issues a pass: 12 characters from an alphabet without look-alikes (about
   * 59 bits), 10 minutes to a day (1 hour by default), single-use by default.
   * The pass itself is returned once, for the agent to give the person by a
   * channel they trust. A new pass replaces an earlier one.
   */
  async issue(
    profile: SecurityInfoProfile,
    request: { lifetimeMinutes?: number; singleUse?: boolean; issuedBy: string },
    via: Via,
  ): Promise<{ pass: string; expiresAt: number; singleUse: boolean; lifetimeMinutes: number }> {
    const lifetimeMinutes = Math.min(ACCESS_PASS_MAX_MINUTES, Math.max(ACCESS_PASS_MIN_MINUTES, Math.round(request.lifetimeMinutes ?? 60)));
    const singleUse = request.singleUse ?? true;
    const { random, clock, secretBox } = this.deps;
    const pass = readableCode(random, ACCESS_PASS_LENGTH);
    const now = clock.now();
    const id = random.id();
    profile.accessPass = {
      id,
      hash: secretBox.keyedHash(`pass:${id}:${pass}`),
      issuedAt: now,
      expiresAt: now + lifetimeMinutes * MINUTE,
      singleUse,
      issuedBy: request.issuedBy,
    };
    const detail = `${lifetimeMinutes} min, ${singleUse ? 'single use' : 'reusable'}, by ${request.issuedBy}`;
    await this.effects.record(profile, 'accessPass.issued', 'success', via, undefined, detail);
    return { pass: pass.match(/.{4}/g)!.join('-'), expiresAt: profile.accessPass.expiresAt, singleUse, lifetimeMinutes };
  }

  /** Takes back a pass nobody could be shown (the agent's private chat failed): it stops working at once. */
  async withdraw(profile: SecurityInfoProfile, by: string, via: Via): Promise<boolean> {
    if (!profile.accessPass) return false;
    profile.accessPass = undefined;
    await this.effects.record(profile, 'accessPass.withdrawn', 'success', via, undefined, `by ${by}`);
    return true;
  }

  /**
   * A person proves who they are with the pass an agent gave them: it lifts
   * a lockout (a person vouched for them). It works once (or until expiry
   * when reusable), never after it expires; `attemptsPerCode` wrong entries void it.
   */
  async redeem(profile: SecurityInfoProfile, input: string, via: Via): Promise<RedeemResult> {
    const pass = profile.accessPass;
    if (!pass) return { status: 'none' };
    // A text's sender can be forged, and a pass is read out by people: it is only taken where the sender is proven.
    if (!via.verifiedSender) return { status: 'notHere' };
    if (this.deps.clock.now() >= pass.expiresAt) {
      profile.accessPass = undefined;
      return { status: 'expired' };
    }
    const taken = await this.throttle.codeSlot({ id: pass.id, startedAt: pass.issuedAt });
    const typed = input.replace(/[\s-]/g, '').toUpperCase();
    if (taken === 0 || !this.deps.secretBox.matchesKeyedHash(`pass:${pass.id}:${typed}`, pass.hash)) {
      await this.effects.record(profile, 'accessPass.redeemed', 'failure', via);
      const attemptsLeft = taken === 0 ? 0 : Math.max(0, this.throttle.attemptsPerCode - taken);
      if (attemptsLeft === 0) profile.accessPass = undefined;
      return { status: 'wrong', attemptsLeft };
    }
    if (pass.singleUse) profile.accessPass = undefined;
    this.stepUp.vouched(profile);
    await this.effects.record(profile, 'accessPass.redeemed', 'success', via);
    return { status: 'verified' };
  }
}
