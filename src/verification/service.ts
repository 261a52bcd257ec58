import { checkEmailAddress, type EmailProblem, maskEmail } from './email';
import { isPhoneProblem, maskPhone, type PhoneChannel, type PhoneProblem, parsePhoneNumber } from './phone';
import { type MethodKind, MFA_KINDS, type Policy, type RolePolicy, SSPR_KINDS } from './policy';
import {
  type AuditEvent,
  type AuditLog,
  type Clock,
  type CodeSender,
  type Counters,
  type DeliveryFailure,
  type Random,
  readableCode,
} from './ports';
import type {
  AuthenticatorAppMethod,
  CallOutcome,
  CodeChannel,
  PendingCode,
  PhoneKind,
  PhoneMethod,
  PhoneVariant,
  Recovery,
  SecurityInfoProfile,
  SecurityMethod,
} from './profile';
import { isPhoneMethod, totpContext } from './profile';
import {
  type AnswerProblem,
  answerMatches,
  checkAnswers,
  hashAnswer,
  questionCatalogue,
  questionsToCheck,
  type SecurityQuestion,
} from './questions';
import type { SecretBox } from './secretBox';
import { checkTotp, isCodeShaped, normaliseCode, otpauthUri, TOTP_SECRET_BYTES, toBase32 } from './totp';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
/** Change notices per person per UTC day (each goes to every registered phone and email). */
const NOTICES_PER_DAY = 20;
/** How long a proven phone, then proven answers, stay good for finishing a recovery. */
const RECOVERY_MINUTES = 15;
/** Temporary Access Pass: length, lifetime bounds in minutes (Entra: 10 minutes and up, 1 hour by default). */
const ACCESS_PASS_LENGTH = 12;
const ACCESS_PASS_MIN_MINUTES = 10;
const ACCESS_PASS_MAX_MINUTES = 24 * 60;

export interface VerificationDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly secretBox: SecretBox;
  readonly policy: Policy;
  /** Issuer of the otpauth URI, and the name in texts, calls and emails. */
  readonly issuer: string;
  readonly counters: Counters;
  readonly sender: CodeSender;
  readonly audit: AuditLog;
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

export interface LockedResult {
  readonly status: 'locked';
  /** When verification opens again; absent when only the help desk can unlock. */
  readonly until?: number;
}

export type StartAppResult =
  | { readonly status: 'started'; readonly expiresAt: number }
  | { readonly status: 'limitReached'; readonly max: number }
  | { readonly status: 'notAllowed' }
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
  | { readonly allowed: false; readonly reason: 'notFound' | 'lastRequiredMfa'; readonly kind?: MethodKind }
  | {
      readonly allowed: true;
      readonly method: SecurityMethod;
      /** The method that becomes the default, when the deleted one was the default. */
      readonly newDefault?: SecurityMethod;
      readonly breaksMfa: boolean;
      readonly breaksSspr: boolean;
    };

/**
 * Ranking of DESIGN §2 for the default sign-in method: authenticator app
 * (code) > call > text. Email and security questions are never a default.
 */
const DEFAULT_RANK: readonly MethodKind[] = ['authenticatorApp', 'phone', 'alternatePhone', 'officePhone'];

/**
 * The one place that holds the rules of enrollment and verification. It knows
 * nothing of chat: dialogs, webhooks and the REST API all call it. Every
 * method changes the profile it is given; the caller persists it once. `via`
 * names the channel or route for the audit log.
 */
export class VerificationService {
  constructor(private readonly deps: VerificationDeps) {
    for (const name of ['clock', 'random', 'secretBox', 'policy', 'issuer', 'counters', 'sender', 'audit'] as const) {
      if (!deps[name]) throw new Error(`VerificationService needs ${name}`);
    }
  }

  get policy(): Policy {
    return this.deps.policy;
  }

  /** The policy of the person's role (the default role's when the role is unknown). */
  roleOf(profile: SecurityInfoProfile): RolePolicy {
    const { roles, defaultRole } = this.deps.policy;
    return roles[profile.role] ?? roles[defaultRole]!;
  }

  /** The methods the role requires and the profile does not have yet, in wizard order. */
  missingMethods(profile: SecurityInfoProfile): MethodKind[] {
    return this.roleOf(profile).requiredMethods.filter((kind) => !profile.methods.some((m) => m.kind === kind));
  }

  policyStatus(profile: SecurityInfoProfile): PolicyStatus {
    const role = this.roleOf(profile);
    const missing = this.missingMethods(profile);
    const have = new Set(profile.methods.map((m) => m.kind).filter((k) => SSPR_KINDS.includes(k))).size;
    return {
      mfa: { met: missing.length === 0, missing },
      sspr: { met: have >= role.ssprMethodsRequired, have, need: role.ssprMethodsRequired },
    };
  }

  /** The wizard is done when both sign-in and password reset are covered. */
  isComplete(profile: SecurityInfoProfile): boolean {
    const status = this.policyStatus(profile);
    return status.mfa.met && status.sspr.met;
  }

  /** Enabled kinds the person could still add (apps and phones may repeat within their limits). */
  addableMethods(profile: SecurityInfoProfile): MethodKind[] {
    return this.roleOf(profile).enabledMethods.filter((kind) => {
      const count = profile.methods.filter((m) => m.kind === kind).length;
      if (kind === 'authenticatorApp') return count < this.deps.policy.limits.maxAuthenticatorApps;
      return count === 0;
    });
  }

