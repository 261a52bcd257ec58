import { MINUTE, type VerificationDeps } from './deps';
import { MFA_KINDS } from './policy';
import { isPhoneMethod, type SecurityInfoProfile, type SecurityMethod } from './profile';
import type { StepUpRequired } from './results';
import type { Throttle } from './throttle';

export const STEP_UP_REQUIRED: StepUpRequired = { status: 'stepUpRequired' };

/**
 * Step-up before any change to security info (ASVS 5.0 6.3, 7.5.1; NIST SP
 * 800-63B-4 §4.1 on binding more authenticators): a person who has a method
 * proves one they already have before adding, changing, deleting or choosing
 * the default; one proof lasts `stepUpMinutes` (10 at most). An open chat
 * session alone never changes a factor. Someone with no method at all needs
 * no proof (their first registration).
 */
export class StepUp {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'clock' | 'policy'>,
    private readonly throttle: Throttle,
  ) {}

  /** Whether a change now needs a fresh proof first. */
  required(profile: SecurityInfoProfile): boolean {
    if (profile.passRequired) return true;
    if (this.firstRegistration(profile)) return false;
    const provenAt = profile.stepUp?.provenAt;
    const now = this.deps.clock.now();
    return provenAt === undefined || provenAt > now || now - provenAt >= this.deps.policy.limits.stepUpMinutes * MINUTE;
  }

  /**
   * Whether the person has no authenticator yet: no method, or security
   * questions alone (they prove nothing: NIST SP 800-63B-4 does not count
   * them). Their first registration needs no proof.
   */
  firstRegistration(profile: SecurityInfoProfile): boolean {
    return profile.methods.every((m) => m.kind === 'securityQuestions');
  }

  /**
   * The registered methods that can prove it's the person: apps, and phones
   * proven by a text (sign-in methods). Someone whose methods serve password reset only proves
   * an email address instead; security questions never prove anything.
   */
  proofs(profile: SecurityInfoProfile): SecurityMethod[] {
    if (profile.passRequired) return [];
    // Phones by a text only: one proven by a call may be a landline (and the proof is asked for by text alike on every channel).
    const signIn = profile.methods.filter((m) => MFA_KINDS.includes(m.kind) && (!isPhoneMethod(m) || m.verifiedBy === 'sms'));
    return signIn.length > 0 ? signIn : profile.methods.filter((m) => m.kind === 'email');
  }

  /** Whether `method` may prove the person now. */
  canProve(profile: SecurityInfoProfile, method: SecurityMethod): boolean {
    return this.proofs(profile).some((m) => m.id === method.id);
  }

  /**
   * The person just proved possession of a method that is theirs (a right
   * code, a call answered, a pass): failures end, and changes are open for
   * `stepUpMinutes`.
   */
  proven(profile: SecurityInfoProfile): void {
    this.throttle.success(profile);
    profile.stepUp = { provenAt: this.deps.clock.now() };
  }

  /** An agent vouched for the person (a pass): what the help desk required is met, and changes are open. */
  vouched(profile: SecurityInfoProfile): void {
    profile.passRequired = undefined;
    this.proven(profile);
  }
}
