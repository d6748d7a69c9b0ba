/**
 * Leads read together with the timers that were just claimed for them. The engine loads each lead
 * right after claiming its timer; the claim's statement already read those rows, so the first load of
 * each is answered from here, without a round trip, and at once (a value, not a promise).
 *
 * A prefetched row is as fresh as the claim. If the lead moved on since, the commit that follows fails
 * its version check and the engine loads again: this time from the database, because an entry is used
 * once. So a stale entry costs a retry, never a wrong write.
 *
 * @module
 */
import type { SqlRow } from './database.js';

/**
 * One-shot lead rows by tenant and lead id, bounded in size.
 *
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { PrefetchedLeads } from './prefetched-leads.js';
 *
 * declare const row: SqlRow; // a `leads` row read with a claimed timer
 * const prefetched = new PrefetchedLeads();
 * prefetched.put('acme', 'lead-1', row);
 * prefetched.take('acme', 'lead-1'); // row
 * prefetched.take('acme', 'lead-1'); // undefined: go to the database
 * ```
 */
export class PrefetchedLeads {
  private readonly rows = new Map<string, SqlRow>();

  /** `capacity` bounds the memory held by claims whose leads are never loaded (a worker that stops mid-batch). */
  constructor(private readonly capacity = 10_000) {}

  put(tenantId: string, leadId: string, row: SqlRow): void {
    if (this.rows.size >= this.capacity) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
    this.rows.set(key(tenantId, leadId), row);
  }

  /** The row, once; `undefined` after that or if none was prefetched. */
  take(tenantId: string, leadId: string): SqlRow | undefined {
    const k = key(tenantId, leadId);
    const row = this.rows.get(k);
    if (row !== undefined) this.rows.delete(k);
    return row;
  }

  /** Drops a lead's row: this process is about to change the lead, so the row is stale. */
  forget(tenantId: string, leadId: string): void {
    this.rows.delete(key(tenantId, leadId));
  }
}

function key(tenantId: string, leadId: string): string {
  // Tenant and lead ids are free text; a NUL cannot appear in PostgreSQL text, so it cannot be forged.
  return `${tenantId}\u0000${leadId}`;
}
