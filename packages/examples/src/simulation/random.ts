/**
 * A small seeded random source, so that a simulation prints the same month every time it runs.
 *
 * @module
 */

/**
 * Deterministic pseudo-random numbers (mulberry32) with the few helpers a simulation needs.
 *
 * @example
 * ```ts
 * import { SeededRandom } from './random.js';
 *
 * const random = new SeededRandom(42);
 * random.chance(0.3); // the same answer on every run
 * ```
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A whole number in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One of the items, by weight. */
  pick<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** An exponentially distributed wait with the given mean (in the mean's unit). */
  wait(mean: number): number {
    return Math.round(-Math.log(1 - this.next()) * mean);
  }
}
