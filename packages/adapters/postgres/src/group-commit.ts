/**
 * Group commit across leads: commits that arrive while one is on its way to the database wait and go
 * together in the next round trip, as one transaction with one WAL flush. A process that applies many
 * leads' events at once (a busy intake, or several `runDue` loops) then pays one round trip per batch
 * instead of one per commit, and a process that commits one at a time pays nothing extra.
 *
 * @module
 */

interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * How a {@link GroupCommit} writes.
 *
 * @example
 * ```ts
 * import type { GroupCommitOptions } from './group-commit.js';
 *
 * // Units are numbers here; the store's are commit units, and its outcomes say how each went.
 * const options: GroupCommitOptions<number, string> = {
 *   maxBatch: 100,
 *   commitMany: async (units) => units.map((unit) => `committed ${unit}`), // one round trip for all
 *   commitOne: async (unit) => `committed ${unit}`, // when the batch failed as a whole
 * };
 * ```
 */
export interface GroupCommitOptions<I, R> {
  /** Items per round trip at most. */
  maxBatch: number;
  /** Writes several items in one transaction, answering each in order. May throw for the whole batch. */
  commitMany(items: I[]): Promise<R[]>;
  /** Writes one item; used alone, and for each item of a batch that failed as a whole. */
  commitOne(item: I): Promise<R>;
}

/**
 * A queue that sends what accumulated while the previous send was in flight.
 *
 * A batch that fails as a whole (a deadlock, a unique key raced by another process, one bad item) is
 * retried item by item, so that one item's failure is that item's alone.
 *
 * @example
 * ```ts
 * import { GroupCommit } from './group-commit.js';
 *
 * const group = new GroupCommit<number, string>({
 *   maxBatch: 100,
 *   commitMany: async (units) => units.map((unit) => `committed ${unit}`),
 *   commitOne: async (unit) => `committed ${unit}`,
 * });
 * const [a, b] = await Promise.all([group.submit(1), group.submit(2)]); // one round trip
 * ```
 */
export class GroupCommit<I, R> {
  private readonly waiting: Waiting<I, R>[] = [];
  private sending = false;

  constructor(private readonly options: GroupCommitOptions<I, R>) {}

  /** Queues an item; resolves when its batch is written. */
  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.sending) {
        this.sending = true;
        // After the current microtasks: commits submitted in the same turn leave together.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        if (batch.length === 1) await this.one(batch[0] as Waiting<I, R>);
        else await this.many(batch);
      }
    } finally {
      this.sending = false;
    }
  }

  private async one(waiting: Waiting<I, R>): Promise<void> {
    try {
      waiting.resolve(await this.options.commitOne(waiting.item));
    } catch (error) {
      waiting.reject(error);
    }
  }

  private async many(batch: Waiting<I, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.options.commitMany(batch.map((waiting) => waiting.item));
    } catch {
      // Nothing of the batch was written: each item goes again alone and meets its own fate.
      for (const waiting of batch) await this.one(waiting);
      return;
    }
    batch.forEach((waiting, index) => {
      waiting.resolve(results[index] as R);
    });
  }
}
