import { TICKET_NUMBER } from './tickets';

/** What people type between the groups of a code or a pass: spaces, dashes, dots, slashes (at most three in a row). */
const GAP = '[\\s._/\\-\u2013\u2014]{0,3}';
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
/** Ticket numbers are said by both sides and hold six digits (the date): they are no code. */
const TICKET_NUMBERS = new RegExp(TICKET_NUMBER.source, 'gi');

/**
 * Whether a message holds anything shaped like a verification code or a
 * Temporary Access Pass, anywhere in it and however it is spaced: such a
 * message is never relayed between a person and the help desk, either way.
 */
export function looksLikeCodeOrPass(text: string): boolean {
  const words = text.replace(TICKET_NUMBERS, ' ');
  if (PASS.test(words)) return true;
  return (words.match(DIGIT_RUN) ?? []).some((run) => (run.match(DIGIT) ?? []).length === CODE_DIGITS);
}
