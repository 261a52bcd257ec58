import type { VerificationDeps } from './deps';
import type { Methods } from './methods';
import type { Via } from './ports';
import type { SecurityInfoProfile } from './profile';
import { type AnswerProblem, checkAnswers, hashAnswer, questionCatalogue, type SecurityQuestion } from './questions';
import type { LockedResult, StepUpRequired } from './results';
import { roleOf } from './rules';
import { STEP_UP_REQUIRED, type StepUp } from './stepUp';
import type { Throttle } from './throttle';

export type RegisterQuestionsResult =
  | { status: 'registered' }
  | { status: 'refused'; problem: AnswerProblem }
  | { status: 'notAllowed' }
  | LockedResult
  | StepUpRequired;

/**
 * Security questions: for password reset only (NIST SP 800-63B-4 does not
 * count knowledge-based secrets as authenticators), so they never prove
 * anything here and never change another method.
 */
export class SecurityQuestions {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'random' | 'policy'>,
    private readonly throttle: Throttle,
    private readonly stepUp: StepUp,
    private readonly methods: Methods,
  ) {}

  /** The questions a person may choose from (never offered to admins: the policy refuses it). */
  catalogue(): SecurityQuestion[] {
    return questionCatalogue(this.deps.policy.securityQuestions.custom);
  }

  /** Registers (or replaces) the person's questions; answers are hashed with scrypt, each with its salt. */
  async register(
    profile: SecurityInfoProfile,
    picks: ReadonlyArray<{ questionId: string; answer: string }>,
    via: Via,
  ): Promise<RegisterQuestionsResult> {
    const locked = this.throttle.lockStatus(profile);
    if (locked) return locked;
    const role = roleOf(this.deps.policy, profile);
    if (!role.enabledMethods.includes('securityQuestions')) return { status: 'notAllowed' };
    if (this.stepUp.required(profile)) return STEP_UP_REQUIRED;
    const problem = checkAnswers(picks, this.catalogue(), role.securityQuestionsRequired);
    if (problem) return { status: 'refused', problem };
    const answers = await Promise.all(picks.map((p) => hashAnswer(p.questionId, p.answer)));
    const replaces = profile.methods.find((m) => m.kind === 'securityQuestions');
    // Choosing answers proves nothing: it must not reset the failure throttle.
    const method = { id: this.deps.random.id(), kind: 'securityQuestions' as const, answers, addedAt: this.deps.clock.now() };
    await this.methods.add(profile, method, via, { replaces, proven: false });
    return { status: 'registered' };
  }
}
