import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';

export type PhoneChannel = 'sms' | 'voice';

/** Why a typed number is refused; each has a sentence in the dialogs. */
export type PhoneProblem =
  | { readonly problem: 'notANumber' }
  | { readonly problem: 'tooShort' }
  | { readonly problem: 'tooLong' }
  | { readonly problem: 'invalid' }
  | { readonly problem: 'unknownCountry' }
  | { readonly problem: 'countryMismatch'; readonly numberCountry: string; readonly chosenCountry: string }
  | { readonly problem: 'countryNotAllowed'; readonly country: string }
  /** Premium-rate, toll-free, shared-cost, pager...: never called or texted (toll fraud). */
  | { readonly problem: 'notAPersonalNumber' }
  /** A landline cannot receive a text. */
  | { readonly problem: 'cannotReceiveTexts' };

export interface PhoneNumber {
  /** E.164, e.g. +14255550100: the only form stored. */
  readonly e164: string;
  readonly country: string;
}

const PERSONAL_TYPES = new Set(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER', undefined]);
const TEXTABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER', undefined]);
const MAX_INPUT = 40;

/**
 * Parses what a person typed, in the country they chose, with
 * libphonenumber-js's full metadata (it knows number types). A number typed
 * with a + must belong to the chosen country: a mismatch is more often a slip
 * than an intent, so it is refused with both countries named.
 */
export function parsePhoneNumber(
  input: string,
  chosenCountry: string,
  rules: { readonly allowedCountries: readonly string[]; readonly channel: PhoneChannel },
): PhoneNumber | PhoneProblem {
  const typed = input.trim();
  if (!isSupportedCountry(chosenCountry)) return { problem: 'unknownCountry' };
  const country = chosenCountry as CountryCode;
  if (typed.length === 0 || typed.length > MAX_INPUT || !/^[+\d\s().-]+$/.test(typed)) return { problem: 'notANumber' };
  const length = validatePhoneNumberLength(typed, country);
  if (length === 'TOO_SHORT' || length === 'NOT_A_NUMBER') return { problem: length === 'TOO_SHORT' ? 'tooShort' : 'notANumber' };
  if (length === 'TOO_LONG') return { problem: 'tooLong' };
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(typed, country);
  } catch {
    return { problem: 'notANumber' };
  }
  if (!parsed.isValid() || !parsed.country) return { problem: 'invalid' };
  if (parsed.country !== country) {
    return { problem: 'countryMismatch', numberCountry: parsed.country, chosenCountry: country };
  }
  if (!rules.allowedCountries.includes(parsed.country)) return { problem: 'countryNotAllowed', country: parsed.country };
  const type = parsed.getType();
  if (!PERSONAL_TYPES.has(type)) return { problem: 'notAPersonalNumber' };
  if (rules.channel === 'sms' && !TEXTABLE_TYPES.has(type)) return { problem: 'cannotReceiveTexts' };
  return { e164: parsed.number, country: parsed.country };
}

export function isPhoneProblem(value: PhoneNumber | PhoneProblem): value is PhoneProblem {
  return 'problem' in value;
}

/** "+1 ••• ••• 7890": enough for a person to recognise their number, not enough to use it. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const last4 = digits.slice(-4);
  const callingCode = callingCodeOf(e164);
  return `+${callingCode} ••• ••• ${last4}`;
}

/** Every country's calling code (E.164 makes them prefix-free: no code begins another). */
const CALLING_CODES = new Set(getCountries().map((country) => getCountryCallingCode(country)));

/**
 * The calling code an E.164 number begins with: a country's, found without
 * parsing the whole number; else (a non-geographic code such as +882) parsed.
 */
function callingCodeOf(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  for (let length = 1; length <= 3; length++) {
    if (CALLING_CODES.has(digits.slice(0, length))) return digits.slice(0, length);
  }
  try {
    return parsePhoneNumberWithError(e164).countryCallingCode;
  } catch {
    return digits.slice(0, 1);
  }
}

export function dialCode(country: string): string {
  return isSupportedCountry(country) ? `+${getCountryCallingCode(country as CountryCode)}` : '';
}
