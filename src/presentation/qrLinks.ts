import type { DocumentStore } from '../storage/store';
import type { Clock, Random } from '../verification/ports';
import type { SecretBox } from '../verification/secretBox';
import { qrPng } from './qr';

/** How long a QR image link works at most (it also stops after its first fetch, and when its card goes). */
const LINK_LIFETIME_MS = 10 * 60_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** A link's name in the store: a keyed hash of its token (key id, HMAC). */
const NAME = /^[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{43}$/;
const PATH = '/api/qr/';

/**
 * QR_IMAGE_MODE=url: for Teams clients that do not show data-URI images, the QR
 * code is served by the bot at an unguessable URL that works once, for ten
 * minutes at most, and only while its card is in the chat. The store keeps
 * only the sealed otpauth URI under a keyed hash of the token, so neither the
 * database nor a log line holds a working link.
 */
export class QrLinks {
  constructor(
    private readonly store: DocumentStore,
    private readonly secretBox: SecretBox,
    private readonly random: Random,
    private readonly clock: Clock,
    private readonly publicBaseUrl: string,
  ) {}

  /** A link to the QR code of `otpauthUri`; `endsAt`: when the enrollment it shows ends, if sooner than the link would. */
  async create(otpauthUri: string, endsAt = Number.POSITIVE_INFINITY): Promise<string> {
    const token = this.random.bytes(32).toString('base64url');
    const id = this.names(token)[0]!;
    await this.store.put(
      'qr',
      id,
      { sealedUri: this.secretBox.seal(Buffer.from(otpauthUri, 'utf8'), `qr:${id}`) },
      { ifNoneMatch: '*', expiresAt: Math.min(this.clock.now() + LINK_LIFETIME_MS, endsAt) },
    );
    return `${this.publicBaseUrl}${PATH}${token}.png`;
  }

  /** The PNG of a link, once: a second fetch, a revoked, stale or made-up token get nothing. */
  async take(token: string): Promise<Buffer | undefined> {
    if (!TOKEN.test(token)) return undefined;
    // Under each key: a link made just before a key rotation still works for its few minutes.
    for (const id of this.names(token)) {
      const found = await this.store.get<{ sealedUri: string }>('qr', id);
      if (!found) continue;
      try {
        await this.store.delete('qr', id, { ifMatch: found.etag });
      } catch {
        return undefined; // someone else took it first
      }
      const uri = this.secretBox.open(found.value.sealedUri, `qr:${id}`).toString('utf8');
      return qrPng(uri);
    }
    return undefined;
  }

  /**
   * What revokes the link of a card's `image`, to keep in dialog state while
   * the card is shown: the link's name in the store, a keyed hash of its token,
   * so no working link is kept. Undefined for an image that is no link of ours
   * (a data URI).
   */
  handleOf(image: string): string | undefined {
    const prefix = `${this.publicBaseUrl}${PATH}`;
    const token = image.startsWith(prefix) && image.endsWith('.png') ? image.slice(prefix.length, -'.png'.length) : '';
    return TOKEN.test(token) ? this.names(token)[0] : undefined;
  }

  /**
   * The link of a QR card leaving the chat (replaced, retired, its enrollment
   * over), by its {@link handleOf handle}: it stops working at once, even
   * unfetched. The handle names the document under the key that made it, so
   * it revokes across a key rotation too.
   */
  async revoke(handle: string): Promise<void> {
    if (NAME.test(handle)) await this.store.delete('qr', handle);
  }

  private names(token: string): readonly string[] {
    return this.secretBox.keyedNames(token).of('').names;
  }
}
