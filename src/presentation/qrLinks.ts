import type { DocumentStore } from '../storage/store';
import type { Clock, Random } from '../verification/ports';
import type { SecretBox } from '../verification/secretBox';
import { qrPng } from './qr';

/** How long a QR image link works (it also stops after its first fetch). */
const LINK_LIFETIME_MS = 10 * 60_000;

/**
 * QR_IMAGE_MODE=url: for Teams clients that do not show data-URI images, the QR
 * code is served by the bot at an unguessable URL that works once and for ten
 * minutes. The store keeps only the sealed otpauth URI under a keyed hash of
 * the token, so neither the database nor a log line holds a working link.
 */
export class QrLinks {
  constructor(
    private readonly store: DocumentStore,
    private readonly secretBox: SecretBox,
    private readonly random: Random,
    private readonly clock: Clock,
    private readonly publicBaseUrl: string,
  ) {}

  async create(otpauthUri: string): Promise<string> {
    const token = this.random.bytes(32).toString('base64url');
    const id = this.secretBox.keyedHash(token);
    await this.store.put(
      'qr',
      id,
      { sealedUri: this.secretBox.seal(Buffer.from(otpauthUri, 'utf8'), `qr:${id}`) },
      { ifNoneMatch: '*', expiresAt: this.clock.now() + LINK_LIFETIME_MS },
    );
    return `${this.publicBaseUrl}/api/qr/${token}.png`;
  }

  /** The PNG of a link, once: a second fetch, a stale or a made-up token get nothing. */
  async take(token: string): Promise<Buffer | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const id = this.secretBox.keyedHash(token);
    const found = await this.store.get<{ sealedUri: string }>('qr', id);
    if (!found) return undefined;
    try {
      await this.store.delete('qr', id, { ifMatch: found.etag });
    } catch {
      return undefined; // someone else took it first
    }
    const uri = this.secretBox.open(found.value.sealedUri, `qr:${id}`).toString('utf8');
    return qrPng(uri);
  }
}
