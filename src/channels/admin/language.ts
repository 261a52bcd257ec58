import type { Request } from 'restify';
import { DEFAULT_LANGUAGE, isLanguage, type Language, languageOfLocale } from '../../kit/texts';

/**
 * The language of a dashboard page (docs/i18n.md): `?lang=es|en` if given,
 * else the first language of `Accept-Language` the product speaks (by its
 * q-values, then its order), else English.
 */
export function pageLanguage(req: Request): Language {
  const asked = new URLSearchParams(req.getQuery()).get('lang');
  if (isLanguage(asked)) return asked;
  return languageOfHeader(req.headers['accept-language']) ?? DEFAULT_LANGUAGE;
}

/** `?lang=…` when the request asked for a language, else '': kept by the redirects and forms of the sign-in, so the choice lasts. */
export function langQuery(req: Request): string {
  const asked = new URLSearchParams(req.getQuery()).get('lang');
  return isLanguage(asked) ? `?lang=${asked}` : '';
}

/** The first supported language of an `Accept-Language` header ("fr-FR, es;q=0.8, en;q=0.5" → "es"). */
export function languageOfHeader(header: string | string[] | undefined): Language | undefined {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranges = value
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((found) => found !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((range) => range.tag && range.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    const language = languageOfLocale(range.tag);
    if (language) return language;
  }
  return undefined;
}
