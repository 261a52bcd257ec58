/**
 * Characters with a GSM-7 stand-in, so a text stays in 160-character
 * segments instead of turning into 70-character UCS-2 ones: typographic
 * marks the cards use, and the accented vowels GSM-7 lacks. GSM 03.38 has
 * é, ñ, ü, ¿ and ¡ but not á, í, ó or ú: Spanish by SMS is sent with those
 * four unaccented, as Twilio's Smart Encoding does (docs/i18n.md).
 */
const STAND_INS: ReadonlyArray<[RegExp, string]> = [
  [/[•●]/g, '*'],
  [/[·–—]/g, '-'],
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
  [/…/g, '...'],
  [/⚠\s?/g, '! '],
  [/[\u00a0\u2009\u202f]/g, ' '],
  [/á/g, 'a'],
  [/í/g, 'i'],
  [/ó/g, 'o'],
  [/ú/g, 'u'],
  [/Á/g, 'A'],
  [/Í/g, 'I'],
  [/Ó/g, 'O'],
  [/Ú/g, 'U'],
];

/** The text with typographic characters and the accented vowels GSM-7 lacks replaced by their GSM-7 stand-ins. */
export function toGsm7(text: string): string {
  return STAND_INS.reduce((t, [pattern, plain]) => t.replace(pattern, plain), text);
}
