import type { Response } from 'restify';

/**
 * What every dashboard page and asset is sent with: scripts, styles and
 * requests from this origin only (no inline script, no CDN), never framed,
 * never cached, no referrer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sendHtml(res: Response, status: number, body: string): void {
  sendFile(res, status, 'text/html; charset=utf-8', body);
}

export function sendFile(res: Response, status: number, type: string, body: string | Buffer): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader('content-type', type);
  res.sendRaw(status, body);
}

/** A redirect (303 after a form, 302 to the provider). */
export function seeOther(res: Response, location: string, status = 303): void {
  res.setHeader('location', location);
  res.setHeader('cache-control', 'no-store');
  res.sendRaw(status, '');
}
