import { IntlMessageFormat } from 'intl-messageformat';

/**
 * The page's words: the server embeds the catalog's `admin.page` section in
 * the page's language as a JSON block (`<script type="application/json"
 * id="texts">`, data, never run), so the bundle holds no catalog. Messages
 * are ICU, as in the catalogs (docs/i18n.md); numbers and times are
 * formatted with `Intl` in the page's language (`<html lang>`).
 */
type Texts = { readonly [key: string]: string | Texts };

export const language = document.documentElement.lang || 'en';

let texts: Texts | undefined;
function loaded(): Texts {
  texts ??= JSON.parse(document.getElementById('texts')?.textContent || '{}') as Texts;
  return texts;
}

/** The text of a dotted `key` of `admin.page`, its placeholders filled; the key itself if the page has no such text (a bug). */
export function say(key: string, values: Record<string, string | number> = {}): string {
  let found: string | Texts | undefined = loaded();
  for (const part of key.split('.')) found = typeof found === 'object' ? found[part] : undefined;
  if (typeof found !== 'string') return key;
  return String(new IntlMessageFormat(found, language).format(values));
}

/** A method's name in the page's language ("Authenticator app"); its kind when the page has no name for it. */
export const methodName = (kind: string) => say(`methods.${kind}`).replace(/^methods\./, '');

const numbers = new Intl.NumberFormat(language);
export const formatNumber = (n: number) => numbers.format(n);

const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
export const formatShare = (share: number) => percent.format(share);

/** A time of day in UTC, 24-hour ("15:20:00"), as the page's language writes it. */
export function formatTimeUtc(date: Date, seconds = true): string {
  return new Intl.DateTimeFormat(language, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
    timeZone: 'UTC',
  }).format(date);
}
