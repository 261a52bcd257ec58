import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevOutbox } from '../../src/delivery/devOutbox';
import { OutgoingMessages } from '../../src/delivery/messages';
import { createLogger } from '../../src/kit/log';
import { StoreAuditLog } from '../../src/storage/auditStore';
import { StoreCounters } from '../../src/storage/counters';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { defaultPolicy, type Policy } from '../../src/verification/policy';
import { cryptoRandom, type Via } from '../../src/verification/ports';
import { newProfile, type SecurityInfoProfile } from '../../src/verification/profile';
import { SecretBox } from '../../src/verification/secretBox';
import { VerificationService } from '../../src/verification/service';
import { appCodeFor } from './authenticatorApp';
import { FrozenClock } from './clock';
import { testKey } from './keys';

/** The verification service on real parts: SQLite counters in memory, the dev outbox in a temp folder, a frozen clock. */
export function setup(policy: Policy = defaultPolicy) {
  const clock = new FrozenClock();
  const secretBox = new SecretBox([testKey()], cryptoRandom);
  const store = new SqliteStore(':memory:', clock, cryptoRandom);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
  const audit = new StoreAuditLog(store, cryptoRandom);
  const outbox = new DevOutbox(dataDir, 'http://localhost:3978', clock, createLogger('silent'));
  const service = new VerificationService({
    clock,
    random: cryptoRandom,
    secretBox,
    policy,
    issuer: 'Contoso',
    counters: new StoreCounters(store),
    messenger: new OutgoingMessages(outbox, 'Contoso'),
    audit,
  });
  const profile = newProfile({ userId: 'aad:1', upn: 'adele@contoso.com', displayName: 'Adele Vance', role: 'employee' });
  /** What the person's app shows now for the enrollment in progress (read back from the URI, as the app does). */
  const appCode = (p: SecurityInfoProfile = profile, at = clock.now()) => {
    const pending = service.pendingAppEnrollment(p);
    if (!pending) throw new Error('nothing pending');
    return appCodeFor(pending.otpauthUri, at);
  };
  return { clock, secretBox, service, profile, appCode, outbox, store, audit };
}

/** Where test requests come from: a Bot Framework channel (sender proven), a text (sender claimed), the help desk. */
export const TEAMS: Via = { channel: 'msteams', verifiedSender: true };
export const BY_TEXT: Via = { channel: 'sms', verifiedSender: false };
export const HELP_DESK: Via = { channel: 'helpdesk', verifiedSender: true };
