/**
 * Plain calendar time as a `WorkingClock`: every millisecond counts, day or night.
 *
 * @module
 */
import type { WorkingClock } from './types.js';

/**
 * The clock of SLAs counted in calendar time.
 *
 * @example
 * ```ts
 * import { calendarTime } from '@leadline/core';
 *
 * calendarTime.add(Date.parse('2026-03-07T23:00:00Z'), 2 * 3_600_000); // Sunday 01:00, weekend or not
 * ```
 */
export const calendarTime: WorkingClock = {
  name: 'calendar',
  add: (start, ms) => start + ms,
  between: (from, to) => Math.max(0, to - from),
};
