import { newCallToken } from './callToken';
import { DAY, MINUTE, SECOND, type VerificationDeps } from './deps';
import type { Effects } from './effects';
import { checkEmailAddress, maskEmail } from './email';
import type { Methods } from './methods';
import { isPhoneProblem, maskPhone, type PhoneChannel, parsePhoneNumber } from './phone';
import type { KeyedName, Via } from './ports';
import { isPhoneMethod, type PendingCode, type PhoneKind, type SecurityInfoProfile, type SecurityMethod } from './profile';
import type { ChallengeStatus, CodeResult, SendResult } from './results';
import { addRefusal } from './rules';
import { STEP_UP_REQUIRED, type StepUp } from './stepUp';
import type { Throttle } from './throttle';
import { isCodeShaped, normaliseCode } from './totp';

/** What a challenge proves once its code comes back. */
type Target = Pick<PendingCode, 'methodKind' | 'destination' | 'channel' | 'extension' | 'replaces' | 'proves'>;

/**
 * Out-of-band codes (NIST SP 800-63B-4 §3.1.3): a code texted or emailed, or
 * a call answered, proving a phone or an address. Six digits from the CSPRNG,
 * kept as a keyed hash, single use, a few minutes; sends capped per person
 * and per destination (SMS pumping, toll fraud); a resend waits a cooldown
 * and does not reset the wrong-code count.
 */
