/**
 * Local calendar dates. A business calendar thinks in local dates ("Friday 2026-12-25 in Berlin"), and
 * numbers them as days since 1970-01-01 so that the next date is `day + 1` and a cache key is an integer.
 *
 * @module
 */
import { DAY } from '../time/duration.js';

/**
 * The weekday keys of a calendar's weekly hours, indexed like `Date#getUTCDay()` (Sunday first).
 *
 * @example
 * ```ts
 * import { dayNumberOf, weekdayOf, WEEKDAYS } from './local-date.js';
 *
 * WEEKDAYS[weekdayOf(dayNumberOf('2026-03-02'))]; // 'mon'
 * ```
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * A weekday key: `mon` ... `sun`.
 *
 * @example
 * ```ts
 * import type { Weekday } from './local-date.js';
 *
 * const day: Weekday = 'fri';
 * ```
 */
export type Weekday = (typeof WEEKDAYS)[number];

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `text` is a real date written `YYYY-MM-DD` (so `2026-02-30` is not).
 *
 * @example
 * ```ts
 * import { isCalendarDate } from './local-date.js';
 *
 * isCalendarDate('2026-12-25'); // true
 * isCalendarDate('2026-02-30'); // false
 * ```
 */
export function isCalendarDate(text: string): boolean {
  if (!DATE_TEXT.test(text)) return false;
  const day = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10))) / DAY;
  // Date.UTC rolls 02-30 over into March: a date is real only when it survives the round trip.
  return Number.isInteger(day) && dateOfDayNumber(day) === text;
}

/**
 * The day number (days since 1970-01-01) of a `YYYY-MM-DD` date.
 *
 * @throws RangeError when the text is not a real date.
 * @example
 * ```ts
 * import { dayNumberOf } from './local-date.js';
 *
 * dayNumberOf('1970-01-02'); // 1
 * ```
 */
export function dayNumberOf(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date written YYYY-MM-DD`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

/**
 * The `YYYY-MM-DD` text of a day number.
 *
 * @example
 * ```ts
 * import { dateOfDayNumber } from './local-date.js';
 *
 * dateOfDayNumber(20514); // '2026-03-02'
 * ```
 */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/**
 * The weekday of a day number as an index into {@link WEEKDAYS} (0 = Sunday).
 *
 * @example
 * ```ts
 * import { weekdayOf } from './local-date.js';
 *
 * weekdayOf(0); // 4: 1970-01-01 was a Thursday
 * ```
 */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
