import { randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../../src/verification/secretBox';

export function testKey(id = 'k1'): EncryptionKey {
  return { id, key: randomBytes(32) };
}
