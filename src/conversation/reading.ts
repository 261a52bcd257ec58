import { looksLikeCodeOrPass } from './codeOrPass';
import { folded, namesMethodsAtAll } from './entities';
import { type Classification, type Intent, type IntentClassifier, isIntent, type Language } from './nlu';

/**
 * What a typed text is taken to mean, from the classifier's scores: an
 * intent to act on, or the likeliest ones to offer ("Did you mean…?").
 */

/** An intent acts when its score reaches this. */
export const CONFIDENT = 0.45;
/**
 * Intents that open a ticket, remove a method, or send someone to the help
 * desk about a lost app act only on a higher score, and only on a sentence
 * that can mean them (names what it is about, and does not say "don't").
 */
export const SENSITIVE: ReadonlySet<Intent> = new Set<Intent>(['securityInfo.delete', 'lostApp', 'helpDesk']);
export const CONFIDENT_SENSITIVE = 0.7;
/** Below this an intent is not worth offering (what is not the assistant's scores below it). */
export const WORTH_OFFERING = 0.3;

/** "Delete", "remove" as asked for (an order, a wish), in English and Spanish. */
const DELETE_ASKED =
  /\b(delete|remove|erase|unregister|deregister|get rid|take (\w+ ){0,3}off|want (\w+ ){1,4}(removed|deleted|gone|taken off)|borr(a|ar|alo|ala|alos|alas|en)|elimin(a|ar|alo|ala|en)|quit(a|ar|alo|ala|en)|sac(a|ar|alo|ala|en)|das? de baja|dar de baja|deshaz\w*|desregistr\w*)\b/;
/** "Deleted", "lost" as told (it happened). */
const DELETE_TOLD =
  /\b(deleted|removed|erased|uninstalled|lost|wiped|reset|borre|elimine|quite|desinstale|perdi|se borro|se quito|reinicie)\b/;
/** Words that may stand before "app" (or after "la app de") when the app is the authenticator: "my app", "la app", "the auth app". */
const NOT_AN_APP_NAME =
  '(?:the|my|a|an|this|that|your|our|its|old|new|lost|deleted|auth|authenticat\\w*|autentica\\w*|autentifica\\w*|code|codes|codigos?|verification|verificacion|security|seguridad|microsoft|google|mfa|2fa|sign|signin|la|el|mi|tu|su|una|un|esa|ese|esta|este|nueva|vieja|de|del|no|and|or|y|o)';
/** An app other than the authenticator: "my banking app", "la app de outlook". */
const OTHER_APP = new RegExp(`\\b(?!${NOT_AN_APP_NAME}\\b)[a-z]+ apps?\\b|\\bapps? (?:de|del) (?!${NOT_AN_APP_NAME}\\b)[a-z]+`);
/** The authenticator app, named. */
const AUTHENTICATOR = /\b(apps?|application|aplicacion|authenticat\w*|autentica\w*|autentifica\w*)\b/;
/** Someone already helped, or will: a story, not a request ("I talked to a person yesterday", "alguien me va a llamar"). */
const TOLD_NOT_ASKED =
  /\b(already|yesterday|last (week|month|time)|ago|earlier|will (call|talk|contact|help|reach)|is going to|came by|walked in|talked to|spoke (to|with)|called me|ayer|ya (hable|me|lo|esta)|la semana pasada|hace (un|una|unos|dos|rato)|va a|van a|me llamo|hable con|vino|entro)\b/;

/** What a sensitive intent needs of a sentence, besides its score. */
const MAY_MEAN: Partial<Record<Intent, (text: string) => boolean>> = {
  // A method, and a deletion asked for: "i deleted the app" is a lost app.
  'securityInfo.delete': (text) => namesMethodsAtAll(text) && DELETE_ASKED.test(text),
  // The authenticator, lost: "delete the app" is a deletion; "my banking app is slow" is not ours.
  lostApp: (text) => AUTHENTICATOR.test(text) && !OTHER_APP.test(text) && !(DELETE_ASKED.test(text) && !DELETE_TOLD.test(text)),
  helpDesk: (text) => !TOLD_NOT_ASKED.test(text),
};

/** Words that may stand between "don't" and the verb it negates: "don't want to remove", "no me llames". */
const BETWEEN =
  '(?:(?:want|need|wanna|have|going|really|even|ever|actually|to|me|te|le|lo|la|los|las|se|quiero|necesito|vayas|vas|a)\\s+){0,3}';

/** A sentence that says it does not want what a sensitive intent does ("don't delete my phone", "no necesito una persona"). */
const NEGATED: Partial<Record<Intent, RegExp>> = {
  'securityInfo.delete': new RegExp(
    `\\b(dont|do not|never|no|not|nunca)\\s+${BETWEEN}(delete|remove|erase|unregister|get rid|borr|elimin|quit|sac|dar de baja)`,
  ),
  helpDesk: new RegExp(
    `\\b(dont|do not|no|never|nobody|no one|nadie)\\s+${BETWEEN}(need|want|call|talk|speak|contact|necesit|quier|llam|habl|hace falta|tiene que)`,
  ),
  lostApp: new RegExp(`\\b(didnt|did not|havent|have not|no|nunca)\\s+${BETWEEN}(lose|lost|delete|uninstall|perd|borr|desinstal)`),
};

export type Reading =
  /** Shaped like a code or a pass: never classified, noted or logged. */
  | { readonly kind: 'secret' }
  | { readonly kind: 'intent'; readonly intent: Intent; readonly score: number; readonly language: Language }
  /** Nothing sure: the likeliest intents worth offering, likeliest first (none when the text means nothing to the assistant). */
  | { readonly kind: 'unsure'; readonly likeliest: readonly Intent[]; readonly language: Language };

/** Whether a sensitive intent may act on this sentence at all. */
export function mayMean(intent: Intent, text: string): boolean {
  if (!SENSITIVE.has(intent)) return true;
  if (isRefused(intent, text)) return false;
  return MAY_MEAN[intent]?.(folded(text)) ?? true;
}

/** Whether a sentence says it does not want what a sensitive intent does. */
function isRefused(intent: Intent, text: string): boolean {
  return NEGATED[intent]?.test(folded(text)) ?? false;
}

/** Reads a classification of `text` (the thresholds, the sensitive intents' conditions). */
export function readClassification(text: string, classification: Classification): Reading {
  const { language, ranked } = classification;
  const [top] = ranked;
  if (top && isIntent(top.label)) {
    const needed = SENSITIVE.has(top.label) ? CONFIDENT_SENSITIVE : CONFIDENT;
    if (top.score >= needed && mayMean(top.label, text)) return { kind: 'intent', intent: top.label, score: top.score, language };
  }
  // Never offered: what the sentence says it does not want ("do not delete my phone").
  const likeliest = ranked
    .filter((s): s is { label: Intent; score: number } => isIntent(s.label) && s.score >= WORTH_OFFERING && !isRefused(s.label, text))
    .slice(0, 2)
    .map((s) => s.label);
  return { kind: 'unsure', likeliest, language };
}

/** Reads a typed text: a code or a pass is never classified. */
export async function read(classifier: IntentClassifier, text: string): Promise<Reading> {
  if (looksLikeCodeOrPass(text)) return { kind: 'secret' };
  return readClassification(text, await classifier.classify(text));
}
