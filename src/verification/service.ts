import { isPhoneProblem, maskPhone, type PhoneChannel, type PhoneProblem, parsePhoneNumber } from './phone';
import type { Policy } from './policy';
import type { Clock, CodeSender, Counters, DeliveryFailure, Random } from './ports';
import type {
  AuthenticatorAppMethod,
  CallOutcome,
  MethodKind,
  PendingPhone,
  PhoneMethod,
  SecurityInfoProfile,
  SecurityMethod,
} from './profile';
import { totpContext } from './profile';
import type { SecretBox } from './secretBox';
import { checkTotp, isCodeShaped, normaliseCode, otpauthUri, TOTP_SECRET_BYTES, timeStepAt, toBase32 } from './totp';

const MINUTE = 60_000;

export interface VerificationDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly policy: Policy;
  /** Issuer of the otpauth URI: what the authenticator app shows above the code. */
  readonly issuer: string;
  readonly counters: Counters;
  readonly sender: CodeSender;
}

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

export type StartAppResult =
  | { readonly status: 'started'; readonly expiresAt: number }
  | { readonly status: 'limitReached'; readonly max: number }
  | LockedResult;

export interface LockedResult {
  readonly status: 'locked';
  /** When verification opens again; absent when only the help desk can unlock. */
  readonly until?: number;
}

/** The outcome of a typed code. Expected outcomes are results, never exceptions. */
export type CodeResult =
  | { readonly status: 'verified'; readonly method: SecurityMethod }
  /** Not 6 digits: not counted as a failure, the person just mistyped. */
  | { readonly status: 'malformed' }
  | { readonly status: 'wrong'; readonly attemptsLeft: number }
  /** Too many wrong codes: this enrollment is void and a new QR code is needed. */
  | { readonly status: 'attemptsExhausted' }
  | { readonly status: 'expired' }
  | { readonly status: 'nothingPending' }
  | { readonly status: 'replayed' }
  | LockedResult;

/** What starting or resending a phone verification gives. */
export type PhoneSendResult =
  | {
      readonly status: 'sent';
      readonly channel: PhoneChannel;
      /** "+1 ••• ••• 7890". */
      readonly masked: string;
      /** Becomes the method id once proven. */
      readonly challengeId: string;
      readonly expiresAt: number;
    }
  | { readonly status: 'invalidNumber'; readonly problem: PhoneProblem }
  | { readonly status: 'alreadyRegistered' }
  | { readonly status: 'cooldown'; readonly retryInSeconds: number }
  | { readonly status: 'dailyLimit' }
  | { readonly status: 'deliveryFailed'; readonly failure: DeliveryFailure; readonly permanent: boolean }
  | { readonly status: 'nothingPending' }
  | LockedResult;

/** Where a phone being proven stands, as the dialog asks after a call webhook. */
export type PhoneStatus =
  | { readonly status: 'verified'; readonly method: PhoneMethod }
  | { readonly status: 'waiting' }
  | { readonly status: 'callEnded'; readonly outcome: CallOutcome }
  | { readonly status: 'gone' };

export type CallAnswerResult =
  | { readonly status: 'verified' }
  | { readonly status: 'wrongKey' }
  | { readonly status: 'unknownCall' }
  | LockedResult;

/**
 * Ranking of DESIGN §2 for the default sign-in method: authenticator app
 * (code) > call > text. Email and security questions are never a default.
 */
const DEFAULT_RANK: readonly MethodKind[] = ['authenticatorApp', 'phone'];
const SECOND = 1000;
const DAY = 24 * 60 * MINUTE;

/**
 * The one place that holds the rules of enrollment and verification. It knows
 * nothing of chat: dialogs, webhooks and the REST API all call it. Every
 * method changes the profile it is given; the caller persists it once.
 */
export class VerificationService {
  constructor(private readonly deps: VerificationDeps) {
    for (const name of ['clock', 'random', 'secretBox', 'policy', 'issuer', 'counters', 'sender'] as const) {
      if (!deps[name]) throw new Error(`VerificationService needs ${name}`);
    }
  }

  get policy(): Policy {
    return this.deps.policy;
  }

  /** The methods the policy requires and the profile does not have yet, in wizard order. */
  missingMethods(profile: SecurityInfoProfile): MethodKind[] {
    return this.deps.policy.requiredMethods.filter((kind) => !profile.methods.some((m) => m.kind === kind));
  }

  isComplete(profile: SecurityInfoProfile): boolean {
    return this.missingMethods(profile).length === 0;
  }

