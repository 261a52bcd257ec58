import { PNG } from 'pngjs';
import QRCode from 'qrcode';

/** On-screen width of the QR image: large enough to scan from a laptop screen. */
export const QR_DISPLAY_WIDTH = '220px';

/** Error correction M and a quiet zone of four modules (ISO/IEC 18004) read reliably from a screen. */
const ERROR_CORRECTION = 'M';
const QUIET_ZONE = 4;
/** About one and a half times the display size, so it stays sharp on high-density screens. */
const TARGET_PIXELS = 330;

/**
 * Renders a QR code as a grayscale PNG: `qrcode` makes the module matrix,
 * `pngjs` encodes it. Each module is a whole number of pixels (crisp edges);
 * one gray byte per pixel and the "Up" filter (each row repeats the one above
 * it, or nearly) cost about a millisecond, where the RGBA image `qrcode` draws
 * itself, with every filter tried on every row, costs twelve (`npm run bench:core`).
 */
export function qrPng(text: string): Buffer {
  // One byte-mode segment: an otpauth URI gains nothing from mixed modes, and working them out costs more than the rest.
  const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: ERROR_CORRECTION });
  const modulesWide = modules.size + 2 * QUIET_ZONE;
  const scale = Math.max(4, Math.round(TARGET_PIXELS / modulesWide));
  const width = modulesWide * scale;
  // White everywhere; each row of modules is drawn once, then repeated down its height.
  const data = Buffer.alloc(width * width, 0xff);
  for (let row = 0; row < modules.size; row++) {
    const top = (row + QUIET_ZONE) * scale * width;
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      const left = top + (col + QUIET_ZONE) * scale;
      data.fill(0, left, left + scale);
    }
    for (let dy = 1; dy < scale; dy++) data.copy(data, top + dy * width, top, top + width);
  }
  return PNG.sync.write({ width, height: width, data } as PNG, {
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
    bitDepth: 8,
    filterType: 2,
  });
}

export async function qrPngDataUri(text: string): Promise<string> {
  return `data:image/png;base64,${qrPng(text).toString('base64')}`;
}
