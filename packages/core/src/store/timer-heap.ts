/**
 * A binary min-heap of (instant, key) pairs: the memory store's index of due timers, so finding due
 * work costs O(log n) per timer instead of a scan over every lead.
 *
 * @module
 */

/** One heap entry; `generation` lets the store skip entries made stale by a reschedule or cancel. */
export interface HeapEntry {
  at: number;
  key: string;
  generation: number;
}

/**
 * Min-heap ordered by `at`, then by insertion (stable for equal instants).
 *
 * @example
 * ```ts
 * const heap = new TimerHeap();
 * heap.push({ at: 5, key: 'a', generation: 1 });
 * heap.pop(); // { at: 5, key: 'a', generation: 1 }
 * ```
 */
export class TimerHeap {
  private readonly entries: (HeapEntry & { order: number })[] = [];
  private counter = 0;

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.entries.length;
  }

  /** The earliest entry without removing it. */
  peek(): HeapEntry | undefined {
    return this.entries[0];
  }

  /** Adds an entry. */
  push(entry: HeapEntry): void {
    const entries = this.entries;
    entries.push({ ...entry, order: this.counter++ });
    let index = entries.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): HeapEntry | undefined {
    const entries = this.entries;
    const top = entries[0];
    const last = entries.pop();
    if (top === undefined || last === undefined) return undefined;
    if (entries.length > 0) {
      entries[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < entries.length && this.less(left, smallest)) smallest = left;
        if (right < entries.length && this.less(right, smallest)) smallest = right;
        if (smallest === index) break;
        this.swap(index, smallest);
        index = smallest;
      }
    }
    return { at: top.at, key: top.key, generation: top.generation };
  }

  private less(a: number, b: number): boolean {
    const x = this.entries[a] as HeapEntry & { order: number };
    const y = this.entries[b] as HeapEntry & { order: number };
    return x.at < y.at || (x.at === y.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const entries = this.entries;
    const x = entries[a] as HeapEntry & { order: number };
    entries[a] = entries[b] as HeapEntry & { order: number };
    entries[b] = x;
  }
}