  /** The person's choice if it still exists, else the best registered method (DESIGN §2). */
  defaultMethod(profile: SecurityInfoProfile): SecurityMethod | undefined {
    const chosen = profile.methods.find((m) => m.id === profile.defaultMethodId);
    if (chosen) return chosen;
    for (const kind of DEFAULT_RANK) {
      const method = profile.methods.find((m) => m.kind === kind);
      if (method) return method;
    }
    return undefined;
  }

  lockStatus(profile: SecurityInfoProfile): LockedResult | undefined {
    const { consecutiveFailures, lockedUntil } = profile.throttle;
    if (consecutiveFailures >= this.deps.policy.failuresBeforeHelpDesk) return { status: 'locked' };
    if (lockedUntil !== undefined && lockedUntil > this.deps.clock.now()) return { status: 'locked', until: lockedUntil };
    return undefined;
  }

  /**
   * Starts adding an authenticator app: a fresh 160-bit secret, sealed into the
   * profile, and the otpauth URI for the QR code. Starting again replaces an
   * enrollment in progress (its QR code stops working).
   */
  startAuthenticatorApp(profile: SecurityInfoProfile, appName: string): StartAppResult {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const { policy, random, clock, secretBox } = this.deps;
    const apps = profile.methods.filter((m) => m.kind === 'authenticatorApp').length;
    if (apps >= policy.maxAuthenticatorApps) return { status: 'limitReached', max: policy.maxAuthenticatorApps };

    const id = random.id();
    const secret = random.bytes(TOTP_SECRET_BYTES);
    const now = clock.now();
    const expiresAt = now + policy.appEnrollmentMinutes * MINUTE;
    profile.pendingApp = {
      id,
      appName,
      sealedSecret: secretBox.seal(secret, totpContext(profile.userId, id)),
      startedAt: now,
      expiresAt,
      wrongCodes: 0,
    };
    return { status: 'started', expiresAt };
  }

