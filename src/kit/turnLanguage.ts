import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_LANGUAGE, type Language } from './texts';

/**
 * The language of the person of the turn running now, for what the turn
 * sends outside the chat (a code by text, a call, an email): the verification
 * core hands facts to its Messenger and knows nothing of people's languages.
 * The person's document holds the choice; state/personState.ts keeps this in step with it.
 */
const current = new AsyncLocalStorage<{ language: Language }>();

/** Runs a turn with a language of its own (the default until the person's document is read). */
export function withTurnLanguage<T>(turn: () => Promise<T>): Promise<T> {
  return current.run({ language: DEFAULT_LANGUAGE }, turn);
}

/** The turn's language; outside a turn, the default. */
export function turnLanguage(): Language {
  return current.getStore()?.language ?? DEFAULT_LANGUAGE;
}

/** Sets the turn's language (outside a turn, nothing happens). */
export function setTurnLanguage(language: Language): void {
  const store = current.getStore();
  if (store) store.language = language;
}
