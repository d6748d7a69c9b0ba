/**
 * Business-time arithmetic: pure functions of (calendar, instant, duration). Instants are epoch
 * milliseconds, durations milliseconds of open time.
 *
 * They work in whole intervals: the calendar hands over one local day at a time, its open intervals
 * already converted to instants and cached, so adding 8 business hours touches one to three days and
 * costs a handful of comparisons, however many minutes it spans.
 *
 * Conventions, chosen so that {@link addBusinessTime} and {@link businessTimeBetween} are exact
 * inverses:
 * - intervals are half-open: open at their opening instant, closed at their closing instant;
 * - counting begins at {@link nextOpenInstant}(start), so adding 0 returns that instant;
 * - an addition that uses up an interval exactly ends at the interval's close, not at the next opening
 *   (the earliest instant at which the duration has elapsed).
 *
 * @module
 */
import { formatInstant } from '../time/instant.js';
import type { BusinessCalendar } from './business-calendar.js';

/**
 * How many consecutive local days without open time a search crosses before it gives up. A calendar
 * that never opens is refused by `defineCalendar`; this bound covers the rest (closed weekly hours with
 * a few dated overrides, or a year of holidays), so that no question loops forever.
 *
 * @example
 * ```ts
 * MAX_CLOSED_DAYS; // 400
 * ```
 */
export const MAX_CLOSED_DAYS = 400;

/** Instants a `Date` can hold, less a few days' margin for the day look-ups around them. */
const LATEST_INSTANT = 8.64e15 - 5 * 86_400_000;

function checkInstant(value: number, what: string): void {
  if (!(Math.abs(value) <= LATEST_INSTANT)) throw new RangeError(`${what} must be an instant in epoch milliseconds, got ${value}`);
}

function closedTooLong(calendar: BusinessCalendar, from: number): never {
  throw new RangeError(`Calendar "${calendar.name}" has no open time in the ${MAX_CLOSED_DAYS} days after ${formatInstant(from)}`);
}

/**
 * The instant at which `durationMs` of open time has elapsed, counting from `start` (or from the next
 * opening when `start` is outside hours). Adding 0 gives {@link nextOpenInstant}.
 *
 * @throws RangeError when `start` or `durationMs` is not a valid instant or non-negative duration, or
 *   when the calendar stays closed for {@link MAX_CLOSED_DAYS} days in a row.
 * @example
 * ```ts
 * // New York, Mon-Fri 09:00-17:00; Friday 2026-03-06 16:00 EST, 8 business hours, over the DST weekend:
 * addBusinessTime(nyc, Date.parse('2026-03-06T21:00Z'), 8 * HOUR); // Date.parse('2026-03-09T20:00Z'), Monday 16:00 EDT
 * ```
 */
export function addBusinessTime(calendar: BusinessCalendar, start: number, durationMs: number): number {
  checkInstant(start, 'start');
  if (!(durationMs >= 0 && durationMs <= LATEST_INSTANT)) throw new RangeError(`durationMs must be a non-negative number of ms, got ${durationMs}`);
  let day = calendar.openDayAt(start);
  let remaining = durationMs;
  let lastOpenDay = day.number;
  for (;;) {
    if (start <= day.start && remaining > day.openMs) {
      // The whole day is needed and more: one subtraction instead of a walk through its intervals.
      remaining -= day.openMs;
      if (day.openMs > 0) lastOpenDay = day.number;
    } else {
      const open = day.open;
      for (let i = 0; i < open.length; i += 2) {
        const close = open[i + 1] as number;
        if (close <= start) continue;
        const from = Math.max(open[i] as number, start);
        if (remaining <= close - from) return from + remaining;
        remaining -= close - from;
        lastOpenDay = day.number;
      }
    }
    if (day.number - lastOpenDay >= MAX_CLOSED_DAYS) closedTooLong(calendar, start);
    day = calendar.openDay(day.number + 1);
  }
}

/**
 * Open time between two instants, in ms: what {@link addBusinessTime} would need to get from `from`
 * to `to`. 0 when `to` is not after `from`.
 *
 * @throws RangeError when an argument is not a valid instant.
 * @example
 * ```ts
 * // Berlin, Monday 09:00-12:00 and 13:00-17:30: 11:00 to 14:00 is two business hours (lunch not counted).
 * businessTimeBetween(emea, Date.parse('2026-03-02T10:00Z'), Date.parse('2026-03-02T13:00Z')); // 7_200_000
 * ```
 */
export function businessTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  checkInstant(from, 'from');
  checkInstant(to, 'to');
  if (to <= from) return 0;
  let total = 0;
  for (let day = calendar.openDayAt(from); day.start < to; day = calendar.openDay(day.number + 1)) {
    if (from <= day.start && day.end <= to) {
      total += day.openMs;
      continue;
    }
    const open = day.open;
    for (let i = 0; i < open.length; i += 2) {
      const begin = Math.max(open[i] as number, from);
      const end = Math.min(open[i + 1] as number, to);
      if (end > begin) total += end - begin;
    }
  }
  return total;
}

/**
 * `at` itself when the calendar is open then, otherwise the opening of the next open interval.
 *
 * @throws RangeError when `at` is not a valid instant, or the calendar stays closed for
 *   {@link MAX_CLOSED_DAYS} days in a row.
 * @example
 * ```ts
 * // New York, Mon-Fri 09:00-17:00: Saturday noon -> Monday 09:00 EDT
 * nextOpenInstant(nyc, Date.parse('2026-03-07T17:00Z')); // Date.parse('2026-03-09T13:00Z')
 * ```
 */
export function nextOpenInstant(calendar: BusinessCalendar, at: number): number {
  return addBusinessTime(calendar, at, 0);
}

/**
 * Whether the calendar is open at `at` (an opening instant is open, a closing instant is not).
 *
 * @throws RangeError when `at` is not a valid instant.
 * @example
 * ```ts
 * isOpen(emea, Date.parse('2026-03-02T11:30Z')); // false: 12:30 in Berlin, lunch
 * ```
 */
export function isOpen(calendar: BusinessCalendar, at: number): boolean {
  checkInstant(at, 'at');
  const open = calendar.openDayAt(at).open;
  for (let i = 0; i < open.length; i += 2) {
    if (at < (open[i] as number)) return false;
    if (at < (open[i + 1] as number)) return true;
  }
  return false;
}