  /**
   * Every way the person could sign in by default: apps by code, phones by
   * call or text, office phones by call only. Email and questions never.
   */
  signInOptions(profile: SecurityInfoProfile): SignInOption[] {
    return profile.methods
      .filter((m) => MFA_KINDS.includes(m.kind))
      .flatMap((method): SignInOption[] => {
        if (!isPhoneMethod(method)) return [{ method }];
        const variants: PhoneVariant[] = method.kind === 'officePhone' ? ['call'] : ['call', 'text'];
        return variants.map((variant) => ({ method, variant }));
      });
  }

  /**
   * What a person still missing methods may pick: once sign-in is covered but
   * password reset is not, only methods password reset accepts that they lack.
   */
  methodsToOffer(profile: SecurityInfoProfile): MethodKind[] {
    const addable = this.addableMethods(profile);
    const status = this.policyStatus(profile);
    if (!status.mfa.met || status.sspr.met) return addable;
    return addable.filter((k) => SSPR_KINDS.includes(k) && !profile.methods.some((m) => m.kind === k));
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

  /** How the default phone signs in: the person's choice, else a call (DESIGN §2: call > text; office phones only call). */
  defaultVariant(profile: SecurityInfoProfile): PhoneVariant {
    const method = this.defaultMethod(profile);
    if (method?.kind === 'officePhone') return 'call';
    return profile.defaultMethodId === method?.id && profile.defaultVariant ? profile.defaultVariant : 'call';
  }

  /** Makes a method the default; only MFA methods can be (never email or questions), office phones only by call. */
  async setDefaultMethod(profile: SecurityInfoProfile, methodId: string, variant: PhoneVariant | undefined, via: string): Promise<boolean> {
    const method = profile.methods.find((m) => m.id === methodId);
    const newVariant = method && isPhoneMethod(method) ? (variant ?? 'call') : undefined;
    if (!method || !this.signInOptions(profile).some((o) => o.method === method && o.variant === newVariant)) return false;
    if (this.defaultMethod(profile)?.id === method.id && (!isPhoneMethod(method) || this.defaultVariant(profile) === newVariant))
      return true;
    profile.defaultMethodId = method.id;
    profile.defaultVariant = newVariant;
    await this.record(profile, 'default.changed', 'success', via, method);
    await this.notifyChange(profile, 'default sign-in method changed');
    return true;
  }

  lockStatus(profile: SecurityInfoProfile): LockedResult | undefined {
    const { consecutiveFailures, lockedUntil } = profile.throttle;
    if (consecutiveFailures >= this.deps.policy.limits.failuresBeforeHelpDesk) return { status: 'locked' };
    if (lockedUntil !== undefined && lockedUntil > this.deps.clock.now()) return { status: 'locked', until: lockedUntil };
    return undefined;
  }

  // ---- Authenticator app ---------------------------------------------------

  /**
   * Starts adding an authenticator app: a fresh 160-bit secret, sealed into the
   * profile. Starting again replaces an enrollment in progress (its QR code stops working).
   */
  startAuthenticatorApp(profile: SecurityInfoProfile, appName: string): StartAppResult {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const { policy, random, clock, secretBox } = this.deps;
    if (!this.roleOf(profile).enabledMethods.includes('authenticatorApp')) return { status: 'notAllowed' };
    const apps = profile.methods.filter((m) => m.kind === 'authenticatorApp').length;
    if (apps >= policy.limits.maxAuthenticatorApps) return { status: 'limitReached', max: policy.limits.maxAuthenticatorApps };

    const id = random.id();
    const secret = random.bytes(TOTP_SECRET_BYTES);
    const now = clock.now();
    const expiresAt = now + policy.limits.appEnrollmentMinutes * MINUTE;
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

  /** What the QR card of the enrollment in progress shows, or nothing when there is none or it expired. */
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
   * the enrollment and the account throttle.
   */
  async verifyAuthenticatorApp(profile: SecurityInfoProfile, input: string, via: string): Promise<CodeResult> {
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
      return this.wrongCode(profile, pending, 'authenticatorApp', via, () => {
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
    await this.addMethod(profile, method, via);
    return { status: 'verified', method };
  }

  /**
   * Verifies a code from a registered authenticator app (sign-in, recovery).
   * A code whose time step was already accepted is refused (RFC 6238 §5.2).
   */
  async verifyTotp(profile: SecurityInfoProfile, methodId: string, input: string, via: string): Promise<CodeResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const method = profile.methods.find((m): m is AuthenticatorAppMethod => m.id === methodId && m.kind === 'authenticatorApp');
    if (!method) return { status: 'nothingPending' };
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    const secret = this.deps.secretBox.open(method.sealedSecret, totpContext(profile.userId, method.id));
    const check = checkTotp(secret, code, this.deps.clock.now());
    if (check.valid && check.timeStep > method.lastTimeStep) {
      method.lastTimeStep = check.timeStep;
      this.registerSuccess(profile);
      return { status: 'verified', method };
    }
    const lockedNow = await this.registerFailure(profile, 'authenticatorApp', via);
    if (lockedNow) return lockedNow;
    return check.valid ? { status: 'replayed' } : { status: 'wrong', attemptsLeft: this.attemptsBeforeLock(profile) };
  }

  // ---- Codes by text, call and email ----------------------------------------

  /**
   * Starts proving a phone: checks the number (country, type, allow-list),
   * the lock and the daily caps, then texts a code or places a call.
   */
  async startPhone(
    profile: SecurityInfoProfile,
    request: { number: string; country: string; channel: PhoneChannel; kind?: PhoneKind; extension?: string; replaces?: string },
  ): Promise<SendResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const kind = request.kind ?? 'phone';
    const refusal = this.checkAddable(profile, kind, request.replaces);
    if (refusal) return refusal;
    const channel = kind === 'officePhone' ? 'voice' : request.channel;
    const { allowedCountries } = this.deps.policy.phone;
    const parsed = parsePhoneNumber(request.number, request.country, { allowedCountries, channel });
    if (isPhoneProblem(parsed)) return { status: 'invalidNumber', problem: parsed };
    if (profile.methods.some((m) => isPhoneMethod(m) && m.e164 === parsed.e164 && m.id !== request.replaces)) {
      return { status: 'alreadyRegistered' };
    }
    const extension = kind === 'officePhone' ? request.extension?.replace(/\D/g, '').slice(0, 10) || undefined : undefined;
    return this.startChallenge(profile, { methodKind: kind, destination: parsed.e164, channel, extension, replaces: request.replaces });
  }

  /** Starts proving an email address for password reset: never one of the organisation's own domains. */
  async startEmail(profile: SecurityInfoProfile, request: { address: string; replaces?: string }): Promise<SendResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const refusal = this.checkAddable(profile, 'email', request.replaces);
    if (refusal) return refusal;
    const checked = checkEmailAddress(request.address, this.deps.policy.email.organisationDomains);
    if ('problem' in checked) return { status: 'invalidEmail', problem: checked };
    if (profile.methods.some((m) => m.kind === 'email' && m.address === checked.address && m.id !== request.replaces)) {
      return { status: 'alreadyRegistered' };
    }
    return this.startChallenge(profile, {
      methodKind: 'email',
      destination: checked.address,
      channel: 'email',
      replaces: request.replaces,
    });
  }

  /** Sends a new code (or calls again) for the challenge in progress, after the cooldown. */
  async resendCode(profile: SecurityInfoProfile): Promise<SendResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingCode;
    if (!pending) return { status: 'nothingPending' };
    const wait = this.cooldownLeft(pending.lastSentAt);
    if (wait > 0) return { status: 'cooldown', retryInSeconds: wait };
    return this.send(profile, pending);
  }

