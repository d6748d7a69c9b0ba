/**
 * A bounded cache of restored snapshots, keyed by lead and checked against the stored version, so
 * that a hot lead is not rebuilt from JSON on every event. A stale entry (another writer moved the
 * version on) is never used.
 *
 * @module
 */
import type { LeadSnapshot } from './machine-runner.js';

/**
 * Least-recently-used cache of live snapshots.
 *
 * @example
 * ```ts
 * import type { LeadSnapshot } from './machine-runner.js';
 * import { SnapshotCache } from './snapshot-cache.js';
 *
 * declare const snapshot: LeadSnapshot; // lead-1 at version 3, as its last commit left it
 * const cache = new SnapshotCache(10_000);
 * cache.set('lead-1', 3, snapshot);
 * cache.get('lead-1', 3); // snapshot
 * cache.get('lead-1', 4); // undefined: the store moved on
 * ```
 */
export class SnapshotCache {
  private readonly entries = new Map<string, { version: number; snapshot: LeadSnapshot }>();

  constructor(private readonly capacity: number) {}

  /** The snapshot of `key` at exactly `version`, or `undefined`. */
  get(key: string, version: number): LeadSnapshot | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    return entry.snapshot;
  }

  /** Remembers the snapshot of `key` at `version`, evicting the least recently written entry when full. */
  set(key: string, version: number, snapshot: LeadSnapshot): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { version, snapshot });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