export class OutOfBandCodes {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'random' | 'secretBox' | 'policy' | 'counters' | 'messenger'>,
    private readonly throttle: Throttle,
    private readonly stepUp: StepUp,
    private readonly methods: Methods,
    private readonly effects: Effects,
  ) {}

  /** Starts proving a phone: checks the number (country, type, allow-list), the lock and the caps, then texts or calls. */
  async startPhone(
    profile: SecurityInfoProfile,
    request: { number: string; country: string; channel: PhoneChannel; kind?: PhoneKind; extension?: string; replaces?: string },
  ): Promise<SendResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const kind = request.kind ?? 'phone';
    const refusal = addRefusal(this.deps.policy, profile, kind, request.replaces);
    if (refusal) return refusal;
    if (this.stepUp.required(profile)) return STEP_UP_REQUIRED;
    const channel = kind === 'officePhone' ? 'voice' : request.channel;
    const { allowedCountries } = this.deps.policy.phone;
    const parsed = parsePhoneNumber(request.number, request.country, { allowedCountries, channel });
    if (isPhoneProblem(parsed)) return { status: 'invalidNumber', problem: parsed };
    if (profile.methods.some((m) => isPhoneMethod(m) && m.e164 === parsed.e164 && m.id !== request.replaces)) {
      return { status: 'alreadyRegistered' };
    }
    const extension = kind === 'officePhone' ? request.extension?.replace(/\D/g, '').slice(0, 10) || undefined : undefined;
    return this.start(profile, { methodKind: kind, destination: parsed.e164, channel, extension, replaces: request.replaces });
  }

  /** Starts proving an email address for password reset: never one of the organisation's own domains. */
  async startEmail(profile: SecurityInfoProfile, request: { address: string; replaces?: string }): Promise<SendResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const refusal = addRefusal(this.deps.policy, profile, 'email', request.replaces);
    if (refusal) return refusal;
    if (this.stepUp.required(profile)) return STEP_UP_REQUIRED;
    const checked = checkEmailAddress(request.address, this.deps.policy.email.organisationDomains);
    if ('problem' in checked) return { status: 'invalidEmail', problem: checked };
    if (profile.methods.some((m) => m.kind === 'email' && m.address === checked.address && m.id !== request.replaces)) {
      return { status: 'alreadyRegistered' };
    }
    return this.start(profile, { methodKind: 'email', destination: checked.address, channel: 'email', replaces: request.replaces });
  }

  /**
   * Starts proving a registered phone (a text, or a call; office phones only
   * call) or, for someone without a sign-in method, an email address: the
   * step-up before a change. Not a new method.
   */
  async startProof(profile: SecurityInfoProfile, methodId: string, channel: PhoneChannel): Promise<SendResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const method = profile.methods.find((m) => m.id === methodId);
    if (!method || !this.stepUp.canProve(profile, method)) return { status: 'notAllowed' };
    if (method.kind === 'email')
      return this.start(profile, { methodKind: 'email', destination: method.address, channel: 'email', proves: method.id });
    if (!isPhoneMethod(method)) return { status: 'notAllowed' };
    return this.start(profile, {
      methodKind: method.kind,
      destination: method.e164,
      channel: method.kind === 'officePhone' ? 'voice' : channel,
      extension: method.extension,
      proves: method.id,
    });
  }

  /** Sends a new code (or calls again) for the challenge in progress, after the cooldown. */
  async resend(profile: SecurityInfoProfile): Promise<SendResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingCode;
    if (!pending) return { status: 'nothingPending' };
    if (this.needsProofFirst(profile, pending)) return STEP_UP_REQUIRED;
    const wait = this.cooldownLeft(pending.lastSentAt);
    if (wait > 0) return { status: 'cooldown', retryInSeconds: wait };
    return this.send(profile, pending);
  }

  /** Checks a texted or emailed code: 6 digits, before expiry, once; `attemptsPerCode` tries over the challenge's life. */
  async verify(profile: SecurityInfoProfile, input: string, via: Via): Promise<CodeResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingCode;
    if (!pending?.codeHash) return { status: 'nothingPending' };
    if (this.deps.clock.now() >= pending.expiresAt) return { status: 'expired' };
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    if (this.needsProofFirst(profile, pending)) return STEP_UP_REQUIRED;
    const slot = await this.throttle.attempt(profile, pending);
    if ('status' in slot) {
      if (slot.status === 'attemptsExhausted') profile.pendingCode = undefined;
      return slot;
    }
    if (!this.deps.secretBox.matchesKeyedHash(`${pending.id}:${code}`, pending.codeHash)) {
      return this.throttle.wrongCode(profile, slot, pending, pending.methodKind, via, () => {
        profile.pendingCode = undefined;
      });
    }
    const method = await this.complete(profile, pending, via);
    return method ? { status: 'verified', method } : { status: 'nothingPending' };
  }

  /**
   * A change is finished within the proof that let it start: a code typed
   * after the proof lapsed waits for a new one (proving a method the person
   * has is itself the proof, and needs none).
   */
  private needsProofFirst(profile: SecurityInfoProfile, pending: PendingCode): boolean {
    return !pending.proves && this.stepUp.required(profile);
  }

  /** Where the challenge `challengeId` stands. */
  status(profile: SecurityInfoProfile, challengeId: string): ChallengeStatus {
    const method = profile.methods.find((m) => m.id === challengeId);
    if (method) return { status: 'verified', method };
    const pending = profile.pendingCode;
    if (!pending || pending.id !== challengeId) return { status: 'gone' };
    if (pending.callOutcome) return { status: 'callEnded', outcome: pending.callOutcome };
    return { status: 'waiting' };
  }

  abandon(profile: SecurityInfoProfile): void {
    profile.pendingCode = undefined;
  }

  /**
   * A proven challenge: a registered method proven again stays as it is; a
   * new phone or address becomes a method, in place of the one it replaces.
   * Undefined when what it was for is gone (the method proven or replaced was
   * deleted meanwhile, or the role no longer allows it): nothing changes.
   */
  async complete(profile: SecurityInfoProfile, pending: PendingCode, via: Via): Promise<SecurityMethod | undefined> {
    const { clock } = this.deps;
    profile.pendingCode = undefined;
    if (pending.proves) {
      const proven = profile.methods.find((m) => m.id === pending.proves);
      if (!proven) return undefined;
      this.stepUp.proven(profile);
      await this.effects.record(profile, 'method.proven', 'success', via, proven);
      return proven;
    }
    if (addRefusal(this.deps.policy, profile, pending.methodKind, pending.replaces)) return undefined;
    const addedAt = clock.now();
    const method: SecurityMethod =
      pending.methodKind === 'email'
        ? { id: pending.id, kind: 'email', address: pending.destination, addedAt }
        : {
            id: pending.id,
            kind: pending.methodKind,
            e164: pending.destination,
            ...(pending.extension ? { extension: pending.extension } : {}),
            verifiedBy: pending.channel === 'voice' ? 'voice' : 'sms',
            addedAt,
          };
    const replaces = pending.replaces ? profile.methods.find((m) => m.id === pending.replaces) : undefined;
    await this.methods.add(profile, method, via, { replaces, proven: true });
    return method;
  }

  private async start(profile: SecurityInfoProfile, target: Target): Promise<SendResult> {
    // The cooldown holds for the destination even after its challenge was voided or abandoned.
    if (profile.lastSend?.destination === target.destination) {
      const wait = this.cooldownLeft(profile.lastSend.at);
      if (wait > 0) return { status: 'cooldown', retryInSeconds: wait };
    }
    const pending: PendingCode = {
      ...target,
      id: this.deps.random.id(),
      startedAt: this.deps.clock.now(),
      expiresAt: 0,
      lastSentAt: 0,
      sends: 0,
      wrongCodes: 0,
    };
    return this.send(profile, pending);
  }

  private cooldownLeft(lastSentAt: number): number {
    const ends = lastSentAt + this.deps.policy.codes.resendCooldownSeconds * SECOND;
    return Math.max(0, Math.ceil((ends - this.deps.clock.now()) / SECOND));
  }

  /**
   * Spends the caps, makes a fresh code or call token, and sends it. The new
   * code replaces the one out there only once it is delivered: a failed resend
   * leaves the previous code working.
   */
  private async send(profile: SecurityInfoProfile, current: PendingCode): Promise<SendResult> {
    const pending: PendingCode = { ...current };
    const { clock, counters, random, secretBox, policy, messenger } = this.deps;
    const now = clock.now();
    const dayEnds = (Math.floor(now / DAY) + 1) * DAY;
    // SMS pumping and toll fraud: every cap is spent before anything is sent.
    const caps: Array<[string | KeyedName, number, number]> = [
      [`sends:user:${profile.userId}`, policy.codes.sendsPerUserPerDay, dayEnds],
      [secretBox.keyedNames(pending.destination).of('sends:destination:'), policy.codes.sendsPerDestinationPerDay, dayEnds],
    ];
    if (pending.channel === 'email') {
      caps.push([`emails:user:${profile.userId}`, policy.codes.emailsPerTenMinutes, (Math.floor(now / (10 * MINUTE)) + 1) * 10 * MINUTE]);
    }
    for (const [key, limit, windowEnds] of caps) {
      if (!(await counters.take(key, limit, windowEnds))) return { status: 'dailyLimit' };
    }

    let delivery: Awaited<ReturnType<typeof messenger.sendCode>>;
    let matchNumber: string | undefined;
    if (pending.channel === 'voice') {
      const callToken = newCallToken(profile.userId, random);
      // Number matching, as Microsoft Authenticator does against MFA fatigue: whoever answers must also see the chat.
      matchNumber = String(10 + random.int(90));
      pending.callTokenHash = secretBox.keyedHash(callToken);
      pending.matchHash = secretBox.keyedHash(matchInput(pending.id, matchNumber));
      pending.callOutcome = undefined;
      pending.expiresAt = now + policy.codes.callLifetimeMinutes * MINUTE;
      delivery = await messenger.placeCall(pending.destination, { callToken, extension: pending.extension });
    } else {
      const code = String(random.int(1_000_000)).padStart(6, '0');
      const minutes = policy.codes.lifetimeMinutes;
      pending.codeHash = secretBox.keyedHash(`${pending.id}:${code}`);
      pending.expiresAt = now + minutes * MINUTE;
      delivery = await messenger.sendCode({ channel: pending.channel, address: pending.destination }, code, minutes);
    }
    if (!delivery.ok) {
      if (delivery.permanent && profile.pendingCode?.id === pending.id) profile.pendingCode = undefined;
      return { status: 'deliveryFailed', failure: delivery.failure, permanent: delivery.permanent };
    }
    pending.lastSentAt = now;
    pending.sends += 1;
    profile.pendingCode = pending;
    profile.lastSend = { destination: pending.destination, at: now };
    return {
      status: 'sent',
      channel: pending.channel,
      masked: pending.destination.includes('@') ? maskEmail(pending.destination) : maskPhone(pending.destination),
      challengeId: pending.id,
      expiresAt: pending.expiresAt,
      ...(matchNumber ? { matchNumber } : {}),
    };
  }
}

/** What the keyed hash of a call's match number covers: the number, bound to its challenge. */
export function matchInput(challengeId: string, digits: string): string {
  return `${challengeId}:match:${digits}`;
}
