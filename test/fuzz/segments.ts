/**
 * Whether a text is one segment as carriers count it (counted here, not by
 * the bot's own smsLength): 160 GSM-7 characters, the extension set's two
 * each; or else 70 UTF-16 units, where a character outside the BMP (most
 * emoji) takes two.
 */
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

export function fitsOneSegment(text: string): boolean {
  const characters = [...text];
  if (characters.every((ch) => GSM7.has(ch) || GSM7_EXTENDED.has(ch))) {
    return characters.reduce((n, ch) => n + (GSM7_EXTENDED.has(ch) ? 2 : 1), 0) <= 160;
  }
  return text.length <= 70;
}
