import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { DecryptionError } from '../kit/errors';
import type { Random } from './ports';

export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes: AES-256. */
  readonly key: Buffer;
}

const IV_BYTES = 12; // 96-bit nonce, as NIST SP 800-38D recommends for GCM
const VERSION = 'v1';

/**
 * Seals secrets at rest with AES-256-GCM. The key id travels beside the
 * ciphertext so keys can rotate: the first key seals, every listed key opens.
 * The `context` (e.g. user and method id) is bound as additional data, so a
 * sealed value copied to another user or method does not open.
 */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly active: EncryptionKey;
  private readonly hashKeys = new Map<string, Buffer>();

  constructor(
    keys: readonly EncryptionKey[],
    private readonly random: Random,
  ) {
    const [active] = keys;
    if (!active) throw new Error('SecretBox needs at least one key');
    for (const k of keys) {
      if (k.key.length !== 32) throw new Error(`key ${k.id} is not 32 bytes`);
    }
    this.active = active;
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(plaintext: Uint8Array, context: string): string {
    const iv = this.random.bytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.active.id, iv, ciphertext, tag]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /**
   * A keyed hash (HMAC-SHA-256 under a key derived from the active key with
   * HKDF) for values that are only ever compared: one-time codes, call tokens.
   * A stolen database alone cannot test guesses against it.
   */
  keyedHash(value: string): string {
    return `${this.active.id}.${this.hmac(this.active.id, value).toString('base64url')}`;
  }

  /** Compares in constant time; false for anything malformed or under an unknown key. */
  matchesKeyedHash(value: string, stored: string): boolean {
    const [keyId, mac, extra] = stored.split('.');
    if (!keyId || !mac || extra !== undefined || !this.keys.has(keyId)) return false;
    const expected = Buffer.from(mac, 'base64url');
    const actual = this.hmac(keyId, value);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private hmac(keyId: string, value: string): Buffer {
    let key = this.hashKeys.get(keyId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.keys.get(keyId)!, Buffer.alloc(0), 'keyed-hash v1', 32));
      this.hashKeys.set(keyId, key);
    }
    return createHmac('sha256', key).update(value, 'utf8').digest();
  }

  open(sealed: string, context: string): Buffer {
    const [version, keyId, iv, ciphertext, tag, extra] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !ciphertext || !tag || extra !== undefined) {
      throw new DecryptionError('sealed value is malformed');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new DecryptionError(`no key with id "${keyId}"`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    } catch {
      throw new DecryptionError(`sealed value does not open with key "${keyId}" in this context`);
    }
  }
}
