import { AccessPasses, type RedeemResult } from './accessPasses';
import { AuthenticatorApps } from './authenticatorApps';
import { Calls } from './calls';
import { callTokenOwner } from './callToken';
import type { VerificationDeps } from './deps';
import { Effects } from './effects';
import { Methods } from './methods';
import { OutOfBandCodes } from './outOfBandCodes';
import type { PhoneChannel } from './phone';
import type { MethodKind, Policy, RolePolicy } from './policy';
import type { Via } from './ports';
import type { CallOutcome, PhoneKind, PhoneVariant, SecurityInfoProfile, SecurityMethod } from './profile';
import type { SecurityQuestion } from './questions';
import type {
  AppEnrollment,
  CallAnswerResult,
  ChallengeStatus,
  CodeResult,
  DeletionCheck,
  LockedResult,
  PolicyStatus,
  SendResult,
  SignInOption,
  StartAppResult,
} from './results';
import * as rules from './rules';
import { type RegisterQuestionsResult, SecurityQuestions } from './securityQuestions';
import { StepUp } from './stepUp';
import { Throttle } from './throttle';

export type { VerificationDeps } from './deps';
export type * from './results';

/**
 * The verification core's front door: dialogs, webhooks, the help desk and
 * the REST API call it, and none of them re-implements a rule. Each rule
 * lives in the module of its capability (docs/design.md §4, §5); this class
 * only puts them together. Every method changes the profile it is given; the
 * caller persists it once. It knows nothing of chat.
 */
export class VerificationService {
  private readonly throttle: Throttle;
  private readonly stepUp: StepUp;
  private readonly methods: Methods;
  private readonly apps: AuthenticatorApps;
  private readonly codes: OutOfBandCodes;
  private readonly calls: Calls;
  private readonly questions: SecurityQuestions;
  private readonly passes: AccessPasses;

  constructor(private readonly deps: VerificationDeps) {
    for (const name of ['clock', 'random', 'secretBox', 'policy', 'issuer', 'counters', 'messenger', 'audit'] as const) {
      if (!deps[name]) throw new Error(`VerificationService needs ${name}`);
    }
    const effects = new Effects(deps);
    this.throttle = new Throttle(deps, effects);
    this.stepUp = new StepUp(deps, this.throttle);
    this.methods = new Methods(deps, effects, this.stepUp, this.throttle);
    this.apps = new AuthenticatorApps(deps, this.throttle, this.stepUp, this.methods, effects);
    this.codes = new OutOfBandCodes(deps, this.throttle, this.stepUp, this.methods, effects);
    this.calls = new Calls(deps, this.throttle, this.codes);
    this.questions = new SecurityQuestions(deps, this.throttle, this.stepUp, this.methods);
    this.passes = new AccessPasses(deps, this.throttle, this.stepUp, effects);
  }

  get policy(): Policy {
    return this.deps.policy;
  }

  // What the policy says of a profile (pure).
  roleOf = (profile: SecurityInfoProfile): RolePolicy => rules.roleOf(this.deps.policy, profile);
  missingMethods = (profile: SecurityInfoProfile): MethodKind[] => rules.missingMethods(this.deps.policy, profile);
  policyStatus = (profile: SecurityInfoProfile): PolicyStatus => rules.policyStatus(this.deps.policy, profile);
  isComplete = (profile: SecurityInfoProfile): boolean => rules.isComplete(this.deps.policy, profile);
  addableMethods = (profile: SecurityInfoProfile): MethodKind[] => rules.addableMethods(this.deps.policy, profile);
  methodsToOffer = (profile: SecurityInfoProfile): MethodKind[] => rules.methodsToOffer(this.deps.policy, profile);
  signInOptions = (profile: SecurityInfoProfile): SignInOption[] => rules.signInOptions(profile);
  defaultMethod = (profile: SecurityInfoProfile): SecurityMethod | undefined => rules.defaultMethod(profile);
  defaultVariant = (profile: SecurityInfoProfile): PhoneVariant => rules.defaultVariant(profile);
  checkDeletion = (profile: SecurityInfoProfile, methodId: string): DeletionCheck =>
    rules.checkDeletion(this.deps.policy, profile, methodId);
  lockStatus = (profile: SecurityInfoProfile): LockedResult | undefined => this.throttle.lockStatus(profile);

