import { DAY, MINUTE, type VerificationDeps } from './deps';
import type { Effects } from './effects';
import type { MethodKind } from './policy';
import type { Via } from './ports';
import type { SecurityInfoProfile } from './profile';
import type { CodeResult, LockedResult } from './results';

/** How long a run of failures is counted for at most (a success starts a new run). */
const RUN_DAYS = 400;

/** An attempt slot, taken before a comparison: how many were taken before it, and now. */
export interface Slot {
  /** Attempts on this code so far, this one included (absent for codes that are not a challenge of ours). */
  readonly code?: number;
  /** Attempts by this person in the current lockout window, this one included. */
  readonly window: number;
  readonly windowEndsAt: number;
  /** Attempts since the person's last success, this one included. */
  readonly run: number;
}

/**
 * The throttle on guessing (docs/design.md §5): every comparison of a code,
 * pass or answer first takes an attempt slot from counters in the store, so
 * the limits hold however many requests arrive at once, on any instance:
 * - per code: `attemptsPerCode` over its life (a resend does not give more);
 * - per person: `lockoutThreshold` in a fixed window of `lockoutMinutes`;
 * - per person: `failuresBeforeHelpDesk` since their last success, then only
 *   the help desk can unlock (NIST SP 800-63B-4 §3.2.2: at most 100).
 * A success (proof of possession) starts a new run: its counters are new keys.
 */
export class Throttle {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'policy' | 'counters'>,
    private readonly effects: Effects,
  ) {}

  /** What the profile already knows: a lockout in force, or a run that only the help desk can end. */
  lockStatus(profile: SecurityInfoProfile): LockedResult | undefined {
    const { consecutiveFailures, lockedUntil } = profile.throttle;
    if (consecutiveFailures >= this.deps.policy.limits.failuresBeforeHelpDesk) return { status: 'locked' };
    if (lockedUntil !== undefined && lockedUntil > this.deps.clock.now()) return { status: 'locked', until: lockedUntil };
    return undefined;
  }

  /**
   * Takes a slot before comparing anything. `code` names the challenge the
   * comparison is for. Refused: the code is spent, or the person is locked
   * (the profile then says so, for the turns after this one).
   */
  async attempt(
    profile: SecurityInfoProfile,
    code?: { readonly id: string; readonly startedAt: number },
  ): Promise<Slot | { readonly status: 'attemptsExhausted' } | LockedResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const { counters, policy, clock } = this.deps;
    const { limits } = policy;
    const now = clock.now();
    // An increment is atomic in the store: of N parallel attempts, each sees its own count, and only the first `limit` go on.
    const codeCount = code ? await this.codeSlot(code) : undefined;
    if (codeCount === 0) return { status: 'attemptsExhausted' };
    const run = this.runKey(profile);
    const windowLength = limits.lockoutMinutes * MINUTE;
    const windowEndsAt = (Math.floor(now / windowLength) + 1) * windowLength;
    const window = await counters.increment(`attempts:window:${run.key}`, windowEndsAt);
    if (window > limits.lockoutThreshold) {
      profile.throttle.lockedUntil = Math.max(profile.throttle.lockedUntil ?? 0, windowEndsAt);
      return { status: 'locked', until: windowEndsAt };
    }
    const runCount = await counters.increment(`attempts:run:${run.key}`, run.endsAt);
    if (runCount > limits.failuresBeforeHelpDesk) {
      profile.throttle.consecutiveFailures = Math.max(profile.throttle.consecutiveFailures, limits.failuresBeforeHelpDesk);
      return { status: 'locked' };
    }
    return { ...(codeCount === undefined ? {} : { code: codeCount }), window, windowEndsAt, run: runCount };
  }

  /**
   * Takes one of a code's own `attemptsPerCode` slots (over its whole life):
   * how many are taken with this one, or 0 when none is left.
   */
  async codeSlot(code: { readonly id: string; readonly startedAt: number }): Promise<number> {
    const count = await this.deps.counters.increment(`attempts:code:${code.id}`, code.startedAt + DAY);
    return count > this.deps.policy.limits.attemptsPerCode ? 0 : count;
  }

  /** A comparison failed: audited, and the lock it caused (if any) is kept in the profile and returned. */
  async failure(profile: SecurityInfoProfile, slot: Slot, kind: MethodKind, via: Via): Promise<LockedResult | undefined> {
    const { limits } = this.deps.policy;
    const throttle = profile.throttle;
    throttle.consecutiveFailures = Math.max(throttle.consecutiveFailures + 1, slot.run);
    await this.effects.record(profile, 'verification.failed', 'failure', via, kind);
    let locked: LockedResult | undefined;
    if (slot.run >= limits.failuresBeforeHelpDesk) locked = { status: 'locked' };
    else if (slot.window >= limits.lockoutThreshold) {
      throttle.lockedUntil = slot.windowEndsAt;
      locked = { status: 'locked', until: slot.windowEndsAt };
    }
    if (locked) {
      const detail = locked.until ? `until ${new Date(locked.until).toISOString()}` : 'help desk';
      await this.effects.record(profile, 'account.locked', 'failure', via, undefined, detail);
    }
    return locked;
  }

  get attemptsPerCode(): number {
    return this.deps.policy.limits.attemptsPerCode;
  }

  /**
   * A wrong code for a challenge in progress (a QR code, a texted code):
   * counted on the challenge and the person; the last allowed one voids the
   * challenge (`voidChallenge`).
   */
  async wrongCode(
    profile: SecurityInfoProfile,
    slot: Slot,
    challenge: { wrongCodes: number },
    kind: MethodKind,
    via: Via,
    voidChallenge: () => void,
  ): Promise<CodeResult> {
    challenge.wrongCodes = slot.code ?? challenge.wrongCodes + 1;
    const attemptsLeft = this.attemptsPerCode - challenge.wrongCodes;
    if (attemptsLeft <= 0) voidChallenge();
    const locked = await this.failure(profile, slot, kind, via);
    return locked ?? (attemptsLeft <= 0 ? { status: 'attemptsExhausted' } : { status: 'wrong', attemptsLeft });
  }

  /** Wrong comparisons the person has left before the current window locks them out. */
  attemptsLeft(slot: Slot): number {
    return Math.max(0, this.deps.policy.limits.lockoutThreshold - slot.window);
  }

  /** Proof of possession (a right code, a pass) ends the run of failures and lifts any lockout. */
  success(profile: SecurityInfoProfile): void {
    profile.throttle = { consecutiveFailures: 0, epoch: (profile.throttle.epoch ?? 0) + 1, since: this.deps.clock.now() };
  }

  /** The counters of the person's current run. Parallel turns read the same profile, so they name the same keys. */
  private runKey(profile: SecurityInfoProfile): { key: string; endsAt: number } {
    const { epoch = 0, since } = profile.throttle;
    const length = RUN_DAYS * DAY;
    // A run started before `since` was kept counts in fixed blocks.
    const endsAt = since !== undefined ? since + length : (Math.floor(this.deps.clock.now() / length) + 1) * length;
    return { key: `${profile.userId}:${epoch}`, endsAt };
  }
}
