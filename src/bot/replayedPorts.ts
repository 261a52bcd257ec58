import { currentTurnReplay, onceInTurn } from '../kit/turnReplay';
import type { AuditEvent, AuditLog, Clock, Counters, Destination, Messenger, Random, SecurityInfoChange } from '../verification/ports';

/** The ports the verification core sees: replayed within a turn, as they are outside one. */
export function replayed(ports: { clock: Clock; random: Random; counters: Counters; messenger: Messenger; audit: AuditLog }) {
  const clock: Clock = { now: () => currentTurnReplay()?.now ?? ports.clock.now() };
  const random: Random = {
    bytes: (length) => currentTurnReplay()?.bytes(`bytes:${length}`, length) ?? ports.random.bytes(length),
    int: (max) => {
      const replay = currentTurnReplay();
      if (!replay) return ports.random.int(max);
      // Rejection sampling over 48 bits: uniform in [0, max).
      const limit = 2 ** 48 - (2 ** 48 % max);
      for (;;) {
        const value = replay.bytes(`int:${max}`, 6).readUIntBE(0, 6);
        if (value < limit) return value % max;
      }
    },
    id: () => {
      const replay = currentTurnReplay();
      if (!replay) return ports.random.id();
      const b = replay.bytes('id', 16);
      b[6] = (b[6]! & 0x0f) | 0x40; // version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const hex = b.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
  const key = (k: Parameters<Counters['take']>[0]) => (typeof k === 'string' ? k : k.names[0]!);
  const counters: Counters = {
    // A cap taken again by a re-run counts twice (safe: a cap only errs on the side of refusing); an attempt slot is
    // replayed, so one guess is compared and counted once.
    take: (k, limit, windowEndsAt) => ports.counters.take(k, limit, windowEndsAt),
    increment: (k, windowEndsAt) => onceInTurn(`increment ${key(k)} ${windowEndsAt}`, () => ports.counters.increment(k, windowEndsAt)),
  };
  const messenger: Messenger = {
    sendCode: (to: Destination, code: string, minutes: number) =>
      onceInTurn(`code ${to.channel} ${to.address} ${code} ${minutes}`, () => ports.messenger.sendCode(to, code, minutes)),
    placeCall: (to, call) => onceInTurn(`call ${to} ${call.callToken}`, () => ports.messenger.placeCall(to, call)),
    notifyChange: (to: Destination, change: SecurityInfoChange) =>
      onceInTurn(`notice ${to.channel} ${to.address} ${JSON.stringify(change)}`, () => ports.messenger.notifyChange(to, change)),
  };
  const audit: AuditLog = {
    record: (event: AuditEvent) => onceInTurn(`audit ${JSON.stringify(event)}`, () => ports.audit.record(event)),
  };
  return { clock, random, counters, messenger, audit };
}
