import { totpCodeAt } from '../../src/verification/totp';

/** RFC 4648 base32, as an authenticator app decodes the `secret` of an otpauth URI. */
export function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of input.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(ch);
    if (value < 0) throw new Error(`not base32: ${ch}`);
    bits += value.toString(2).padStart(5, '0');
  }
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
}

/** What an ordinary authenticator app shows at `at` for the account of this otpauth URI. */
export function appCodeFor(otpauthUri: string, at: number): string {
  const secret = new URL(otpauthUri).searchParams.get('secret');
  if (!secret) throw new Error('the URI has no secret');
  return totpCodeAt(base32Decode(secret), at);
}
