import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A value sealed into a cookie with AES-256-GCM: the browser holds it but can
 * neither read nor change it (a changed byte fails the tag). The key is
 * derived (HKDF-SHA256) per purpose from the bot's own key, so a session
 * cookie cannot be replayed as a sign-in transaction or the other way round.
 */
export class SealedCookie<T extends object> {
  private readonly key: Buffer;

  constructor(
    rootKey: Buffer,
    private readonly purpose: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), `admin-cookie:${purpose}`, 32));
  }

  /** Seals `value`, to be read until `expiresAt` (ms since the epoch). */
  seal(value: T, expiresAt: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(this.purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, e: expiresAt }), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The value, or undefined when the token was changed, made with another key, or has expired. */
  open(token: string | undefined, now: number): T | undefined {
    if (!token || token.length > 4096) return undefined;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < 29) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(this.purpose));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const { v, e } = JSON.parse(text) as { v: T; e: number };
      return typeof e === 'number' && now < e ? v : undefined;
    } catch {
      return undefined;
    }
  }
}
