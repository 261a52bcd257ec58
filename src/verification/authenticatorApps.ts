import { MINUTE, type VerificationDeps } from './deps';
import type { Effects } from './effects';
import type { Methods } from './methods';
import type { Via } from './ports';
import { type AuthenticatorAppMethod, type SecurityInfoProfile, totpContext } from './profile';
import type { AppEnrollment, CodeResult, StartAppResult } from './results';
import { roleOf } from './rules';
import { STEP_UP_REQUIRED, type StepUp } from './stepUp';
import type { Throttle } from './throttle';
import { checkTotp, isCodeShaped, normaliseCode, otpauthUri, TOTP_SECRET_BYTES, toBase32 } from './totp';

/**
 * Authenticator apps (TOTP, RFC 6238): adding one by a QR code and its first
 * code, and checking codes of a registered one. The secret is sealed in the
 * profile from the start and shown once, on the QR card.
 */
export class AuthenticatorApps {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'random' | 'secretBox' | 'policy' | 'issuer'>,
    private readonly throttle: Throttle,
    private readonly stepUp: StepUp,
    private readonly methods: Methods,
    private readonly effects: Effects,
  ) {}

  /**
   * Starts adding an app: a fresh 160-bit secret, sealed into the profile.
   * Starting again replaces an enrollment in progress (its QR code stops working).
   */
  start(profile: SecurityInfoProfile, appName: string): StartAppResult {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const { policy, random, clock, secretBox } = this.deps;
    if (!roleOf(policy, profile).enabledMethods.includes('authenticatorApp')) return { status: 'notAllowed' };
    const apps = profile.methods.filter((m) => m.kind === 'authenticatorApp').length;
    if (apps >= policy.limits.maxAuthenticatorApps) return { status: 'limitReached', max: policy.limits.maxAuthenticatorApps };
    if (this.stepUp.required(profile)) return STEP_UP_REQUIRED;

    const id = random.id();
    const now = clock.now();
    const expiresAt = now + policy.limits.appEnrollmentMinutes * MINUTE;
    profile.pendingApp = {
      id,
      appName,
      sealedSecret: secretBox.seal(random.bytes(TOTP_SECRET_BYTES), totpContext(profile.userId, id)),
      startedAt: now,
      expiresAt,
      wrongCodes: 0,
    };
    return { status: 'started', expiresAt };
  }

  /** What the QR card of the enrollment in progress shows, or nothing when there is none or it expired. */
  pending(profile: SecurityInfoProfile): AppEnrollment | undefined {
    const pending = profile.pendingApp;
    if (!pending || this.deps.clock.now() >= pending.expiresAt) return undefined;
    const { secretBox, issuer } = this.deps;
    const secret = secretBox.open(pending.sealedSecret, totpContext(profile.userId, pending.id));
    return {
      appName: pending.appName,
      otpauthUri: otpauthUri({ issuer, accountName: profile.upn, secret }),
      issuer,
      accountName: profile.upn,
      secretKey: groupsOfFour(toBase32(secret)),
      expiresAt: pending.expiresAt,
    };
  }

  /** Forgets an enrollment in progress (cancelled, abandoned): its QR code stops working. */
  abandon(profile: SecurityInfoProfile): void {
    profile.pendingApp = undefined;
  }

  /**
   * Checks the first code of an app being added. Right: the app becomes a
   * method and its time step is remembered (no replay). Wrong: counted
   * against the enrollment and the person; the last allowed one voids it.
   */
  async verifyNew(profile: SecurityInfoProfile, input: string, via: Via): Promise<CodeResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingApp;
    if (!pending) return { status: 'nothingPending' };
    const now = this.deps.clock.now();
    if (now >= pending.expiresAt) {
      profile.pendingApp = undefined;
      return { status: 'expired' };
    }
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    // Finished within the proof that let it start (none is needed for a first method).
    if (this.stepUp.required(profile)) return STEP_UP_REQUIRED;
    const slot = await this.throttle.attempt(profile, pending);
    if ('status' in slot) {
      if (slot.status === 'attemptsExhausted') profile.pendingApp = undefined;
      return slot;
    }

    const secret = this.deps.secretBox.open(pending.sealedSecret, totpContext(profile.userId, pending.id));
    const check = checkTotp(secret, code, now);
    if (!check.valid) {
      return this.throttle.wrongCode(profile, slot, pending, 'authenticatorApp', via, () => {
        profile.pendingApp = undefined;
      });
    }
    const method: AuthenticatorAppMethod = {
      id: pending.id,
      kind: 'authenticatorApp',
      appName: pending.appName,
      sealedSecret: pending.sealedSecret,
      lastTimeStep: check.timeStep,
      addedAt: now,
    };
    profile.pendingApp = undefined;
    await this.methods.add(profile, method, via, { proven: true });
    return { status: 'verified', method };
  }

  /**
   * Checks a code from a registered app (step-up, sign-in). A code whose time
   * step was already accepted is refused (RFC 6238 §5.2).
   */
  async verifyRegistered(profile: SecurityInfoProfile, methodId: string, input: string, via: Via): Promise<CodeResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const method = profile.methods.find((m): m is AuthenticatorAppMethod => m.id === methodId && m.kind === 'authenticatorApp');
    if (!method) return { status: 'nothingPending' };
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    const slot = await this.throttle.attempt(profile);
    if ('status' in slot) return slot;
    const secret = this.deps.secretBox.open(method.sealedSecret, totpContext(profile.userId, method.id));
    const check = checkTotp(secret, code, this.deps.clock.now());
    if (check.valid && check.timeStep > method.lastTimeStep) {
      method.lastTimeStep = check.timeStep;
      this.stepUp.proven(profile);
      await this.effects.record(profile, 'method.proven', 'success', via, method);
      return { status: 'verified', method };
    }
    const lockedNow = await this.throttle.failure(profile, slot, 'authenticatorApp', via);
    if (lockedNow) return lockedNow;
    return check.valid ? { status: 'replayed' } : { status: 'wrong', attemptsLeft: this.throttle.attemptsLeft(slot) };
  }
}

function groupsOfFour(value: string): string {
  return value.match(/.{1,4}/g)?.join(' ') ?? value;
}
