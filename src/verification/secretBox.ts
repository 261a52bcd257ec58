import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { DecryptionError } from '../kit/errors';
import type { KeyedName, Random } from './ports';

export type { KeyedName };

export interface EncryptionKey {
  readonly id: string;
  /** 32 bytes: AES-256. */
  readonly key: Buffer;
}

const IV_BYTES = 12; // 96-bit nonce, as NIST SP 800-38D recommends for GCM
const VERSION = 'v1';
/** What a sealed document name is bound to, so no other sealed value passes for one. */
const NAME_CONTEXT = 'keyed-name v1';

/** The keyed hashes of one value (worked out once), from which the names of its documents are made. */
export class KeyedNames {
  constructor(
    private readonly hashes: readonly string[],
    private readonly seal: (prefix: string) => string,
  ) {}

  of(prefix: string): KeyedName {
    const seal = this.seal;
    return { names: this.hashes.map((hash) => `${prefix}${hash}`), sealed: () => seal(prefix) };
  }
}

/**
 * Seals secrets at rest with AES-256-GCM. The key id travels beside the
 * ciphertext so keys can rotate: the first key seals, every listed key opens.
 * The `context` (e.g. user and method id) is bound as additional data, so a
 * sealed value copied to another user or method does not open.
 *
 * Keyed hashes rotate the same way. A hash only compared (a code, a call
 * token, a pass) carries its key id and checks under any listed key. A hash
 * that names a document (a number's aliases, opt-out and counters) is looked
 * for under every listed key, the primary's first, and written under the
 * primary only ({@link KeyedName}); `npm run rekey` moves what an older key
 * named, after which that key can go. One lookup key apart from the
 * encryption keys would never need moving, but it could never be retired
 * either: whoever learnt it with a key could test numbers against every
 * later copy of the database.
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
    if (this.keys.size !== keys.length) throw new Error('two keys have the same id');
  }

  /** The key that seals and names documents now. */
  get primaryKeyId(): string {
    return this.active.id;
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
    return this.hashUnder(this.primaryKeyId, value);
  }

  /** Compares in constant time; false for anything malformed or under an unknown key. */
  matchesKeyedHash(value: string, stored: string): boolean {
    const [keyId, mac, extra] = stored.split('.');
    if (!keyId || !mac || extra !== undefined || !this.keys.has(keyId)) return false;
    const expected = Buffer.from(mac, 'base64url');
    const actual = this.hmac(keyId, value);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /** The keyed hashes of `value` under every key (same form as {@link keyedHash}), for naming documents about it. */
  keyedNames(value: string): KeyedNames {
    return new KeyedNames(
      [...this.keys.keys()].map((keyId) => this.hashUnder(keyId, value)),
      (prefix) => this.seal(Buffer.from(JSON.stringify([prefix, value]), 'utf8'), NAME_CONTEXT),
    );
  }

  /** The name a {@link KeyedName.sealed} value stands for, under the keys listed now. */
  reopenName(sealed: string): KeyedName {
    const [prefix, value] = JSON.parse(this.open(sealed, NAME_CONTEXT).toString('utf8')) as [string, string];
    return this.keyedNames(value).of(prefix);
  }

  private hashUnder(keyId: string, value: string): string {
    return `${keyId}.${this.hmac(keyId, value).toString('base64url')}`;
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

  /** The value sealed again under the primary key; undefined when it already is (so a rekey run twice does nothing). */
  reseal(sealed: string, context: string): string | undefined {
    if (sealed.split('.')[1] === this.primaryKeyId) return undefined;
    return this.seal(this.open(sealed, context), context);
  }
}
