import { toGsm7 } from '../kit/gsm7';

export { toGsm7 };

/** One SMS segment: 160 characters of the GSM-7 alphabet, or 70 of UCS-2 when any other character is in it. */
export const GSM7_SEGMENT = 160;
export const UCS2_SEGMENT = 70;

// GSM 03.38: the basic set, and the extension set (each of those costs two).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

/**
 * How many segment units a text costs, and the size of a segment for it: in
 * GSM-7 a character (two for the extension set's); in UCS-2 a UTF-16 unit,
 * so a character outside the BMP (most emoji) costs two, as carriers count it.
 */
export function smsLength(text: string): { length: number; segment: number } {
  let length = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) length += 1;
    else if (GSM7_EXTENDED.has(ch)) length += 2;
    else return { length: text.length, segment: UCS2_SEGMENT };
  }
  return { length, segment: GSM7_SEGMENT };
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Graphemes are read this many UTF-16 units at a time: V8's segmenter slows down with the length of what it segments. */
const GRAPHEME_CHUNK = 256;

/** The graphemes of a text, in order. */
function* graphemesOf(text: string): Generator<string> {
  for (let at = 0; at < text.length; ) {
    const end = at + GRAPHEME_CHUNK;
    const found = Array.from(GRAPHEMES.segment(text.slice(at, end)), (s) => s.segment);
    // The last grapheme of a chunk may go on past it: it is read again with the next chunk.
    const whole = end >= text.length || found.length === 1 ? found : found.slice(0, -1);
    for (const grapheme of whole) {
      yield grapheme;
      at += grapheme.length;
    }
  }
}

/** What a piece of text costs in GSM-7 (undefined: it needs UCS-2), and in UTF-16 units. */
function costOf(text: string): { gsm7: number | undefined; units: number } {
  let gsm7: number | undefined = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) gsm7 += 1;
    else if (GSM7_EXTENDED.has(ch)) gsm7 += 2;
    else {
      gsm7 = undefined;
      break;
    }
  }
  return { gsm7, units: text.length };
}

/**
 * A word too long for one segment, as pieces that each fit one: cut between
 * graphemes (an emoji with its modifiers stays whole), or between code
 * points for a grapheme too long by itself. One pass, whatever the length.
 */
function cutWord(word: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let gsm7: number | undefined = 0;
  let units = 0;
  const add = (unit: string, cost: { gsm7: number | undefined; units: number }) => {
    const nextGsm7 = gsm7 === undefined || cost.gsm7 === undefined ? undefined : gsm7 + cost.gsm7;
    const fits = nextGsm7 === undefined ? units + cost.units <= UCS2_SEGMENT : nextGsm7 <= GSM7_SEGMENT;
    if (!fits && piece) {
      pieces.push(piece);
      piece = '';
      gsm7 = cost.gsm7;
      units = cost.units;
    } else {
      gsm7 = nextGsm7;
      units += cost.units;
    }
    piece += unit;
  };
  for (const grapheme of graphemesOf(word)) {
    const cost = costOf(grapheme);
    if (cost.units <= UCS2_SEGMENT) add(grapheme, cost);
    else for (const codePoint of grapheme) add(codePoint, costOf(codePoint));
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * A reply as text messages of one segment each: lines are kept together
 * where they fit, a line too long for a segment is cut at a space. A
 * message never ends mid-word unless a word is longer than a segment (a
 * long link, a sentence in a script without spaces): that word is cut
 * where a segment ends.
 */
export function toSmsMessages(text: string): string[] {
  // Lines end at LF, CRLF or CR; blanks at their ends go line by line (a regular expression for them backtracked over every run of spaces: seconds for a long one).
  const plain = toGsm7(text)
    .split(/\r\n?|\n/)
    .map((line) => line.trimEnd())
    .join('\n')
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
    // A line longer than a segment: word by word (a run of blanks is one break: no text is blanks or ends in them), and a word longer than a segment in pieces.
    let part = '';
    for (const word of piece.split(/\s+/)) {
      const next = part ? `${part} ${word}` : word;
      if (fits(next)) {
        part = next;
        continue;
      }
      if (part) messages.push(part);
      const pieces = cutWord(word);
      messages.push(...pieces.slice(0, -1));
      part = pieces.at(-1) ?? '';
    }
    current = part;
  };
  for (const line of plain.split('\n')) push(line);
  if (current) messages.push(current);
  return messages;
}
