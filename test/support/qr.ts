import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads a QR code back from a PNG, from its pixels, as a phone camera would. */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!result) throw new Error('no QR code found in the image');
  return result.data;
}

export function decodeQrDataUri(dataUri: string): string {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUri);
  if (!match?.[1]) throw new Error('not a PNG data URI');
  return decodeQrPng(Buffer.from(match[1], 'base64'));
}
