import { type CountryCode, findPhoneNumbersInText, isSupportedCountry } from 'libphonenumber-js/max';
import type { MethodKind } from '../verification/profile';
import { codeIn } from './codeOrPass';

/**
 * What a typed sentence names besides what the person wants: a method ("delete
 * my old phone"), a phone number ("my new number is (201) 555-0123"), a code
 * ("it's 123 456"). English and Spanish, typed without accents or with them.
 */

/** Lower case, without accents or apostrophes, spaces collapsed: "No encontré mi teléfono" → "no encontre mi telefono". */
export function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const PHONE_KINDS: readonly MethodKind[] = ['phone', 'alternatePhone', 'officePhone'];

/** The words for each method, most specific first (an office phone is a phone too). */
const METHOD_WORDS: ReadonlyArray<readonly [readonly MethodKind[], RegExp]> = [
  [
    ['officePhone'],
    /\b(office|work|desk|landline)\s+(phone|number|line)|\btelefono (de la |del )?(oficina|trabajo)|\b(telefono|numero) fijo/,
  ],
  [
    ['alternatePhone'],
    /\b(alternate|alternative|second|other|backup|spare|2nd)\s+(phone|number|cell|mobile)|\b(telefono|numero|celular) (alternativo|secundario|de respaldo)|\bsegundo (telefono|numero|celular)/,
  ],
  [['authenticatorApp'], /\b(authenticat\w*|auth app|apps?|application|aplicacion\w*|autentica\w*|autentifica\w*)\b/],
  [['email'], /\b(e-?mail|mail|correo|email address)\b/],
  [['securityQuestions'], /\b(security questions?|questions|answers|preguntas|respuestas)\b/],
  [PHONE_KINDS, /\b(phone|cell|cellphone|mobile|number|telefono|celular|movil|numero|cel|sms|texts?)\b/],
];

/** The kinds of method a sentence names, the most specific it names; empty when it names none. */
export function methodKindsNamedIn(text: string): readonly MethodKind[] {
  const words = folded(text);
  return METHOD_WORDS.find(([, pattern]) => pattern.test(words))?.[0] ?? [];
}

/** Whether a sentence is about security info or its methods at all ("delete a method", "borrar un metodo"). */
export function namesMethodsAtAll(text: string): boolean {
  return (
    methodKindsNamedIn(text).length > 0 || /\b(methods?|metodos?|security info\w*|informacion de seguridad|sign.?in)\b/.test(folded(text))
  );
}

/** How the phone step reads numbers: its policy's default country, then the others it allows. */
export interface PhoneCountries {
  readonly defaultCountry: string;
  readonly allowedCountries: readonly string[];
}

/**
 * The one phone number in a sentence, as the person typed it ("my new number
 * is (201) 555-0123" → "(201) 555-0123"), read as a number of the default
 * country or, failing that, of another allowed one; undefined when the
 * sentence holds none, or more than one.
 */
export function phoneNumberIn(text: string, countries: PhoneCountries): string | undefined {
  const tried = [countries.defaultCountry, ...countries.allowedCountries.filter((c) => c !== countries.defaultCountry)];
  for (const country of tried.filter((c) => isSupportedCountry(c))) {
    const found = findPhoneNumbersInText(text, { defaultCountry: country as CountryCode });
    if (found.length === 1) return text.slice(found[0]!.startsAt, found[0]!.endsAt);
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/** Only what a number is typed with; anything else (a letter) makes it a sentence. */
const NUMBER_AS_TYPED = /^[+\d\s().-]*$/;
const CODE_AS_TYPED = /^[\d\s-]*$/;

/** Words and no digit: "my code doesn't work", "I lost my phone". */
function isSentenceWithoutDigits(text: string): boolean {
  return !/\p{Nd}/u.test(text) && text.trim().split(/\s+/).length > 1;
}

/**
 * What a typed reply puts in a card's input: a number or a code typed in a
 * sentence is taken out of it (the phone step's `number`, a code step's
 * `code`); a sentence with no digit in it is no number and no code
 * (undefined: it is read for what it means instead); anything else, and a
 * value typed alone, is kept as typed for the step to check.
 */
export function valueForInput(input: string, text: string, countries: PhoneCountries): string | undefined {
  if (input === 'number' && !NUMBER_AS_TYPED.test(text)) {
    return phoneNumberIn(text, countries) ?? (isSentenceWithoutDigits(text) ? undefined : text);
  }
  if (input === 'code' && !CODE_AS_TYPED.test(text)) return codeIn(text) ?? (isSentenceWithoutDigits(text) ? undefined : text);
  return text;
}
