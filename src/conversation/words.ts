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
export const HELP = /^(help|\?|what can you do\??)$/i;
/** Stop what is running; anything finished is kept. */
export const CANCEL = /^(cancel|quit|exit|never ?mind)$/i;
/** Begin the current setup again. */
export const START_OVER = /^(start over|restart|reset)$/i;
/** Reach a person at the help desk (or, during a chat with an agent, go back to them). */
export const HELP_DESK = /^(help ?desk|(talk|speak) to (a|an) (person|human|agent)|(a |an )?(human|agent|person)|i need help)$/i;
/** Leave the chat with the help-desk agent and come back to the bot. */
export const END_CHAT = /^end (the )?chat$/i;
/** Manage mode: the person's security info. */
export const MANAGE = /^(security info|my (security )?(info|methods)|manage( my security info)?|methods)$/i;
/** A person who has a Temporary Access Pass from the help desk. */
export const ACCESS_PASS = /^(temporary access pass|tap|(i have )?a (temporary )?(access )?pass)$/i;
/** The SMS menu (in chat, manage mode). */
export const MENU = /^(menu|main menu)$/i;

/**
 * What the bot offers as buttons when it is not sure what someone meant
 * ("Did you mean…?"), one title per intent; typed or clicked, a title does
 * what its intent does. Several are words above already.
 */
export const SUGGESTION_TITLES = {
  help: 'Help',
  cancel: 'Cancel',
  startOver: 'Start over',
  helpDesk: 'Help desk',
  'securityInfo.show': 'Security info',
  'securityInfo.add': 'Add a method',
  'securityInfo.change': 'Change a method',
  'securityInfo.delete': 'Delete a method',
  'securityInfo.default': 'Change my default method',
  lostPhone: 'I lost my phone',
  lostApp: 'I lost my authenticator app',
  newNumber: 'I have a new phone number',
  codeNotWorking: "My code doesn't work",
  accessPass: 'Temporary access pass',
  changeLanguage: 'Change language',
  greeting: 'Continue',
} as const;

/** The intent whose suggestion title a text is, typed or clicked (case and curly apostrophes aside). */
export function suggestedIntent(text: string): keyof typeof SUGGESTION_TITLES | undefined {
  const typed = text
    .trim()
    .replace(/\u2019/g, "'")
    .toLowerCase();
  return (Object.keys(SUGGESTION_TITLES) as Array<keyof typeof SUGGESTION_TITLES>).find(
    (intent) => SUGGESTION_TITLES[intent].toLowerCase() === typed,
  );
}
