/**
 * What a typed message holds that must never travel further than the step
 * that asked for it: a verification code or a Temporary Access Pass. Such a
 * message is never relayed between a person and the help desk (either way),
 * never classified by the language understanding, never noted or logged.
 */

/** What people type between the groups of a code or a pass: spaces, dashes, dots, commas, slashes (at most three in a row). */
const GAP = '[\\s.,;:_/\\-\u2013\u2014]{0,3}';
/** Digits with gaps between them: six of them are a code; a longer run is a phone number, a shorter one a count. */
const DIGIT_RUN = new RegExp(`\\p{Nd}(?:${GAP}\\p{Nd})*`, 'gu');
const DIGIT = /\p{Nd}/gu;
const CODE_DIGITS = 6;
/**
 * The alphabet of a Temporary Access Pass (readableCode's: no 0/O, 1/I/L):
 * 12 of them alone, or in groups of four, letters only or not. Ordinary
 * words mostly hold an i, l or o, so sentences are rarely taken for one.
 */
const PASS_CHAR = '[a-hjkmnp-z2-9]';
const PASS = new RegExp(`(?<![a-z0-9])${PASS_CHAR}{4}(?:${GAP}${PASS_CHAR}{4}){2}(?![a-z0-9])`, 'i');
/** A pass spelled out one character at a time ("A B C D …"). */
const SPELLED_PASS = new RegExp(`(?<![a-z0-9])(?:${PASS_CHAR}[\\s.,;:_/\\-]{1,3}){11}${PASS_CHAR}(?![a-z0-9])`, 'i');
/** Six digits side by side, whatever stands around them ("123456 2" is a code and a digit). */
const SIX_TOGETHER = /(?<!\p{Nd})\p{Nd}{6}(?!\p{Nd})/u;
/** A help-desk ticket number (helpdesk/tickets.ts makes them): said by both sides, its six digits are a date, not a code. */
export const TICKET_NUMBER = /HD-\d{6}-[A-Z0-9]{4}/;
const TICKET_NUMBERS = new RegExp(TICKET_NUMBER.source, 'gi');

/**
 * Whether a message holds anything shaped like a verification code or a
 * Temporary Access Pass, anywhere in it and however it is spaced. Only the
 * ticket number of the conversation (`ticketId`), which both sides say, is
 * let through: anything else shaped like one may hide a code in its date.
 */
export function looksLikeCodeOrPass(text: string, ticketId?: string): boolean {
  const words = ticketId ? text.split(new RegExp(escapeRegExp(ticketId), 'gi')).join(' ') : text;
  if (PASS.test(words) || SPELLED_PASS.test(words) || SIX_TOGETHER.test(words)) return true;
  return (words.match(DIGIT_RUN) ?? []).some((run) => (run.match(DIGIT) ?? []).length === CODE_DIGITS);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The one six-digit code in a typed sentence ("it's 123 456" → "123456"); undefined when there is none or more than one. */
export function codeIn(text: string): string | undefined {
  const words = text.replace(TICKET_NUMBERS, ' ');
  const codes = (words.match(DIGIT_RUN) ?? []).map((run) => (run.match(DIGIT) ?? []).join('')).filter((d) => d.length === CODE_DIGITS);
  return codes.length === 1 ? codes[0]!.normalize('NFKC') : undefined;
}
