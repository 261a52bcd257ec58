/** One SMS segment: 160 characters of the GSM-7 alphabet, or 70 of UCS-2 when any other character is in it. */
export const GSM7_SEGMENT = 160;
export const UCS2_SEGMENT = 70;

// GSM 03.38: the basic set, and the extension set (each of those costs two).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

/** Characters the cards use that have a GSM-7 stand-in, so a reply stays in 160-character segments. */
const STAND_INS: ReadonlyArray<[RegExp, string]> = [
  [/[•●]/g, '*'],
  [/[·–—]/g, '-'],
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
  [/…/g, '...'],
  [/⚠\s?/g, '! '],
  [/[\u00a0\u2009\u202f]/g, ' '],
];

/** The text with typographic characters replaced by their GSM-7 stand-ins. */
export function toGsm7(text: string): string {
  return STAND_INS.reduce((t, [pattern, plain]) => t.replace(pattern, plain), text);
}

/** How many segment units a text costs, and the size of a segment for it. */
export function smsLength(text: string): { length: number; segment: number } {
  let length = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) length += 1;
    else if (GSM7_EXTENDED.has(ch)) length += 2;
    else return { length: [...text].length, segment: UCS2_SEGMENT };
  }
  return { length, segment: GSM7_SEGMENT };
}

/**
 * A reply as text messages of one segment each: lines are kept together
 * where they fit, a line too long for a segment is cut at a space. A
 * message never ends mid-word unless a word is longer than a segment.
 */
export function toSmsMessages(text: string): string[] {
  const plain = toGsm7(text)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
  if (!plain) return [];
  const messages: string[] = [];
  let current = '';
  const fits = (candidate: string) => {
    const { length, segment } = smsLength(candidate);
    return length <= segment;
  };
  const push = (piece: string) => {
    const candidate = current ? `${current}\n${piece}` : piece;
    if (fits(candidate)) {
      current = candidate;
      return;
    }
    if (current) messages.push(current);
    current = '';
    if (fits(piece)) {
      current = piece;
      return;
    }
    // A line longer than a segment: word by word.
    let part = '';
    for (const word of piece.split(' ')) {
      const next = part ? `${part} ${word}` : word;
      if (fits(next) || !part) {
        part = next;
      } else {
        messages.push(part);
        part = word;
      }
    }
    current = part;
  };
  for (const line of plain.split('\n')) push(line);
  if (current) messages.push(current);
  return messages;
}
