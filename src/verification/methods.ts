import type { VerificationDeps } from './deps';
import type { Effects } from './effects';
import type { Via } from './ports';
import { isPhoneMethod, type PhoneVariant, type SecurityInfoProfile, type SecurityMethod } from './profile';
import type { DeletionCheck, StepUpRequired } from './results';
import { checkDeletion, defaultMethod, defaultVariant, signInOptions } from './rules';
import { STEP_UP_REQUIRED, type StepUp } from './stepUp';
import type { Throttle } from './throttle';

/**
 * Adding, replacing, removing methods and choosing the default: the one place
 * that changes `profile.methods`, so every change is audited and noticed.
 */
export class Methods {
  constructor(
    private readonly deps: Pick<VerificationDeps, 'policy'>,
    private readonly effects: Effects,
    private readonly stepUp: StepUp,
    private readonly throttle: Throttle,
  ) {}

  /**
   * Adds a method, or puts it in the place of `replaces` (the default moves
   * to it). Only proof of possession (a right code) resets the throttle.
   */
  async add(
    profile: SecurityInfoProfile,
    method: SecurityMethod,
    via: Via,
    how: { readonly replaces?: SecurityMethod; readonly proven: boolean },
  ): Promise<void> {
    // A removed phone or address is told too: if this wasn't its owner, that is where they will see it.
    const recipients = [...profile.methods];
    if (how.replaces) {
      const old = how.replaces;
      profile.methods = profile.methods.filter((m) => m.id !== old.id);
      if (profile.defaultMethodId === old.id) profile.defaultMethodId = method.id;
      await this.effects.record(profile, 'method.deleted', 'success', via, old);
    }
    const first = this.stepUp.firstRegistration(profile);
    profile.methods.push(method);
    // Proving a new method ends a run of failures; it renews the proof for changes only when it is the person's first
    // (otherwise one proof, then a chain of new methods, would keep changes open without end).
    if (how.proven && first) this.stepUp.proven(profile);
    else if (how.proven) this.throttle.success(profile);
    await this.effects.record(profile, 'method.added', 'success', via, method);
    await this.effects.notifyChange(profile, { what: how.replaces ? 'changed' : 'added', kind: method.kind }, recipients);
  }

  /**
   * Takes methods out of the profile (the default goes with its method) and
   * audits each. Returns the methods held before, for the change notice.
   */
  async remove(profile: SecurityInfoProfile, removed: readonly SecurityMethod[], via: Via, detail?: string): Promise<SecurityMethod[]> {
    const before = [...profile.methods];
    const gone = new Set(removed.map((m) => m.id));
    profile.methods = profile.methods.filter((m) => !gone.has(m.id));
    if (profile.defaultMethodId !== undefined && gone.has(profile.defaultMethodId)) {
      profile.defaultMethodId = undefined;
      profile.defaultVariant = undefined;
    }
    for (const method of removed) await this.effects.record(profile, 'method.deleted', 'success', via, method, detail);
    return before;
  }

  /** Deletes a method, unless the policy forbids it (the last of a required kind). */
  async delete(profile: SecurityInfoProfile, methodId: string, via: Via): Promise<DeletionCheck> {
    if (this.stepUp.required(profile)) return { allowed: false, reason: 'stepUpRequired' };
    const check = checkDeletion(this.deps.policy, profile, methodId);
    if (!check.allowed) return check;
    const recipients = await this.remove(profile, [check.method], via);
    if (check.newDefault) await this.effects.record(profile, 'default.changed', 'success', via, check.newDefault);
    await this.effects.notifyChange(profile, { what: 'removed', kind: check.method.kind }, recipients);
    return check;
  }

  /** Makes a method the default; only MFA methods can be (never email or questions), office phones only by call. */
  async setDefault(
    profile: SecurityInfoProfile,
    methodId: string,
    variant: PhoneVariant | undefined,
    via: Via,
  ): Promise<{ status: 'changed' } | { status: 'notAllowed' } | StepUpRequired> {
    const method = profile.methods.find((m) => m.id === methodId);
    const newVariant = method && isPhoneMethod(method) ? (variant ?? 'call') : undefined;
    if (!method || !signInOptions(profile).some((o) => o.method === method && o.variant === newVariant)) return { status: 'notAllowed' };
    if (defaultMethod(profile)?.id === method.id && (!isPhoneMethod(method) || defaultVariant(profile) === newVariant)) {
      return { status: 'changed' };
    }
    if (this.stepUp.required(profile)) return STEP_UP_REQUIRED;
    profile.defaultMethodId = method.id;
    profile.defaultVariant = newVariant;
    await this.effects.record(profile, 'default.changed', 'success', via, method);
    await this.effects.notifyChange(profile, { what: 'defaultChanged' });
    return { status: 'changed' };
  }

  /**
   * An agent requires the person to register again: their authenticator apps
   * and phones go (each audited), so the wizard asks for them anew.
   */
  async requireReregistration(profile: SecurityInfoProfile, by: string, via: Via): Promise<SecurityMethod[]> {
    const removed = profile.methods.filter((m) => m.kind === 'authenticatorApp' || isPhoneMethod(m));
    profile.pendingApp = undefined;
    profile.pendingCode = undefined;
    // Whoever holds the lost phone may hold the open chat too: only the agent's pass starts the new registration.
    profile.stepUp = undefined;
    profile.passRequired = true;
    await this.effects.record(profile, 'admin.action', 'success', via, undefined, `re-registration required by ${by}`);
    const recipients = await this.remove(profile, removed, via, `re-registration required by ${by}`);
    if (removed.length > 0) await this.effects.notifyChange(profile, { what: 'reregistrationRequired' }, recipients);
    return removed;
  }
}
