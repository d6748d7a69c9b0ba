/**
 * How long to wait before the next attempt (a delivery, a timer's firing): exponential backoff with
 * jitter, so that many failures do not all come back at the same instant. At the ground floor, so that
 * the engine's scheduler and the delivery worker share it.
 *
 * @module
 */

/**
 * Backoff settings: the first wait and the longest.
 *
 * @example
 * ```ts
 * import type { Backoff } from '@leadline/core/adapter-kit';
 *
 * const backoff: Backoff = { baseMs: 1_000, maxMs: 5 * 60_000 };
 * ```
 */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failures: doubling from `baseMs`, at most
 * `maxMs`, with "equal jitter" (between half and all of it); never shorter than the receiver's
 * `Retry-After`.
 *
 * @example
 * ```ts
 * import { retryDelay } from '@leadline/core/adapter-kit';
 *
 * retryDelay(3, { baseMs: 1000, maxMs: 60_000 }, () => 0.5); // 3000: half of 4 s, plus half of that half
 * ```
 */
export function retryDelay(attempt: number, { baseMs, maxMs }: Backoff, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(jittered, retryAfterMs);
}
