import { type Language, t } from '../kit/texts';
import { maskEmail } from '../verification/email';
import { maskPhone } from '../verification/phone';
import type { MethodKind, PhoneVariant, SecurityInfoProfile, SecurityMethod } from '../verification/profile';
import { isPhoneMethod } from '../verification/profile';
import type { VerificationService } from '../verification/service';

/** Words people see for each method come from the catalogs (`methods.*`, `steps.*`): one place, so every card and message agrees. */

export const MICROSOFT_AUTHENTICATOR = 'Microsoft Authenticator';
export const DOWNLOAD_URL = 'https://aka.ms/authapp';
export const LEARN_MORE_URL = 'https://aka.ms/securityinfoguide';

/** The name of an authenticator app the person did not name ("Authenticator app"). */
export function otherAuthenticator(language: Language): string {
  return t(language, 'methods.authenticatorApp');
}

export function kindLabel(kind: MethodKind, language: Language): string {
  return t(language, `methods.${kind}`);
}

/** A method's name inside a sentence ("your alternate phone"). */
export function kindInSentence(kind: MethodKind, language: Language): string {
  return t(language, `methodsInSentence.${kind}`);
}

/** One line per method: which one it is, masked. */
export function methodDetail(method: SecurityMethod, language: Language): string {
  if (method.kind === 'authenticatorApp') return method.appName;
  if (isPhoneMethod(method)) {
    return method.extension
      ? t(language, 'labels.phoneWithExtension', { number: maskPhone(method.e164), extension: method.extension })
      : maskPhone(method.e164);
  }
  if (method.kind === 'email') return maskEmail(method.address);
  return t(language, 'labels.questionCount', { count: method.answers.length });
}

/** How a way of signing in reads: "Microsoft Authenticator – code", "Phone – call +1 ••• ••• 7890". */
export function signInLabel(method: SecurityMethod | undefined, language: Language, variant: PhoneVariant = 'call'): string {
  if (!method) return t(language, 'labels.noneYet');
  if (method.kind === 'authenticatorApp') return t(language, 'labels.appCode', { app: method.appName });
  return t(language, 'labels.signIn', {
    kind: kindLabel(method.kind, language),
    variant: t(language, `labels.variant.${variant}`),
    detail: methodDetail(method, language),
  });
}

/** The default sign-in method of a profile, as the cards show it. */
export function defaultSignIn(service: VerificationService, profile: SecurityInfoProfile, language: Language): string {
  return signInLabel(service.defaultMethod(profile), language, service.defaultVariant(profile));
}

/** The methods as the Success and summary cards list them. */
export function methodRows(profile: SecurityInfoProfile, language: Language): Array<{ label: string; detail: string }> {
  return profile.methods.map((m) => ({ label: kindLabel(m.kind, language), detail: methodDetail(m, language) }));
}

export interface ProgressStep {
  readonly number: number;
  readonly name: string;
  readonly done: boolean;
  readonly current: boolean;
}

/** The wizard's step indicator ("1 App · 2 Phone"), from the role's policy and what is registered. */
export function progressSteps(
  service: VerificationService,
  profile: SecurityInfoProfile,
  language: Language,
  current?: MethodKind,
): ProgressStep[] {
  const missing = new Set(service.missingMethods(profile));
  return service.roleOf(profile).requiredMethods.map((kind, i) => ({
    number: i + 1,
    name: t(language, `steps.${kind}`),
    done: !missing.has(kind),
    current: kind === current,
  }));
}

/** "in about 15 minutes" — people do not need the second. */
export function inAbout(ms: number, language: Language): string {
  return t(language, 'labels.inAbout', { minutes: Math.max(1, Math.ceil(ms / 60_000)) });
}
