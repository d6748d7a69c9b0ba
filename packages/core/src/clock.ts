/**
 * The `Clock` port: the only source of "now" in Leadline, and the only place that waits. Core logic
 * takes time from events (`at`) and from this port, never from `Date.now()` or `setTimeout`, so that
 * a virtual clock can run a year of a lead's life in microseconds.
 *
 * @module
 */

/**
 * A source of the current time, and a way to wait for it to move.
 *
 * @example
 * ```ts
 * import { type Clock, systemClock } from '@leadline/core';
 *
 * const clock: Clock = systemClock();
 * const now = clock.now(); // epoch ms
 * ```
 */
export interface Clock {
  /** The current instant in epoch milliseconds. */
  now(): number;
  /**
   * Resolves once `ms` milliseconds have passed on this clock, or at once when `signal` aborts. Used by
   * the polling worker between scheduler runs.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The wall clock of the machine. The one place in core that touches `Date.now()` and `setTimeout`.
 *
 * @example
 * ```ts
 * import { createEngine, systemClock } from '@leadline/core';
 *
 * const engine = createEngine({ clock: systemClock() });
 * ```
 */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const handle = setTimeout(done, ms);
        function done() {
          clearTimeout(handle);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}
