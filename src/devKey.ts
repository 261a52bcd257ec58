import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EncryptionKey } from './verification/secretBox';

const FILE = 'dev-encryption-key';

/**
 * The encryption key for local runs without `ENCRYPTION_KEYS`: made once into
 * `DATA_DIR` (readable by its owner only) and kept, so a restart can still
 * open what it sealed. Never for production: the key sits beside the data.
 */
export function loadOrCreateDevKey(dataDir: string): EncryptionKey {
  const file = path.join(dataDir, FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key; delete it to make a new one`);
  return { id: 'dev', key };
}
