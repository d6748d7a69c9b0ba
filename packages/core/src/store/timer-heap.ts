/**
 * A binary min-heap of instants with a payload: the memory store's index of due timers, so finding
 * due work costs O(log n) per timer instead of a scan over every lead.
 *
 * @module
 */

/**
 * Min-heap ordered by `at`, then by insertion (stable for equal instants).
 *
 * @example
 * ```ts
 * import { TimerHeap } from './timer-heap.js';
 *
 * const heap = new TimerHeap<string>();
 * heap.push(5, 'a');
 * heap.peek(); // { at: 5, item: 'a' }
 * heap.pop();
 * ```
 */
export class TimerHeap<T> {
  private readonly ats: number[] = [];
  private readonly orders: number[] = [];
  private readonly items: T[] = [];
  private counter = 0;

  /** Number of entries. */
  get size(): number {
    return this.items.length;
  }

  /** The instant of the earliest entry, or `undefined` when empty. */
  peekAt(): number | undefined {
    return this.ats[0];
  }

  /** The earliest entry without removing it. */
  peek(): { at: number; item: T } | undefined {
    return this.items.length === 0 ? undefined : { at: this.ats[0] as number, item: this.items[0] as T };
  }

  /** Adds an entry. */
  push(at: number, item: T): void {
    this.ats.push(at);
    this.orders.push(this.counter++);
    this.items.push(item);
    let index = this.items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  /** Removes and returns the earliest entry's item. */
  pop(): T | undefined {
    const size = this.items.length;
    if (size === 0) return undefined;
    const top = this.items[0] as T;
    this.swap(0, size - 1);
    this.ats.pop();
    this.orders.pop();
    this.items.pop();
    const length = size - 1;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < length && this.less(left, smallest)) smallest = left;
      if (right < length && this.less(right, smallest)) smallest = right;
      if (smallest === index) break;
      this.swap(index, smallest);
      index = smallest;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.ats[a] as number;
    const y = this.ats[b] as number;
    return x < y || (x === y && (this.orders[a] as number) < (this.orders[b] as number));
  }

  private swap(a: number, b: number): void {
    const { ats, orders, items } = this;
    [ats[a], ats[b]] = [ats[b] as number, ats[a] as number];
    [orders[a], orders[b]] = [orders[b] as number, orders[a] as number];
    [items[a], items[b]] = [items[b] as T, items[a] as T];
  }
}