  /**
   * What the QR card of the enrollment in progress shows, or nothing when there
   * is none or it has expired. The secret is opened only for this.
   */
  pendingAppEnrollment(profile: SecurityInfoProfile): AppEnrollment | undefined {
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
  abandonAuthenticatorApp(profile: SecurityInfoProfile): void {
    profile.pendingApp = undefined;
  }

  /**
   * Checks the first code of an app being added. Right: the app becomes a
   * method and the time step is remembered (no replay). Wrong: counted against
   * the enrollment (5 by default, then a new QR code is needed) and against the
   * account throttle.
   */
  verifyAuthenticatorApp(profile: SecurityInfoProfile, input: string): CodeResult {
    const locked = this.lockStatus(profile);
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

    const secret = this.deps.secretBox.open(pending.sealedSecret, totpContext(profile.userId, pending.id));
    const check = checkTotp(secret, code, now);
    if (!check.valid) {
      return this.wrongCode(profile, pending, () => {
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
    profile.methods.push(method);
    profile.pendingApp = undefined;
    this.registerSuccess(profile);
    return { status: 'verified', method };
  }

  /**
   * Verifies a code from a registered authenticator app (sign-in, recovery).
   * A code whose time step was already accepted is refused (RFC 6238 §5.2).
   */
  verifyTotp(profile: SecurityInfoProfile, methodId: string, input: string): CodeResult {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const method = profile.methods.find((m): m is AuthenticatorAppMethod => m.id === methodId && m.kind === 'authenticatorApp');
    if (!method) return { status: 'nothingPending' };
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    const now = this.deps.clock.now();
    const secret = this.deps.secretBox.open(method.sealedSecret, totpContext(profile.userId, method.id));
    const check = checkTotp(secret, code, now);
    if (check.valid && check.timeStep > method.lastTimeStep) {
      method.lastTimeStep = check.timeStep;
      this.registerSuccess(profile);
      return { status: 'verified', method };
    }
    const lockedNow = this.registerFailure(profile);
    if (lockedNow) return lockedNow;
    return check.valid ? { status: 'replayed' } : { status: 'wrong', attemptsLeft: this.attemptsBeforeLock(profile) };
  }

  /**
   * Starts proving a phone: checks the number (country, type, allow-list),
   * the lock and the daily caps, then texts a code or places a call.
   */
  async startPhone(
    profile: SecurityInfoProfile,
    request: { number: string; country: string; channel: PhoneChannel },
  ): Promise<PhoneSendResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const phonePolicy = this.deps.policy.phone;
    const parsed = parsePhoneNumber(request.number, request.country, {
      allowedCountries: phonePolicy.allowedCountries,
      channel: request.channel,
    });
    if (isPhoneProblem(parsed)) return { status: 'invalidNumber', problem: parsed };
    if (profile.methods.some((m) => m.kind === 'phone' && m.e164 === parsed.e164)) return { status: 'alreadyRegistered' };

    const now = this.deps.clock.now();
    const pending: PendingPhone = {
      id: this.deps.random.id(),
      e164: parsed.e164,
      channel: request.channel,
      expiresAt: 0,
      lastSentAt: 0,
      sends: 0,
      // A new number is a new binding; but the wrong codes of a number being proven stay with it.
      wrongCodes: profile.pendingPhone?.e164 === parsed.e164 ? profile.pendingPhone.wrongCodes : 0,
    };
    const previous = profile.pendingPhone;
    if (previous && previous.e164 === parsed.e164 && now - previous.lastSentAt < phonePolicy.resendCooldownSeconds * SECOND) {
      return {
        status: 'cooldown',
        retryInSeconds: Math.ceil((previous.lastSentAt + phonePolicy.resendCooldownSeconds * SECOND - now) / SECOND),
      };
    }
    return this.sendToPhone(profile, pending);
  }

  /** Sends a new code (or calls again) to the phone being proven, after the cooldown. */
  async resendPhone(profile: SecurityInfoProfile): Promise<PhoneSendResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingPhone;
    if (!pending) return { status: 'nothingPending' };
    const cooldownEnds = pending.lastSentAt + this.deps.policy.phone.resendCooldownSeconds * SECOND;
    const now = this.deps.clock.now();
    if (now < cooldownEnds) return { status: 'cooldown', retryInSeconds: Math.ceil((cooldownEnds - now) / SECOND) };
    return this.sendToPhone(profile, pending);
  }

  /** Checks a texted code. The rules are those of the app's first code, plus expiry and single use. */
  verifyPhoneCode(profile: SecurityInfoProfile, input: string): CodeResult {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingPhone;
    if (!pending?.codeHash) return { status: 'nothingPending' };
    if (this.deps.clock.now() >= pending.expiresAt) return { status: 'expired' };
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    if (!this.deps.secretBox.matchesKeyedHash(`${pending.id}:${code}`, pending.codeHash)) {
      return this.wrongCode(profile, pending, () => {
        profile.pendingPhone = undefined;
      });
    }
    return { status: 'verified', method: this.registerPhone(profile, pending) };
  }

  /**
   * The person pressed a key during the verification call (Twilio's Gather
   * webhook). Only # proves possession; the token must be the call's own.
   */
  answerCall(profile: SecurityInfoProfile, callToken: string, digits: string): CallAnswerResult {
    const pending = this.pendingCall(profile, callToken);
    if (!pending) return { status: 'unknownCall' };
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    if (digits === '#') {
      this.registerPhone(profile, pending);
      return { status: 'verified' };
    }
    pending.callOutcome = 'wrongKey';
    return this.registerFailure(profile) ?? { status: 'wrongKey' };
  }

  /** The call ended (Twilio's status webhook): record why, unless # already proved the phone. */
  recordCallEnd(profile: SecurityInfoProfile, callToken: string, outcome: CallOutcome): boolean {
    const pending = this.pendingCall(profile, callToken);
    if (!pending || pending.callOutcome) return false;
    pending.callOutcome = outcome;
    return true;
  }

  /** Where the phone of `challengeId` stands. */
  phoneStatus(profile: SecurityInfoProfile, challengeId: string): PhoneStatus {
    const method = profile.methods.find((m): m is PhoneMethod => m.kind === 'phone' && m.id === challengeId);
    if (method) return { status: 'verified', method };
    const pending = profile.pendingPhone;
    if (!pending || pending.id !== challengeId) return { status: 'gone' };
    if (pending.callOutcome) return { status: 'callEnded', outcome: pending.callOutcome };
    return { status: 'waiting' };
  }

  abandonPhone(profile: SecurityInfoProfile): void {
    profile.pendingPhone = undefined;
  }

  /** The person a call token belongs to (the token carries it, so no index is needed). */
  static callTokenOwner(callToken: string): string | undefined {
    const [owner, nonce, extra] = callToken.split('.');
    if (!owner || !nonce || extra !== undefined) return undefined;
    try {
      return Buffer.from(owner, 'base64url').toString('utf8') || undefined;
    } catch {
      return undefined;
    }
  }

  private pendingCall(profile: SecurityInfoProfile, callToken: string): PendingPhone | undefined {
    const pending = profile.pendingPhone;
    if (!pending?.callTokenHash || this.deps.clock.now() >= pending.expiresAt) return undefined;
    return this.deps.secretBox.matchesKeyedHash(callToken, pending.callTokenHash) ? pending : undefined;
  }

  private async sendToPhone(profile: SecurityInfoProfile, pending: PendingPhone): Promise<PhoneSendResult> {
    const { clock, counters, random, secretBox, policy, sender, issuer } = this.deps;
    const now = clock.now();
    const dayEnds = (Math.floor(now / DAY) + 1) * DAY;
    // SMS pumping and toll fraud: both caps are spent before anything is sent.
    const userOk = await counters.take(`sends:user:${profile.userId}`, policy.phone.sendsPerUserPerDay, dayEnds);
    const numberOk =
      userOk && (await counters.take(`sends:number:${secretBox.keyedHash(pending.e164)}`, policy.phone.sendsPerNumberPerDay, dayEnds));
    if (!userOk || !numberOk) return { status: 'dailyLimit' };

    let delivery: Awaited<ReturnType<CodeSender['sendSms']>>;
    if (pending.channel === 'sms') {
      const code = String(random.int(1_000_000)).padStart(6, '0');
      pending.codeHash = secretBox.keyedHash(`${pending.id}:${code}`);
      pending.expiresAt = now + policy.phone.codeLifetimeMinutes * MINUTE;
      delivery = await sender.sendSms(
        pending.e164,
        `${code} is your ${issuer} verification code. It expires in ${policy.phone.codeLifetimeMinutes} minutes. Don't share it with anyone.`,
      );
    } else {
      const callToken = `${Buffer.from(profile.userId, 'utf8').toString('base64url')}.${random.bytes(24).toString('base64url')}`;
      pending.callTokenHash = secretBox.keyedHash(callToken);
      pending.callOutcome = undefined;
      pending.expiresAt = now + policy.phone.callLifetimeMinutes * MINUTE;
      delivery = await sender.placeCall(pending.e164, {
        callToken,
        greeting: `Hello. This is ${issuer}, calling to verify your phone for signing in. If you asked for this call, press the pound key to finish your verification. If you did not, just hang up.`,
      });
    }
    if (!delivery.ok) {
      if (delivery.permanent) profile.pendingPhone = undefined;
      return { status: 'deliveryFailed', failure: delivery.failure, permanent: delivery.permanent };
    }
    pending.lastSentAt = now;
    pending.sends += 1;
    profile.pendingPhone = pending;
    return {
      status: 'sent',
      channel: pending.channel,
      masked: maskPhone(pending.e164),
      challengeId: pending.id,
      expiresAt: pending.expiresAt,
    };
  }

  private registerPhone(profile: SecurityInfoProfile, pending: PendingPhone): PhoneMethod {
    const method: PhoneMethod = {
      id: pending.id,
      kind: 'phone',
      e164: pending.e164,
      verifiedBy: pending.channel,
      addedAt: this.deps.clock.now(),
    };
    profile.methods.push(method);
    profile.pendingPhone = undefined;
    this.registerSuccess(profile);
    return method;
  }

  /** The current TOTP time step: exposed so callers can reason about replay windows. */
  currentTimeStep(): number {
    return timeStepAt(this.deps.clock.now());
  }

  private attemptsBeforeLock(profile: SecurityInfoProfile): number {
    const threshold = this.deps.policy.lockoutThreshold;
    return threshold - (profile.throttle.consecutiveFailures % threshold);
  }

  /**
   * A wrong code for a challenge in progress: counted on the challenge and on
   * the account. The last allowed one (5 by default) voids the challenge.
   */
  private wrongCode(profile: SecurityInfoProfile, pending: { wrongCodes: number }, voidChallenge: () => void): CodeResult {
    pending.wrongCodes += 1;
    const lockedNow = this.registerFailure(profile);
    const attemptsLeft = this.deps.policy.attemptsPerCode - pending.wrongCodes;
    if (attemptsLeft <= 0) voidChallenge();
    return lockedNow ?? (attemptsLeft <= 0 ? { status: 'attemptsExhausted' } : { status: 'wrong', attemptsLeft });
  }

  /** Counts a failure; returns the lock it caused, if any. */
  private registerFailure(profile: SecurityInfoProfile): LockedResult | undefined {
    const { policy, clock } = this.deps;
    const throttle = profile.throttle;
    throttle.consecutiveFailures += 1;
    if (throttle.consecutiveFailures % policy.lockoutThreshold === 0) {
      throttle.lockedUntil = clock.now() + policy.lockoutMinutes * MINUTE;
    }
    return this.lockStatus(profile);
  }

  private registerSuccess(profile: SecurityInfoProfile): void {
    profile.throttle = { consecutiveFailures: 0 };
  }
}

function groupsOfFour(value: string): string {
  return value.match(/.{1,4}/g)?.join(' ') ?? value;
}
