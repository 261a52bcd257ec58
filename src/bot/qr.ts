import QRCode from 'qrcode';

/** On-screen width of the QR image: large enough to scan from a laptop screen. */
export const QR_DISPLAY_WIDTH = '220px';

/**
 * Renders a QR code as a PNG data URI. Error correction M and a quiet zone of
 * four modules (ISO/IEC 18004) read reliably from a screen; the PNG is drawn at
 * one and a half times its display size so it stays sharp on high-density screens.
 */
export const QR_RENDER = { errorCorrectionLevel: 'M', margin: 4, width: 330 } as const;

export function qrPngDataUri(text: string): Promise<string> {
  return QRCode.toDataURL(text, { ...QR_RENDER, type: 'image/png' });
}