  // Step-up: proof of a method the person has, before changing any.
  stepUpRequired = (profile: SecurityInfoProfile): boolean => this.stepUp.required(profile);
  stepUpProofs = (profile: SecurityInfoProfile): SecurityMethod[] => this.stepUp.proofs(profile);
  startStepUpProof = (profile: SecurityInfoProfile, methodId: string, channel: PhoneChannel): Promise<SendResult> =>
    this.codes.startProof(profile, methodId, channel);

  // Authenticator apps.
  startAuthenticatorApp = (profile: SecurityInfoProfile, appName: string): StartAppResult => this.apps.start(profile, appName);
  pendingAppEnrollment = (profile: SecurityInfoProfile): AppEnrollment | undefined => this.apps.pending(profile);
  abandonAuthenticatorApp = (profile: SecurityInfoProfile): void => this.apps.abandon(profile);
  verifyAuthenticatorApp = (profile: SecurityInfoProfile, input: string, via: Via): Promise<CodeResult> =>
    this.apps.verifyNew(profile, input, via);
  verifyTotp = (profile: SecurityInfoProfile, methodId: string, input: string, via: Via): Promise<CodeResult> =>
    this.apps.verifyRegistered(profile, methodId, input, via);

  // Codes by text, call and email.
  startPhone = (
    profile: SecurityInfoProfile,
    request: { number: string; country: string; channel: PhoneChannel; kind?: PhoneKind; extension?: string; replaces?: string },
  ): Promise<SendResult> => this.codes.startPhone(profile, request);
  startEmail = (profile: SecurityInfoProfile, request: { address: string; replaces?: string }): Promise<SendResult> =>
    this.codes.startEmail(profile, request);
  resendCode = (profile: SecurityInfoProfile): Promise<SendResult> => this.codes.resend(profile);
  verifyCode = (profile: SecurityInfoProfile, input: string, via: Via): Promise<CodeResult> => this.codes.verify(profile, input, via);
  challengeStatus = (profile: SecurityInfoProfile, challengeId: string): ChallengeStatus => this.codes.status(profile, challengeId);
  abandonCode = (profile: SecurityInfoProfile): void => this.codes.abandon(profile);
  answerCall = (profile: SecurityInfoProfile, callToken: string, digits: string): Promise<CallAnswerResult> =>
    this.calls.answer(profile, callToken, digits);
  recordCallEnd = (profile: SecurityInfoProfile, callToken: string, outcome: CallOutcome): boolean =>
    this.calls.recordEnd(profile, callToken, outcome);
  /** The person a call token belongs to (the token carries it, so no index is needed). */
  static callTokenOwner = callTokenOwner;

  // Security questions (password reset only).
  securityQuestions = (): SecurityQuestion[] => this.questions.catalogue();
  registerSecurityQuestions = (
    profile: SecurityInfoProfile,
    picks: ReadonlyArray<{ questionId: string; answer: string }>,
    via: Via,
  ): Promise<RegisterQuestionsResult> => this.questions.register(profile, picks, via);

  // Methods.
  setDefaultMethod = (profile: SecurityInfoProfile, methodId: string, variant: PhoneVariant | undefined, via: Via) =>
    this.methods.setDefault(profile, methodId, variant, via);
  deleteMethod = (profile: SecurityInfoProfile, methodId: string, via: Via): Promise<DeletionCheck> =>
    this.methods.delete(profile, methodId, via);

  // The help desk.
  issueAccessPass = (
    profile: SecurityInfoProfile,
    request: { lifetimeMinutes?: number; singleUse?: boolean; issuedBy: string },
    via: Via,
  ) => this.passes.issue(profile, request, via);
  withdrawAccessPass = (profile: SecurityInfoProfile, by: string, via: Via): Promise<boolean> => this.passes.withdraw(profile, by, via);
  redeemAccessPass = (profile: SecurityInfoProfile, input: string, via: Via): Promise<RedeemResult> =>
    this.passes.redeem(profile, input, via);
  requireReregistration = (profile: SecurityInfoProfile, by: string, via: Via): Promise<SecurityMethod[]> =>
    this.methods.requireReregistration(profile, by, via);
}