  /** Checks a texted or emailed code: 6 digits, before expiry, once; 5 wrong ones void the challenge. */
  async verifyCode(profile: SecurityInfoProfile, input: string, via: string): Promise<CodeResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const pending = profile.pendingCode;
    if (!pending?.codeHash) return { status: 'nothingPending' };
    if (this.deps.clock.now() >= pending.expiresAt) return { status: 'expired' };
    const code = normaliseCode(input);
    if (!isCodeShaped(code)) return { status: 'malformed' };
    if (!this.deps.secretBox.matchesKeyedHash(`${pending.id}:${code}`, pending.codeHash)) {
      return this.wrongCode(profile, pending, pending.methodKind, via, () => {
        profile.pendingCode = undefined;
      });
    }
    return { status: 'verified', method: await this.completeChallenge(profile, pending, via) };
  }

  /**
   * The person pressed a key during the verification call (Twilio's Gather
   * webhook). Only # proves possession; the token must be the call's own.
   */
  async answerCall(profile: SecurityInfoProfile, callToken: string, digits: string): Promise<CallAnswerResult> {
    const pending = this.pendingCall(profile, callToken);
    if (!pending) return { status: 'unknownCall' };
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    if (digits === '#') {
      await this.completeChallenge(profile, pending, 'voice');
      return { status: 'verified' };
    }
    pending.callOutcome = 'wrongKey';
    return (await this.registerFailure(profile, pending.methodKind, 'voice')) ?? { status: 'wrongKey' };
  }

  /** The call ended (Twilio's status webhook): record why, unless # already proved the phone. */
  recordCallEnd(profile: SecurityInfoProfile, callToken: string, outcome: CallOutcome): boolean {
    const pending = this.pendingCall(profile, callToken);
    if (!pending || pending.callOutcome) return false;
    pending.callOutcome = outcome;
    return true;
  }

  /** Where the challenge `challengeId` stands. */
  challengeStatus(profile: SecurityInfoProfile, challengeId: string): ChallengeStatus {
    const method = profile.methods.find((m) => m.id === challengeId);
    if (method) return { status: 'verified', method };
    const pending = profile.pendingCode;
    if (!pending || pending.id !== challengeId) return { status: 'gone' };
    if (pending.callOutcome) return { status: 'callEnded', outcome: pending.callOutcome };
    return { status: 'waiting' };
  }

  abandonCode(profile: SecurityInfoProfile): void {
    profile.pendingCode = undefined;
  }

  /** The person a call token belongs to (the token carries it, so no index is needed). */
  static callTokenOwner(callToken: string): string | undefined {
    const [owner, nonce, extra] = callToken.split('.');
    if (!owner || !nonce || extra !== undefined) return undefined;
    return Buffer.from(owner, 'base64url').toString('utf8') || undefined;
  }

  // ---- Security questions ----------------------------------------------------

  /** The questions this person may choose from (never offered to admins: the policy refuses it). */
  securityQuestions(): SecurityQuestion[] {
    return questionCatalogue(this.deps.policy.securityQuestions.custom);
  }

  /** Registers (or replaces) the person's security questions; answers are hashed with scrypt, each with its salt. */
  async registerSecurityQuestions(
    profile: SecurityInfoProfile,
    picks: ReadonlyArray<{ questionId: string; answer: string }>,
    via: string,
  ): Promise<{ status: 'registered' } | { status: 'refused'; problem: AnswerProblem } | { status: 'notAllowed' } | LockedResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const role = this.roleOf(profile);
    if (!role.enabledMethods.includes('securityQuestions')) return { status: 'notAllowed' };
    const problem = checkAnswers(picks, this.securityQuestions(), role.securityQuestionsRequired);
    if (problem) return { status: 'refused', problem };
    const answers = await Promise.all(picks.map((p) => hashAnswer(p.questionId, p.answer)));
    const previous = profile.methods.find((m) => m.kind === 'securityQuestions');
    if (previous) await this.removeMethods(profile, [previous], via);
    // Choosing answers proves nothing: it must not reset the failure throttle.
    await this.addMethod(profile, { id: this.deps.random.id(), kind: 'securityQuestions', answers, addedAt: this.deps.clock.now() }, via, {
      change: previous ? 'changed' : 'added',
      proven: false,
    });
    return { status: 'registered' };
  }

  /** Picks `count` of the registered questions at random, for a recovery check. */
  private questionsToAsk(profile: SecurityInfoProfile, count: number): SecurityQuestion[] {
    const method = profile.methods.find((m) => m.kind === 'securityQuestions');
    if (!method) return [];
    const ids = [...method.answers.map((a) => a.questionId)];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = this.deps.random.int(i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    const catalogue = this.securityQuestions();
    return ids.slice(0, count).flatMap((id) => catalogue.filter((q) => q.id === id));
  }

  // ---- Recovery (a lost authenticator app) ----------------------------------

  /**
   * Texts a code to a registered phone to prove the person holds it again:
   * the first half of recovery. Only phones that can receive texts.
   */
  async startPhoneProof(profile: SecurityInfoProfile, e164: string): Promise<SendResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const method = this.textablePhone(profile, e164);
    const needs = this.recoveryNeeds(profile, e164);
    if (!method || (needs !== 'phoneProof' && needs !== 'answers')) return { status: 'notAllowed' };
    return this.startChallenge(profile, { methodKind: method.kind, destination: e164, channel: 'sms', proves: method.id });
  }

  /**
   * What removing a lost authenticator app by texts from `phone` still needs:
   * there must be an app to remove, security questions to ask, and `phone`
   * registered; then a code texted to it, then the answers.
   */
  recoveryNeeds(profile: SecurityInfoProfile, phone: string): 'noApp' | 'noQuestions' | 'phoneNotRegistered' | 'phoneProof' | 'answers' {
    if (!profile.methods.some((m) => m.kind === 'authenticatorApp')) return 'noApp';
    if (!profile.methods.some((m) => m.kind === 'securityQuestions')) return 'noQuestions';
    if (!this.textablePhone(profile, phone)) return 'phoneNotRegistered';
    return this.freshRecovery(profile)?.phone === phone ? 'answers' : 'phoneProof';
  }

  private textablePhone(profile: SecurityInfoProfile, e164: string): PhoneMethod | undefined {
    return profile.methods.find((m): m is PhoneMethod => (m.kind === 'phone' || m.kind === 'alternatePhone') && m.e164 === e164);
  }

  /**
   * The next security question of a recovery, once a phone was proven (by a
   * code in the last RECOVERY_MINUTES). Answers come one at a time; the
   * verdict comes only after the last one, so no single answer is confirmed.
   */
  recoveryQuestion(
    profile: SecurityInfoProfile,
    phone: string,
  ): { status: 'ask'; question: SecurityQuestion; number: number; of: number } | { status: 'noQuestions' } | { status: 'notProven' } {
    const recovery = this.freshRecovery(profile);
    if (!recovery || recovery.phone !== phone) return { status: 'notProven' };
    const method = profile.methods.find((m) => m.kind === 'securityQuestions');
    if (!method) return { status: 'noQuestions' };
    if (recovery.questionIds.length === 0 || recovery.answered >= recovery.questionIds.length) {
      recovery.questionIds = this.questionsToAsk(profile, questionsToCheck(method)).map((q) => q.id);
      recovery.answered = 0;
      recovery.allRight = true;
    }
    const id = recovery.questionIds[recovery.answered]!;
    const question = this.securityQuestions().find((q) => q.id === id)!;
    return { status: 'ask', question, number: recovery.answered + 1, of: recovery.questionIds.length };
  }

  /** Takes the answer to the question `recoveryQuestion` asked; after the last one, all must have been right. */
  async answerRecoveryQuestion(
    profile: SecurityInfoProfile,
    answer: string,
    via: string,
  ): Promise<{ status: 'next' } | { status: 'verified' } | { status: 'wrong' } | { status: 'notProven' } | LockedResult> {
    const locked = this.lockStatus(profile);
    if (locked) return locked;
    const recovery = this.freshRecovery(profile);
    const method = profile.methods.find((m) => m.kind === 'securityQuestions');
    const id = recovery?.questionIds[recovery.answered];
    const stored = id && method?.kind === 'securityQuestions' ? method.answers.find((a) => a.questionId === id) : undefined;
    if (!recovery || !stored) return { status: 'notProven' };
    recovery.allRight = (await answerMatches(stored, answer)) && recovery.allRight;
    recovery.answered += 1;
    if (recovery.answered < recovery.questionIds.length) return { status: 'next' };
    await this.record(profile, 'questions.checked', recovery.allRight ? 'success' : 'failure', via);
    if (recovery.allRight) {
      recovery.answersProvenAt = this.deps.clock.now();
      this.registerSuccess(profile);
      return { status: 'verified' };
    }
    recovery.questionIds = [];
    return (await this.registerFailure(profile, 'securityQuestions', via)) ?? { status: 'wrong' };
  }

  /**
   * Removes lost authenticator apps once recovery is complete (a phone and
   * the questions proven in the last RECOVERY_MINUTES). Unlike a deletion, it
   * may leave the person short of the policy: the app is gone either way, and
   * they are told how to set up a new one.
   */
  async removeLostApps(
    profile: SecurityInfoProfile,
    via: string,
  ): Promise<{ status: 'removed'; apps: string[] } | { status: 'notProven' }> {
    const recovery = this.freshRecovery(profile);
    if (!recovery?.answersProvenAt) return { status: 'notProven' };
    const apps = profile.methods.filter((m): m is AuthenticatorAppMethod => m.kind === 'authenticatorApp');
    const recipients = await this.removeMethods(profile, apps, via, 'lost; removed after recovery');
    profile.pendingApp = undefined;
    profile.recovery = undefined;
    if (apps.length > 0) await this.notifyChange(profile, 'authenticator app removed', { recipients });
    return { status: 'removed', apps: apps.map((a) => a.appName) };
  }

  private freshRecovery(profile: SecurityInfoProfile): Recovery | undefined {
    const recovery = profile.recovery;
    if (!recovery) return undefined;
    const since = this.deps.clock.now() - RECOVERY_MINUTES * MINUTE;
    if (recovery.phoneProvenAt < since || (recovery.answersProvenAt !== undefined && recovery.answersProvenAt < since)) {
      profile.recovery = undefined;
      return undefined;
    }
    return recovery;
  }

  // ---- Help desk: Temporary Access Pass, re-registration --------------------

  /**
   * Issues a Temporary Access Pass (as Entra does): 12 characters from an
   * alphabet without look-alikes (about 59 bits), 10 minutes to a day (1 hour
   * by default), single-use by default. Only its keyed hash is kept; the pass
   * itself is returned once, for the agent to give the person by a channel
   * they trust. A new pass replaces an earlier one.
   */
  async issueAccessPass(
    profile: SecurityInfoProfile,
    request: { lifetimeMinutes?: number; singleUse?: boolean; issuedBy: string },
    via: string,
  ): Promise<{ pass: string; expiresAt: number; singleUse: boolean; lifetimeMinutes: number }> {
    const lifetimeMinutes = Math.min(ACCESS_PASS_MAX_MINUTES, Math.max(ACCESS_PASS_MIN_MINUTES, Math.round(request.lifetimeMinutes ?? 60)));
    const singleUse = request.singleUse ?? true;
    const pass = readableCode(this.deps.random, ACCESS_PASS_LENGTH);
    const now = this.deps.clock.now();
    const id = this.deps.random.id();
    profile.accessPass = {
      id,
      hash: this.deps.secretBox.keyedHash(`pass:${id}:${pass}`),
      issuedAt: now,
      expiresAt: now + lifetimeMinutes * MINUTE,
      singleUse,
      issuedBy: request.issuedBy,
    };
    await this.record(
      profile,
      'accessPass.issued',
      'success',
      via,
      undefined,
      `${lifetimeMinutes} min, ${singleUse ? 'single use' : 'reusable'}, by ${request.issuedBy}`,
    );
    return { pass: pass.match(/.{4}/g)!.join('-'), expiresAt: profile.accessPass.expiresAt, singleUse, lifetimeMinutes };
  }

  /**
   * A person proves who they are with the pass an agent gave them: it lifts
   * a lockout (a person vouched for them). It works once (or until expiry
   * when reusable), never after it expires; 5 wrong entries void it.
   */
  async redeemAccessPass(
    profile: SecurityInfoProfile,
    input: string,
    via: string,
  ): Promise<
    { status: 'verified' } | { status: 'wrong'; attemptsLeft: number } | { status: 'expired' } | { status: 'none' } | { status: 'notHere' }
  > {
    const pass = profile.accessPass;
    if (!pass) return { status: 'none' };
    // A text's sender can be forged, and a pass is read out by people: it is only taken where the person signed in (not by SMS).
    if (via === 'sms') return { status: 'notHere' };
    if (this.deps.clock.now() >= pass.expiresAt) {
      profile.accessPass = undefined;
      return { status: 'expired' };
    }
    const typed = input.replace(/[\s-]/g, '').toUpperCase();
    if (!this.deps.secretBox.matchesKeyedHash(`pass:${pass.id}:${typed}`, pass.hash)) {
      const wrong = await this.deps.counters.increment(`wrong:${pass.id}`, pass.expiresAt);
      await this.record(profile, 'accessPass.redeemed', 'failure', via);
      const attemptsLeft = this.deps.policy.limits.attemptsPerCode - wrong;
      if (attemptsLeft <= 0) profile.accessPass = undefined;
      return { status: 'wrong', attemptsLeft: Math.max(0, attemptsLeft) };
    }
    if (pass.singleUse) profile.accessPass = undefined;
    this.registerSuccess(profile);
    await this.record(profile, 'accessPass.redeemed', 'success', via);
    return { status: 'verified' };
  }

  /**
   * An agent requires the person to register again: their authenticator apps
   * and phones go (each audited), so the wizard asks for them anew.
   */
  async requireReregistration(profile: SecurityInfoProfile, by: string, via: string): Promise<SecurityMethod[]> {
    const removed = profile.methods.filter((m) => m.kind === 'authenticatorApp' || isPhoneMethod(m));
    profile.pendingApp = undefined;
    profile.pendingCode = undefined;
    await this.record(profile, 'admin.action', 'success', via, undefined, `re-registration required by ${by}`);
    const recipients = await this.removeMethods(profile, removed, via, `re-registration required by ${by}`);
    if (removed.length > 0) await this.notifyChange(profile, 're-registration required by the help desk', { recipients });
    return removed;
  }

  // ---- Deleting ---------------------------------------------------------------

  /** What deleting a method would do; deleting the last method of a required kind is refused. */
  checkDeletion(profile: SecurityInfoProfile, methodId: string): DeletionCheck {
    const method = profile.methods.find((m) => m.id === methodId);
    if (!method) return { allowed: false, reason: 'notFound' };
    const remaining = { ...profile, methods: profile.methods.filter((m) => m.id !== methodId) };
    if (this.roleOf(profile).requiredMethods.includes(method.kind) && !remaining.methods.some((m) => m.kind === method.kind)) {
      return { allowed: false, reason: 'lastRequiredMfa', kind: method.kind };
    }
    const wasDefault = this.defaultMethod(profile)?.id === method.id;
    const before = this.policyStatus(profile);
    const after = this.policyStatus(remaining);
    return {
      allowed: true,
      method,
      newDefault: wasDefault ? this.defaultMethod({ ...remaining, defaultMethodId: undefined }) : undefined,
      breaksMfa: before.mfa.met && !after.mfa.met,
      breaksSspr: before.sspr.met && !after.sspr.met,
    };
  }

  async deleteMethod(profile: SecurityInfoProfile, methodId: string, via: string): Promise<DeletionCheck> {
    const check = this.checkDeletion(profile, methodId);
    if (!check.allowed) return check;
    const recipients = await this.removeMethods(profile, [check.method], via);
    if (check.newDefault) await this.record(profile, 'default.changed', 'success', via, check.newDefault);
    await this.notifyChange(profile, `${describeKind(check.method.kind)} removed`, { recipients });
    return check;
  }

  // ---- Internals -------------------------------------------------------------

  /**
   * Takes methods out of the profile (the default goes with its method) and
   * audits each. Returns the methods held before, for the change notice: a
   * removed phone or address is told too (if this wasn't its owner, that is where they will see it).
   */
  private async removeMethods(
    profile: SecurityInfoProfile,
    removed: readonly SecurityMethod[],
    via: string,
    detail?: string,
  ): Promise<SecurityMethod[]> {
    const before = [...profile.methods];
    const gone = new Set(removed.map((m) => m.id));
    profile.methods = profile.methods.filter((m) => !gone.has(m.id));
    if (profile.defaultMethodId !== undefined && gone.has(profile.defaultMethodId)) {
      profile.defaultMethodId = undefined;
      profile.defaultVariant = undefined;
    }
    for (const method of removed) await this.record(profile, 'method.deleted', 'success', via, method, detail);
    return before;
  }

  private async startChallenge(
    profile: SecurityInfoProfile,
    target: Pick<PendingCode, 'methodKind' | 'destination' | 'channel' | 'extension' | 'replaces' | 'proves'>,
  ): Promise<SendResult> {
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
    const { clock, counters, random, secretBox, policy, sender, issuer } = this.deps;
    const now = clock.now();
    const dayEnds = (Math.floor(now / DAY) + 1) * DAY;
    // SMS pumping and toll fraud: every cap is spent before anything is sent.
    const caps: Array<[string, number, number]> = [
      [`sends:user:${profile.userId}`, policy.codes.sendsPerUserPerDay, dayEnds],
      [`sends:destination:${secretBox.keyedHash(pending.destination)}`, policy.codes.sendsPerDestinationPerDay, dayEnds],
    ];
    if (pending.channel === 'email') {
      caps.push([`emails:user:${profile.userId}`, policy.codes.emailsPerTenMinutes, (Math.floor(now / (10 * MINUTE)) + 1) * 10 * MINUTE]);
    }
    for (const [key, limit, windowEnds] of caps) {
      if (!(await counters.take(key, limit, windowEnds))) return { status: 'dailyLimit' };
    }

    let delivery: Awaited<ReturnType<CodeSender['sendSms']>>;
    const minutes = policy.codes.lifetimeMinutes;
    if (pending.channel === 'voice') {
      const callToken = `${Buffer.from(profile.userId, 'utf8').toString('base64url')}.${random.bytes(24).toString('base64url')}`;
      pending.callTokenHash = secretBox.keyedHash(callToken);
      pending.callOutcome = undefined;
      pending.expiresAt = now + policy.codes.callLifetimeMinutes * MINUTE;
      delivery = await sender.placeCall(pending.destination, {
        callToken,
        extension: pending.extension,
        greeting: `Hello. This is ${issuer}, calling to verify your phone for signing in. If you asked for this call, press the pound key to finish your verification. If you did not, just hang up.`,
      });
    } else {
      const code = String(random.int(1_000_000)).padStart(6, '0');
      pending.codeHash = secretBox.keyedHash(`${pending.id}:${code}`);
      pending.expiresAt = now + minutes * MINUTE;
      delivery =
        pending.channel === 'sms'
          ? await sender.sendSms(
              pending.destination,
              `${code} is your ${issuer} verification code. It expires in ${minutes} minutes. Don't share it with anyone.`,
            )
          : await sender.sendEmail(
              pending.destination,
              `Your ${issuer} verification code`,
              `Use the code ${code} to verify this email address for ${issuer} password reset. It expires in ${minutes} minutes.\n\nIf you did not ask for it, you can ignore this email.`,
            );
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
      masked: maskDestination(pending.destination),
      challengeId: pending.id,
      expiresAt: pending.expiresAt,
    };
  }

  private pendingCall(profile: SecurityInfoProfile, callToken: string): PendingCode | undefined {
    const pending = profile.pendingCode;
    if (!pending?.callTokenHash || this.deps.clock.now() >= pending.expiresAt) return undefined;
    return this.deps.secretBox.matchesKeyedHash(callToken, pending.callTokenHash) ? pending : undefined;
  }

  /** A proven challenge becomes a method; a method it replaces goes (keeping the default on the new one). */
  private async completeChallenge(profile: SecurityInfoProfile, pending: PendingCode, via: string): Promise<SecurityMethod> {
    const addedAt = this.deps.clock.now();
    const proven = pending.proves ? profile.methods.find((m) => m.id === pending.proves) : undefined;
    if (proven) {
      profile.pendingCode = undefined;
      profile.recovery = { phoneProvenAt: addedAt, phone: pending.destination, questionIds: [], answered: 0, allRight: false };
      this.registerSuccess(profile);
      await this.record(profile, 'phone.proven', 'success', via, proven);
      return proven;
    }
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
    profile.pendingCode = undefined;
    // A phone proven by a code texted to it and typed back by text is also the first half of a recovery from that number.
    if (pending.channel === 'sms' && via === 'sms') {
      profile.recovery = { phoneProvenAt: addedAt, phone: pending.destination, questionIds: [], answered: 0, allRight: false };
    }
    const replaced = pending.replaces ? profile.methods.find((m) => m.id === pending.replaces) : undefined;
    const recipients = [...profile.methods];
    if (replaced) {
      profile.methods = profile.methods.filter((m) => m.id !== replaced.id);
      if (profile.defaultMethodId === replaced.id) profile.defaultMethodId = method.id;
      await this.record(profile, 'method.deleted', 'success', via, replaced);
    }
    await this.addMethod(profile, method, via, { change: replaced ? 'changed' : 'added', proven: true, recipients });
    return method;
  }

  /** Adds a method; only proof of possession (a right code, #) resets the failure throttle. */
  private async addMethod(
    profile: SecurityInfoProfile,
    method: SecurityMethod,
    via: string,
    how: { change?: 'added' | 'changed'; proven?: boolean; recipients?: readonly SecurityMethod[] } = {},
  ): Promise<void> {
    const recipients = how.recipients ?? [...profile.methods];
    profile.methods.push(method);
    if (how.proven ?? true) this.registerSuccess(profile);
    await this.record(profile, 'method.added', 'success', via, method);
    await this.notifyChange(profile, `${describeKind(method.kind)} ${how.change ?? 'added'}`, { recipients });
  }

  /** Whether the role lets the person add this kind (one of each, but apps), or replace `replaces` with it. */
  private checkAddable(profile: SecurityInfoProfile, kind: MethodKind, replaces: string | undefined): SendResult | undefined {
    if (!this.roleOf(profile).enabledMethods.includes(kind)) return { status: 'notAllowed' };
    if (replaces !== undefined) {
      const old = profile.methods.find((m) => m.id === replaces);
      return old?.kind === kind ? undefined : { status: 'notAllowed' };
    }
    return profile.methods.some((m) => m.kind === kind) ? { status: 'alreadyRegistered' } : undefined;
  }

  /**
   * A wrong code for a challenge in progress: counted on the challenge and on
   * the account. The last allowed one (5 by default) voids the challenge.
   */
  private async wrongCode(
    profile: SecurityInfoProfile,
    pending: { readonly id: string; readonly startedAt: number; wrongCodes: number },
    kind: MethodKind,
    via: string,
    voidChallenge: () => void,
  ): Promise<CodeResult> {
    // Counted in the store, not only in the profile: guesses sent in parallel all count.
    // (One window for the challenge's whole life: resends do not reset it.)
    pending.wrongCodes = await this.deps.counters.increment(`wrong:${pending.id}`, pending.startedAt + 2 * DAY);
    const lockedNow = await this.registerFailure(profile, kind, via);
    const attemptsLeft = this.deps.policy.limits.attemptsPerCode - pending.wrongCodes;
    if (attemptsLeft <= 0) voidChallenge();
    return lockedNow ?? (attemptsLeft <= 0 ? { status: 'attemptsExhausted' } : { status: 'wrong', attemptsLeft });
  }

  private attemptsBeforeLock(profile: SecurityInfoProfile): number {
    const threshold = this.deps.policy.limits.lockoutThreshold;
    return threshold - (profile.throttle.consecutiveFailures % threshold);
  }

  /** Counts a failure (and audits it); returns the lock it caused, if any. */
  private async registerFailure(profile: SecurityInfoProfile, kind: MethodKind, via: string): Promise<LockedResult | undefined> {
    const { limits } = this.deps.policy;
    const throttle = profile.throttle;
    const now = this.deps.clock.now();
    // The count lives in the store (atomic across parallel turns); the profile keeps the last one seen.
    const before = throttle.consecutiveFailures;
    const count = await this.deps.counters.increment(`failures:${profile.userId}:${throttle.epoch ?? 0}`, now + 365 * DAY);
    throttle.consecutiveFailures = Math.max(before + 1, count);
    await this.record(profile, 'verification.failed', 'failure', via, kind);
    const crossed = Math.floor(throttle.consecutiveFailures / limits.lockoutThreshold) > Math.floor(before / limits.lockoutThreshold);
    if (crossed) throttle.lockedUntil = now + limits.lockoutMinutes * MINUTE;
    const locked = this.lockStatus(profile);
    if (locked && crossed) {
      await this.record(
        profile,
        'account.locked',
        'failure',
        via,
        undefined,
        locked.until ? `until ${new Date(locked.until).toISOString()}` : 'help desk',
      );
    }
    return locked;
  }

  private registerSuccess(profile: SecurityInfoProfile): void {
    profile.throttle = { consecutiveFailures: 0, epoch: (profile.throttle.epoch ?? 0) + 1 };
  }

  private async record(
    profile: SecurityInfoProfile,
    event: AuditEvent['event'],
    result: AuditEvent['result'],
    via: string,
    method?: SecurityMethod | MethodKind,
    detail?: string,
  ): Promise<void> {
    const kind = typeof method === 'string' ? method : method?.kind;
    const masked = typeof method === 'object' ? maskedDetail(method) : undefined;
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      userId: profile.userId,
      upn: profile.upn,
      event,
      result,
      via,
      ...(kind ? { method: kind } : {}),
      ...((detail ?? masked) ? { detail: detail ?? masked } : {}),
    });
  }

  /**
   * Tells the person, on their other registered phones and emails, that their
   * security info changed (DESIGN §5). Not the destination just proven, and
   * never a code. A notice that fails to go out does not undo the change.
   */
  private async notifyChange(
    profile: SecurityInfoProfile,
    what: string,
    options: { recipients?: readonly SecurityMethod[] } = {},
  ): Promise<void> {
    const recipients = (options.recipients ?? profile.methods).filter(
      (m) => m.kind === 'phone' || m.kind === 'alternatePhone' || m.kind === 'email',
    );
    if (recipients.length === 0) return;
    // Notices cost texts too: a daily cap per person, so no script can make them flood.
    const now = this.deps.clock.now();
    const dayEnds = (Math.floor(now / DAY) + 1) * DAY;
    if (!(await this.deps.counters.take(`notices:user:${profile.userId}`, NOTICES_PER_DAY, dayEnds))) return;
    const text = `${this.deps.issuer}: your security info changed (${what}). If this wasn't you, contact your help desk right away.`;
    for (const method of recipients) {
      if (method.kind === 'phone' || method.kind === 'alternatePhone') await this.deps.sender.sendSms(method.e164, text);
      if (method.kind === 'email') await this.deps.sender.sendEmail(method.address, `Your ${this.deps.issuer} security info changed`, text);
    }
  }
}

function groupsOfFour(value: string): string {
  return value.match(/.{1,4}/g)?.join(' ') ?? value;
}

function maskDestination(destination: string): string {
  return destination.includes('@') ? maskEmail(destination) : maskPhone(destination);
}

function maskedDetail(method: SecurityMethod): string | undefined {
  if (isPhoneMethod(method)) return maskPhone(method.e164);
  if (method.kind === 'email') return maskEmail(method.address);
  if (method.kind === 'authenticatorApp') return method.appName;
  return undefined;
}

function describeKind(kind: MethodKind): string {
  const words: Record<MethodKind, string> = {
    authenticatorApp: 'authenticator app',
    phone: 'phone',
    alternatePhone: 'alternate phone',
    officePhone: 'office phone',
    email: 'email',
    securityQuestions: 'security questions',
  };
  return words[kind];
}
