import type { Server } from 'restify';
import type { QrLinks } from '../presentation/qrLinks';

/** QR_IMAGE_MODE=url: the QR image of a card, once and while the card is current; never cached by anyone on the way. */
export function registerQrRoute(server: Server, links: QrLinks): void {
  server.get('/api/qr/:file', async (req, res) => {
    const token = String(req.params.file ?? '').replace(/\.png$/, '');
    const png = await links.take(token);
    if (!png) {
      res.send(404, { error: 'this QR code link has been used, has expired, or its card was replaced' });
      return;
    }
    res.setHeader('content-type', 'image/png');
    res.setHeader('cache-control', 'no-store');
    res.sendRaw(200, png);
  });
}
