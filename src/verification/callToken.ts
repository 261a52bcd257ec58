import type { Random } from './ports';

/**
 * The token in a verification call's webhook URLs: who the call is for (so no
 * index is needed to find them) and 24 random bytes. Only its keyed hash is
 * kept; built and read here alone.
 */
export function newCallToken(userId: string, random: Random): string {
  return `${Buffer.from(userId, 'utf8').toString('base64url')}.${random.bytes(24).toString('base64url')}`;
}

/** The person a call token names, or undefined when it is not shaped like one. */
export function callTokenOwner(callToken: string): string | undefined {
  const [owner, nonce, extra] = callToken.split('.');
  if (!owner || !nonce || extra !== undefined) return undefined;
  return Buffer.from(owner, 'base64url').toString('utf8') || undefined;
}
