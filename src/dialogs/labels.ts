import { maskPhone } from '../verification/phone';
import type { MethodKind, SecurityInfoProfile, SecurityMethod } from '../verification/profile';
import type { VerificationService } from '../verification/service';

/** Words people see for each method; one place, so every card and message agrees. */
const KIND_LABEL: Record<MethodKind, string> = { authenticatorApp: 'Authenticator app', phone: 'Phone' };
const STEP_LABEL: Record<MethodKind, string> = { authenticatorApp: 'App', phone: 'Phone' };

export const MICROSOFT_AUTHENTICATOR = 'Microsoft Authenticator';
export const OTHER_AUTHENTICATOR = 'Authenticator app';
export const DOWNLOAD_URL = 'https://aka.ms/authapp';
export const LEARN_MORE_URL = 'https://aka.ms/securityinfoguide';

export function kindLabel(kind: MethodKind): string {
  return KIND_LABEL[kind];
}

/** How the default sign-in method reads: "Microsoft Authenticator – code", "Phone – call +1 ••• ••• 7890". */
export function signInLabel(method: SecurityMethod | undefined): string {
  if (!method) return 'none yet';
  return method.kind === 'authenticatorApp' ? `${method.appName} – code` : `Phone – call ${maskPhone(method.e164)}`;
}

/** One line per method: what it is and which one (masked). */
export function methodDetail(method: SecurityMethod): string {
  return method.kind === 'authenticatorApp' ? method.appName : maskPhone(method.e164);
}

/** The methods as the Success and summary cards list them. */
export function methodRows(profile: SecurityInfoProfile): Array<{ label: string; detail: string }> {
  return profile.methods.map((m) => ({ label: KIND_LABEL[m.kind], detail: methodDetail(m) }));
}

export interface ProgressStep {
  readonly number: number;
  readonly name: string;
  readonly done: boolean;
  readonly current: boolean;
}

/** The wizard's step indicator ("1 App · 2 Phone"), from the policy and what is registered. */
export function progressSteps(service: VerificationService, profile: SecurityInfoProfile, current?: MethodKind): ProgressStep[] {
  const missing = new Set(service.missingMethods(profile));
  return service.policy.requiredMethods.map((kind, i) => ({
    number: i + 1,
    name: STEP_LABEL[kind],
    done: !missing.has(kind),
    current: kind === current,
  }));
}

/** "in about 15 minutes" — people do not need the second. */
export function inAbout(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return `in about ${minutes} minute${minutes === 1 ? '' : 's'}`;
}
