import type { Request } from 'restify';
import twilio from 'twilio';

/**
 * Whether a webhook carries Twilio's `X-Twilio-Signature` for its exact public
 * URL and form parameters. Without an auth token (dev outbox) nothing is signed.
 */
export function signedByTwilio(req: Request, authToken: string | undefined, publicBaseUrl: string): boolean {
  const signature = req.header('x-twilio-signature');
  if (!authToken || !signature) return false;
  const params = req.body && typeof req.body === 'object' ? (req.body as Record<string, string>) : {};
  return twilio.validateRequest(authToken, signature, `${publicBaseUrl}${req.url}`, params);
}
