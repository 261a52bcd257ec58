import { maskEmail } from '../verification/email';
import { maskPhone } from '../verification/phone';
import type { MethodKind, PhoneVariant, SecurityInfoProfile, SecurityMethod } from '../verification/profile';
import { isPhoneMethod } from '../verification/profile';
import type { VerificationService } from '../verification/service';

/** Words people see for each method; one place, so every card and message agrees. */
const KIND_LABEL: Record<MethodKind, string> = {
  authenticatorApp: 'Authenticator app',
  phone: 'Phone',
  alternatePhone: 'Alternate phone',
  officePhone: 'Office phone',
  email: 'Email',
  securityQuestions: 'Security questions',
};
const STEP_LABEL: Record<MethodKind, string> = {
  authenticatorApp: 'App',
  phone: 'Phone',
  alternatePhone: 'Alternate phone',
  officePhone: 'Office phone',
  email: 'Email',
  securityQuestions: 'Questions',
};

export const MICROSOFT_AUTHENTICATOR = 'Microsoft Authenticator';
export const OTHER_AUTHENTICATOR = 'Authenticator app';
export const DOWNLOAD_URL = 'https://aka.ms/authapp';
export const LEARN_MORE_URL = 'https://aka.ms/securityinfoguide';

/** Why an authenticator app is never set up over SMS, and where to do it. */
export const APP_NEEDS_A_SCREEN =
  'An authenticator app is set up by scanning a QR code, and its key must never travel by text. ' +
  'On a computer or tablet, open Microsoft Teams, chat with me there and say "security info".';

export function kindLabel(kind: MethodKind): string {
  return KIND_LABEL[kind];
}

/** One line per method: which one it is, masked. */
export function methodDetail(method: SecurityMethod): string {
  if (method.kind === 'authenticatorApp') return method.appName;
  if (isPhoneMethod(method)) return method.extension ? `${maskPhone(method.e164)} ext. ${method.extension}` : maskPhone(method.e164);
  if (method.kind === 'email') return maskEmail(method.address);
  return `${method.answers.length} questions`;
}

/** How a way of signing in reads: "Microsoft Authenticator – code", "Phone – call +1 ••• ••• 7890". */
export function signInLabel(method: SecurityMethod | undefined, variant: PhoneVariant = 'call'): string {
  if (!method) return 'none yet';
  if (method.kind === 'authenticatorApp') return `${method.appName} – code`;
  return `${KIND_LABEL[method.kind]} – ${variant} ${methodDetail(method)}`;
}

/** The default sign-in method of a profile, as the cards show it. */
export function defaultSignIn(service: VerificationService, profile: SecurityInfoProfile): string {
  return signInLabel(service.defaultMethod(profile), service.defaultVariant(profile));
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

/** The wizard's step indicator ("1 App · 2 Phone"), from the role's policy and what is registered. */
export function progressSteps(service: VerificationService, profile: SecurityInfoProfile, current?: MethodKind): ProgressStep[] {
  const missing = new Set(service.missingMethods(profile));
  return service.roleOf(profile).requiredMethods.map((kind, i) => ({
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
