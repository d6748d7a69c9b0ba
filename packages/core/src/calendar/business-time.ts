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
import { MAX_DURATION_MS, MAX_DURATION_WORDS } from '../limits.js';
import { DAY, formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import type { BusinessCalendar } from './business-calendar.js';

/**
 * How many consecutive local days without open time a search crosses before it gives up. A calendar
 * that never opens is refused by `defineCalendar`; this bound covers the rest (closed weekly hours with
 * a few dated overrides, or a year of holidays), so that no question loops forever.
 *
 * @example
 * ```ts
 * import { MAX_CLOSED_DAYS } from '@leadline/core';
 *
 * MAX_CLOSED_DAYS; // 400
 * ```
 */
export const MAX_CLOSED_DAYS = 400;

/** Instants a `Date` can hold, less a few days' margin for the day look-ups around them. */
const LAST_SAFE_INSTANT = 8.64e15 - 5 * 86_400_000;

function checkInstant(value: number, what: string): void {
  if (!(Math.abs(value) <= LAST_SAFE_INSTANT)) throw new RangeError(`${what} must be an instant in epoch milliseconds, got ${value}`);
}

function closedTooLong(calendar: BusinessCalendar, from: number): never {
  throw new RangeError(`Calendar "${calendar.name}" has no open time in the ${MAX_CLOSED_DAYS} days after ${formatInstant(from)}`);
}

function tooFarAhead(calendar: BusinessCalendar, from: number, durationMs: number): never {
  throw new RangeError(
    `${formatDuration(durationMs)} of the open hours of calendar "${calendar.name}" from ${formatInstant(from)} end more than ${MAX_DURATION_WORDS} later`,
  );
}

/**
 * The instant at which `durationMs` of open time has elapsed, counting from `start` (or from the next
 * opening when `start` is outside hours). Adding 0 gives {@link nextOpenInstant}.
 *
 * The work is bounded: weeks the calendar can count at once (`openWeek`) are skipped whole, and no
 * answer lies more than `MAX_DURATION_MS` (3650 days) after `start`, so a sparse calendar costs a few
 * hundred week look-ups at most, never a walk through centuries of days.
 *
 * @throws RangeError when `start` or `durationMs` is not a valid instant or non-negative duration, when
 *   the calendar stays closed for {@link MAX_CLOSED_DAYS} days in a row, or when the answer lies more
 *   than 3650 days (10 years) after `start`.
 * @example
 * ```ts
 * import { addBusinessTime, defineCalendar, HOUR } from '@leadline/core';
 *
 * const nyc = defineCalendar({ name: 'nyc', timeZone: 'America/New_York', weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] } });
 * // New York, Mon-Fri 09:00-17:00; Friday 2026-03-06 16:00 EST, 8 business hours, over the DST weekend:
 * addBusinessTime(nyc, Date.parse('2026-03-06T21:00Z'), 8 * HOUR); // Date.parse('2026-03-09T20:00Z'), Monday 16:00 EDT
 * ```
 */
export function addBusinessTime(calendar: BusinessCalendar, start: number, durationMs: number): number {
  checkInstant(start, 'start');
  if (!(durationMs >= 0 && durationMs <= LAST_SAFE_INSTANT)) throw new RangeError(`durationMs must be a non-negative number of ms, got ${durationMs}`);
  const latest = start + MAX_DURATION_MS;
  let day = calendar.openDayAt(start);
  const firstDay = day.number;
  let remaining = durationMs;
  let lastOpenDay = day.number;
  for (;;) {
    if (day.start > latest) tooFarAhead(calendar, start, durationMs);
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
        if (remaining <= close - from) {
          const end = from + remaining;
          if (end > latest) tooFarAhead(calendar, start, durationMs);
          return end;
        }
        remaining -= close - from;
        lastOpenDay = day.number;
      }
    }
    if (day.number - lastOpenDay >= MAX_CLOSED_DAYS) closedTooLong(calendar, start);
    let next = day.number + 1;
    // Past the first week, whole weeks before the answer are counted at once, each doing what the walk
    // would do to its days (every one is needed whole, since the week holds less than what remains).
    // Weeks are aligned to day numbers, so that the calendar's cache of them serves every start.
    if (next % 7 === 0 && next - firstDay > 7) {
      for (let week = calendar.openWeek?.(next); week && (week.openMs < remaining || week.openMs === 0); week = calendar.openWeek?.(next)) {
        if ((week.firstOpenDay ?? next + 7) - 1 - lastOpenDay >= MAX_CLOSED_DAYS) closedTooLong(calendar, start);
        remaining -= week.openMs;
        if (week.lastOpenDay !== undefined) lastOpenDay = week.lastOpenDay;
        next += 7;
        // The week's last day began after `next - 2` days since the epoch, whatever the zone's offset.
        if ((next - 2) * DAY > latest) tooFarAhead(calendar, start, durationMs);
      }
    }
    day = calendar.openDay(next);
  }
}

/**
 * Open time between two instants, in ms: what {@link addBusinessTime} would need to get from `from`
 * to `to`. 0 when `to` is not after `from`. Whole weeks are counted at once, as in `addBusinessTime`.
 *
 * @throws RangeError when an argument is not a valid instant.
 * @example
 * ```ts
 * import { businessTimeBetween, defineCalendar } from '@leadline/core';
 *
 * const emea = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-12:00', '13:00-17:30'] } });
 * // Berlin, Monday 09:00-12:00 and 13:00-17:30: 11:00 to 14:00 is two business hours (lunch not counted).
 * businessTimeBetween(emea, Date.parse('2026-03-02T10:00Z'), Date.parse('2026-03-02T13:00Z')); // 7_200_000
 * ```
 */
export function businessTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  checkInstant(from, 'from');
  checkInstant(to, 'to');
  if (to <= from) return 0;
  let total = 0;
  for (let day = calendar.openDayAt(from); day.start < to; ) {
    if (from <= day.start && day.end <= to) {
      total += day.openMs;
    } else {
      const open = day.open;
      for (let i = 0; i < open.length; i += 2) {
        const begin = Math.max(open[i] as number, from);
        const end = Math.min(open[i + 1] as number, to);
        if (end > begin) total += end - begin;
      }
    }
    let next = day.number + 1;
    // Whole weeks that surely end by `to` (their last day ends before `next + 8` days since the epoch,
    // whatever the zone's offset), aligned as in addBusinessTime.
    if (next % 7 === 0) {
      for (
        let week = (next + 8) * DAY <= to ? calendar.openWeek?.(next) : undefined;
        week;
        week = (next + 8) * DAY <= to ? calendar.openWeek?.(next) : undefined
      ) {
        total += week.openMs;
        next += 7;
      }
    }
    day = calendar.openDay(next);
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
 * import { defineCalendar, nextOpenInstant } from '@leadline/core';
 *
 * const nyc = defineCalendar({ name: 'nyc', timeZone: 'America/New_York', weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] } });
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
 * import { defineCalendar, isOpen } from '@leadline/core';
 *
 * const emea = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-12:00', '13:00-17:30'] } });
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
