import { LANGUAGES, type Language, t } from '../kit/texts';
import { INTENTS, type Intent } from './nlu';

/**
 * Every word that works from anywhere, in one place: what a person may type
 * at any point instead of answering the screen in front of them.
 *
 * By text, the carriers' keywords come first (CTIA; Twilio's Advanced Opt-Out
 * acts on the same ones before a text reaches us): STOP and its synonyms,
 * CANCEL among them, opt the number out, START opts it back in, HELP gets the
 * carrier help reply. So by SMS "cancel" means STOP, and a person leaves a
 * step with MENU instead; in chat "cancel" cancels what is running.
 */

/** Opt-out keywords of a text (CTIA). */
export const SMS_STOP = /^(stop|stopall|unsubscribe|cancel|end|quit|optout|revoke)$/i;
/** Opt back in, by text. */
export const SMS_START = /^(start|unstop)$/i;
/** The carrier help reply, by text. */
export const SMS_HELP = /^(help|info)$/i;

/** What the bot can do (in chat; by text HELP is the carrier's). */
export const HELP = /^(help|\?|what can you do\??|ayuda|¿?qu[eé] puedes hacer\??)$/i;
/** Stop what is running; anything finished is kept. */
export const CANCEL = /^(cancel|quit|exit|never ?mind|cancelar|salir)$/i;
/** Begin the current setup again. */
export const START_OVER = /^(start over|restart|reset|empezar de nuevo|volver a empezar)$/i;
/** Reach a person at the help desk (or, during a chat with an agent, go back to them). */
export const HELP_DESK =
  /^(help ?desk|(talk|speak) to (a|an) (person|human|agent)|(a |an )?(human|agent|person)|i need help|servicio de ayuda|mesa de ayuda|hablar con una persona|necesito ayuda)$/i;
/** Leave the chat with the help-desk agent and come back to the bot. */
export const END_CHAT = /^(end (the )?chat|terminar (el )?chat)$/i;
/** Manage mode: the person's security info. */
export const MANAGE =
  /^(security info|my (security )?(info|methods)|manage( my security info)?|methods|(mi )?informaci[oó]n de seguridad|mis m[eé]todos)$/i;
/** A person who has a Temporary Access Pass from the help desk. */
export const ACCESS_PASS = /^(temporary access pass|tap|(i have )?a (temporary )?(access )?pass|(tengo un )?pase( de acceso temporal)?)$/i;
/** The SMS menu (in chat, manage mode). */
export const MENU = /^(menu|main menu|men[uú]|men[uú] principal)$/i;

/** Speak English from now on (the word in either language). */
export const ENGLISH = /^(english|ingl[eé]s|en ingl[eé]s|in english)$/i;
/** Speak Spanish from now on. */
export const SPANISH = /^(espa[nñ]ol|spanish|castellano|en espa[nñ]ol|in spanish)$/i;

/** The language a text names by itself ("español", "ENGLISH"), if it is only that. */
export function namedLanguage(text: string): Language | undefined {
  const typed = text.trim();
  return ENGLISH.test(typed) ? 'en' : SPANISH.test(typed) ? 'es' : undefined;
}

/**
 * What the bot offers as buttons when it is not sure what someone meant
 * ("Did you mean…?"), one title per intent, in the catalogs
 * (`suggestions.*`); typed or clicked, a title in any language does what its
 * intent does. Several are words above already.
 */
export function suggestionTitle(intent: Intent, language: Language): string {
  return t(language, `suggestions.${intent === 'greeting' ? 'continue' : intent.replace('.', '_')}`);
}

/** The intent whose suggestion title a text is, typed or clicked, in any language (case and curly apostrophes aside). */
export function suggestedIntent(text: string): Intent | undefined {
  const typed = text
    .trim()
    .replace(/\u2019/g, "'")
    .toLowerCase();
  return INTENTS.find((intent) => LANGUAGES.some((language) => suggestionTitle(intent, language).toLowerCase() === typed));
}
