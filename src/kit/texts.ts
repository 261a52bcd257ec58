import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import ICU from 'i18next-icu';

/**
 * Every text people read comes from a message catalog: one JSON per language
 * in `locales/` (docs/i18n.md), ICU messages (`{count, plural, one {# code}
 * other {# codes}}`), read once at start-up. Code and card templates hold keys
 * and data; the words are here.
 */
export const LOCALES_DIR = path.resolve(__dirname, '..', '..', 'locales');

/** The languages the product speaks; the first is the default. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** The voice a call speaks each language with (Twilio's `<Say language>`). */
export const VOICE_LOCALES = { en: 'en-US', es: 'es-US' } as const satisfies Record<Language, string>;

/** What a message's `{placeholders}` are filled with. */
export type TextValues = Readonly<Record<string, string | number>>;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The product language of a BCP 47 locale ("es-MX" → "es"), if it speaks it. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const primary = (locale ?? '').slice(0, 2).toLowerCase();
  return isLanguage(primary) ? primary : undefined;
}

/** A catalog as read from its file. */
export type Catalog = { readonly [key: string]: string | Catalog };

export function readCatalog(language: Language, dir: string = LOCALES_DIR): Catalog {
  return JSON.parse(fs.readFileSync(path.join(dir, `${language}.json`), 'utf8')) as Catalog;
}

let instance: i18n | undefined;

function catalogs(): i18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.use(ICU).init({
      initAsync: false,
      fallbackLng: false,
      // A missing key is a bug the catalog test catches; at run time the English text stands in rather than a key.
      resources: Object.fromEntries(LANGUAGES.map((language) => [language, { translation: readCatalog(language) }])),
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  return instance;
}

/** The text of `key` in `language`, its placeholders filled from `values`. Throws for a key no catalog has (a bug). */
export function t(language: Language, key: string, values: TextValues = {}): string {
  const texts = catalogs();
  const lng = texts.exists(key, { lng: language }) ? language : DEFAULT_LANGUAGE;
  if (!texts.exists(key, { lng })) throw new Error(`no text "${key}" in the catalogs`);
  return texts.t(key, { ...values, lng });
}

/** Whether the catalogs have a text for `key`. */
export function hasText(key: string): boolean {
  return catalogs().exists(key, { lng: DEFAULT_LANGUAGE });
}

/** The raw section of a catalog under `key` (e.g. a card's texts), or undefined. */
export function section(language: Language, key: string): Catalog | undefined {
  const found = catalogs().getResource(language, 'translation', key) as unknown;
  return found && typeof found === 'object' ? (found as Catalog) : undefined;
}
