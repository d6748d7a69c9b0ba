/**
 * A clock that only moves when told to, so that tests and simulations are instant and deterministic.
 *
 * @module
 */
import type { Clock } from '../clock.js';
import { parseDuration } from '../time/duration.js';
import { type InstantInput, instantSchema } from '../time/instant.js';

/**
 * A virtual clock. `sleep()` resolves when the clock is moved past the wake-up time, so a polling
 * worker on a virtual clock runs exactly when the test advances time.
 *
 * @example
 * ```ts
 * import { VirtualClock } from '@leadline/core/testing';
 *
 * const clock = new VirtualClock('2026-03-02T09:00:00Z');
 * clock.advance('5m');
 * new Date(clock.now()).toISOString(); // '2026-03-02T09:05:00.000Z'
 * ```
 */
export class VirtualClock implements Clock {
  private current: number;
  private sleepers: { wakeAt: number; wake: () => void }[] = [];

  constructor(start: InstantInput = 0) {
    this.current = instantSchema.parse(start);
  }

  now(): number {
    return this.current;
  }

  /** Moves to `instant`; moving backwards is refused, because time in a timeline only goes forward. */
  set(instant: InstantInput): void {
    const next = instantSchema.parse(instant);
    if (next < this.current)
      throw new RangeError(`The virtual clock cannot go back from ${new Date(this.current).toISOString()} to ${new Date(next).toISOString()}`);
    this.current = next;
    const due = this.sleepers.filter((sleeper) => sleeper.wakeAt <= next);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.wakeAt > next);
    for (const sleeper of due) sleeper.wake();
  }

  /** Moves forward by a duration (`'5m'`, `'2h'` or ms). */
  advance(duration: string | number): void {
    this.set(this.current + parseDuration(duration));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = { wakeAt: this.current + ms, wake: resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((other) => other !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }
}
