import { type MethodKind, MFA_KINDS, type Policy, type RolePolicy, SSPR_KINDS } from './policy';
import { isPhoneMethod, type PhoneVariant, type SecurityInfoProfile, type SecurityMethod } from './profile';
import type { DeletionCheck, PolicyStatus, SignInOption } from './results';

/**
 * The policy's rules about a person's methods: pure functions of the policy
 * and the profile, with no I/O (docs/design.md §2, §3).
 */

/**
 * Ranking for the default sign-in method: authenticator app (code) > call >
 * text (docs/design.md §2). Email and security questions are never a default.
 */
const DEFAULT_RANK: readonly MethodKind[] = ['authenticatorApp', 'phone', 'alternatePhone', 'officePhone'];

/** The policy of the person's role (the default role's when the role is unknown). */
export function roleOf(policy: Policy, profile: SecurityInfoProfile): RolePolicy {
  return policy.roles[profile.role] ?? policy.roles[policy.defaultRole]!;
}

/** The methods the role requires and the profile does not have yet, in wizard order. */
export function missingMethods(policy: Policy, profile: SecurityInfoProfile): MethodKind[] {
  return roleOf(policy, profile).requiredMethods.filter((kind) => !profile.methods.some((m) => m.kind === kind));
}

export function policyStatus(policy: Policy, profile: SecurityInfoProfile): PolicyStatus {
  const role = roleOf(policy, profile);
  const missing = missingMethods(policy, profile);
  const have = new Set(profile.methods.map((m) => m.kind).filter((k) => SSPR_KINDS.includes(k))).size;
  return {
    mfa: { met: missing.length === 0, missing },
    sspr: { met: have >= role.ssprMethodsRequired, have, need: role.ssprMethodsRequired },
  };
}

/** The wizard is done when both sign-in and password reset are covered. */
export function isComplete(policy: Policy, profile: SecurityInfoProfile): boolean {
  const status = policyStatus(policy, profile);
  return status.mfa.met && status.sspr.met;
}

/** Enabled kinds the person could still add (apps and phones may repeat within their limits). */
export function addableMethods(policy: Policy, profile: SecurityInfoProfile): MethodKind[] {
  return roleOf(policy, profile).enabledMethods.filter((kind) => {
    const count = profile.methods.filter((m) => m.kind === kind).length;
    if (kind === 'authenticatorApp') return count < policy.limits.maxAuthenticatorApps;
    return count === 0;
  });
}

/**
 * What a person still missing methods may pick: once sign-in is covered but
 * password reset is not, only methods password reset accepts that they lack.
 */
export function methodsToOffer(policy: Policy, profile: SecurityInfoProfile): MethodKind[] {
  const addable = addableMethods(policy, profile);
  const status = policyStatus(policy, profile);
  if (!status.mfa.met || status.sspr.met) return addable;
  return addable.filter((k) => SSPR_KINDS.includes(k) && !profile.methods.some((m) => m.kind === k));
}

/** Whether the role lets the person add this kind (one of each, but apps), or replace `replaces` with it. */
export function addRefusal(
  policy: Policy,
  profile: SecurityInfoProfile,
  kind: MethodKind,
  replaces: string | undefined,
): { status: 'notAllowed' } | { status: 'alreadyRegistered' } | undefined {
  if (!roleOf(policy, profile).enabledMethods.includes(kind)) return { status: 'notAllowed' };
  if (replaces !== undefined) {
    const old = profile.methods.find((m) => m.id === replaces);
    return old?.kind === kind ? undefined : { status: 'notAllowed' };
  }
  return profile.methods.some((m) => m.kind === kind) ? { status: 'alreadyRegistered' } : undefined;
}

/**
 * Every way the person could sign in by default: apps by code, phones by
 * call or text, office phones by call only. Email and questions never.
 */
export function signInOptions(profile: SecurityInfoProfile): SignInOption[] {
  return profile.methods
    .filter((m) => MFA_KINDS.includes(m.kind))
    .flatMap((method): SignInOption[] => {
      if (!isPhoneMethod(method)) return [{ method }];
      const variants: PhoneVariant[] = method.kind === 'officePhone' ? ['call'] : ['call', 'text'];
      return variants.map((variant) => ({ method, variant }));
    });
}

/** The person's choice if it still exists, else the best registered method. */
export function defaultMethod(profile: SecurityInfoProfile): SecurityMethod | undefined {
  const chosen = profile.methods.find((m) => m.id === profile.defaultMethodId);
  if (chosen) return chosen;
  for (const kind of DEFAULT_RANK) {
    const method = profile.methods.find((m) => m.kind === kind);
    if (method) return method;
  }
  return undefined;
}

/** How the default phone signs in: the person's choice, else a call (office phones only call). */
export function defaultVariant(profile: SecurityInfoProfile): PhoneVariant {
  const method = defaultMethod(profile);
  if (method?.kind === 'officePhone') return 'call';
  return profile.defaultMethodId === method?.id && profile.defaultVariant ? profile.defaultVariant : 'call';
}

/** What deleting a method would do; deleting the last method of a required kind is refused. */
export function checkDeletion(policy: Policy, profile: SecurityInfoProfile, methodId: string): DeletionCheck {
  const method = profile.methods.find((m) => m.id === methodId);
  if (!method) return { allowed: false, reason: 'notFound' };
  const remaining = { ...profile, methods: profile.methods.filter((m) => m.id !== methodId) };
  if (roleOf(policy, profile).requiredMethods.includes(method.kind) && !remaining.methods.some((m) => m.kind === method.kind)) {
    return { allowed: false, reason: 'lastRequiredMfa', kind: method.kind };
  }
  const wasDefault = defaultMethod(profile)?.id === method.id;
  const before = policyStatus(policy, profile);
  const after = policyStatus(policy, remaining);
  return {
    allowed: true,
    method,
    newDefault: wasDefault ? defaultMethod({ ...remaining, defaultMethodId: undefined }) : undefined,
    breaksMfa: before.mfa.met && !after.mfa.met,
    breaksSspr: before.sspr.met && !after.sspr.met,
  };
}
