/**
 * Whether a duration fits its clock. Business-time arithmetic refuses (with a RangeError) to look more
 * than 10 years ahead (`MAX_DURATION_MS`) or across `MAX_CLOSED_DAYS` closed days, so that one question
 * costs bounded work; a policy asks once, when it is defined, so that a target longer than its calendar
 * can count (1000 weeks of a Monday-only calendar is 400 years) is a ConfigError at its path instead of a
 * RangeError at every capture.
 *
 * @module
 */
import type { WorkingClock } from './types.js';

/**
 * Where the definition-time check counts from: a fixed instant (2026-01-01T00:00Z), never "now", so that
 * a config is accepted or refused the same way on every machine and every day.
 *
 * @example
 * ```ts
 * import { REACH_CHECK_START } from './duration-reach.js';
 *
 * new Date(REACH_CHECK_START).toISOString(); // '2026-01-01T00:00:00.000Z'
 * ```
 */
export const REACH_CHECK_START = 1_767_225_600_000;

/**
 * Why `ms` of `clock`'s time cannot be counted (the message of the RangeError the clock throws), or
 * `undefined` when it can. Other errors propagate: they are bugs, not configs.
 *
 * @example
 * ```ts
 * import { calendarClock, defineCalendar } from '@leadline/core';
 * import { unreachableIn } from './duration-reach.js';
 *
 * const mondays = calendarClock(defineCalendar({ name: 'mondays', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } }));
 * unreachableIn(mondays, 8 * 3_600_000); // undefined: next Monday
 * unreachableIn(mondays, 520 * 7 * 86_400_000); // 'is too long for its clock: ...': 210 years of Mondays
 * ```
 */
export function unreachableIn(clock: Pick<WorkingClock, 'add'>, ms: number): string | undefined {
  try {
    clock.add(REACH_CHECK_START, ms);
    return undefined;
  } catch (error) {
    if (error instanceof RangeError) return `is too long for its clock: ${error.message}`;
    throw error;
  }
}
