/**
 * Assignments an engine has decided but the store may not show yet. Routing reads each rep's load
 * from the store; twenty captures in flight at once would all read the same loads and all pick the
 * same rep. Each routing decision is therefore reserved here until its commit is visible to every
 * later read, and loads are read as the store's plus what it cannot show yet.
 *
 * @module
 */
import type { OwnerLoad } from '../store/lead-store.js';

/** A routing decision in flight: tell the tracker when its commit landed, or that it never will. */
export interface Reservation {
  committed(): void;
  released(): void;
}

interface Entry {
  owner: string;
  /** The commit sequence number once committed; `undefined` while in flight. */
  committedAt?: number;
}

/**
 * Counts in-flight assignments per owner, for one engine.
 *
 * @example
 * ```ts
 * import type { CommitUnit, LeadStore } from '@leadline/core';
 * import { InFlightAssignments } from './in-flight-assignments.js';
 *
 * declare const store: LeadStore;
 * declare const unit: CommitUnit; // a commit that routes its lead to ann (unit.routedTo.owner)
 * const inFlight = new InFlightAssignments();
 * const read = inFlight.startRead();
 * const loads = inFlight.loads(await store.ownerLoads('default'), read);
 * const reservation = inFlight.reserve('ann');
 * try {
 *   await store.commit(unit);
 * } catch (error) {
 *   reservation.released(); // the commit never landed: ann's load goes back to what the store shows
 *   throw error;
 * }
 * reservation.committed();
 * ```
 */
export class InFlightAssignments {
  private commits = 0;
  private readonly entries = new Set<Entry>();
  /** Reads in progress: token -> the commit count when the read began. */
  private readonly reads = new Map<number, number>();
  private nextRead = 0;

  /** Call before reading loads from the store; pass the token to {@link loads}. */
  startRead(): number {
    const token = ++this.nextRead;
    this.reads.set(token, this.commits);
    return token;
  }

  /**
   * The store's loads plus every assignment that read may have missed: those still in flight, and
   * those committed after the read began.
   */
  loads(stored: ReadonlyMap<string, OwnerLoad>, token: number): Map<string, OwnerLoad> {
    const since = this.reads.get(token) ?? this.commits;
    this.reads.delete(token);
    const loads = new Map(stored);
    for (const entry of this.entries) {
      if (entry.committedAt !== undefined && entry.committedAt <= since) continue;
      const load = loads.get(entry.owner) ?? { open: 0, assigned: 0 };
      loads.set(entry.owner, { open: load.open + 1, assigned: load.assigned + 1 });
    }
    this.prune();
    return loads;
  }

  /** Ends a read that gave no loads (the store failed): it no longer holds committed entries back. */
  endRead(token: number): void {
    if (this.reads.delete(token)) this.prune();
  }

  /** Reserves one assignment to `owner` until its commit is seen by every later read. */
  reserve(owner: string): Reservation {
    const entry: Entry = { owner };
    this.entries.add(entry);
    return {
      committed: () => {
        entry.committedAt = ++this.commits;
        this.prune();
      },
      released: () => {
        this.entries.delete(entry);
      },
    };
  }

  /** How many assignments are tracked (in flight, or committed but not yet seen by every read). */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets committed assignments that every read in progress began after. */
  private prune(): void {
    let oldest = this.commits;
    for (const since of this.reads.values()) oldest = Math.min(oldest, since);
    for (const entry of this.entries) if (entry.committedAt !== undefined && entry.committedAt <= oldest) this.entries.delete(entry);
  }
}
