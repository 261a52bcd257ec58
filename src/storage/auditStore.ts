import type { AuditEvent, AuditLog, Random } from '../verification/ports';
import type { DocumentStore } from './store';

/** Keep audit events this long (then they read as absent and a sweep removes them). */
const RETENTION_MS = 400 * 24 * 60 * 60 * 1000;

/** The audit log in the store: one document per event, listed per person (by UPN). */
export class StoreAuditLog implements AuditLog {
  /** Orders the events of one millisecond as this instance recorded them. */
  private sequence = 0;

  constructor(
    private readonly store: DocumentStore,
    private readonly random: Random,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    // Ids sort by time, so a partition lists in order.
    this.sequence = (this.sequence + 1) % 1_000_000;
    const id = `${String(event.at).padStart(15, '0')}-${String(this.sequence).padStart(6, '0')}-${this.random.id()}`;
    await this.store.put('audit', id, event, { ifNoneMatch: '*', partition: partitionOf(event.upn), expiresAt: event.at + RETENTION_MS });
  }

  /** The newest `limit` events of a person, oldest first. */
  async forUser(upn: string, limit = 500): Promise<AuditEvent[]> {
    return (await this.store.list<AuditEvent>('audit', partitionOf(upn), { limit, newestFirst: true })).reverse();
  }
}

function partitionOf(upn: string): string {
  return upn.trim().toLowerCase();
}
