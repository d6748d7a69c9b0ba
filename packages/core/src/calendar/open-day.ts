/**
 * One local date of a calendar turned into instants: where the date begins and ends and when it is
 * open. Built once per date (the time zone look-ups happen here) and then cached, so that business-time
 * arithmetic is plain number comparisons.
 *
 * @module
 */
import { DAY, MINUTE } from '../time/duration.js';
import type { Shift } from './shift.js';
import { firstInstantAtWallTime, steadyOffsetAround } from './wall-clock.js';

/**
 * A local date with its open intervals as instants (epoch ms). Days tile the timeline: each day's `end`
 * is the next day's `start`, and intervals are sorted, disjoint and within `[start, end]`.
 *
 * @example
 * ```ts
 * import { defineCalendar } from '@leadline/core';
 * import { dayNumberOf } from './local-date.js';
 *
 * const calendar = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-12:00', '13:00-17:30'] } });
 * const day = calendar.openDay(dayNumberOf('2026-03-02'));
 * day.open; // [Date.parse('2026-03-02T08:00Z'), Date.parse('2026-03-02T11:00Z'), ...]: Berlin 09:00-12:00, ...
 * ```
 */
export interface OpenDay {
  /** Days since 1970-01-01 of this local date. */
  readonly number: number;
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** First instant of the local date. */
  readonly start: number;
  /** First instant of the next local date. */
  readonly end: number;
  /**
   * Open intervals, flattened as `[open, close, open, close, ...]`: an instant `t` is open when
   * `open <= t < close` for one pair. Flat numbers keep the hot loop free of object loads.
   */
  readonly open: readonly number[];
  /** Total open time of the day in ms, so that a day spanned whole is one addition. */
  readonly openMs: number;
}

/**
 * Builds a local date's {@link OpenDay} from its shifts (already chosen from weekly hours, holidays and
 * overrides). Wall times resolve as {@link firstInstantAtWallTime} describes; touching intervals join.
 *
 * @example
 * ```ts
 * import { dayNumberOf } from './local-date.js';
 * import { buildOpenDay } from './open-day.js';
 * import { shiftsOf } from './shift.js';
 *
 * buildOpenDay('Europe/Berlin', dayNumberOf('2026-03-02'), '2026-03-02', shiftsOf(['09:00-12:00', '13:00-17:30']));
 * ```
 */
export function buildOpenDay(timeZone: string, dayNumber: number, date: string, shifts: readonly Shift[]): OpenDay {
  const midnight = dayNumber * DAY;
  const steady = steadyOffsetAround(timeZone, dayNumber);
  const instantOf = steady === undefined ? (wallMs: number) => firstInstantAtWallTime(timeZone, wallMs) : (wallMs: number) => wallMs - steady;
  const start = instantOf(midnight);
  const end = instantOf(midnight + DAY);
  const open: number[] = [];
  let openMs = 0;
  for (const shift of shifts) {
    const from = instantOf(midnight + shift.from * MINUTE);
    const to = instantOf(midnight + shift.to * MINUTE);
    if (to <= from) continue; // swallowed whole by a spring-forward gap
    openMs += to - from;
    if (open.length > 0 && open[open.length - 1] === from) open[open.length - 1] = to;
    else open.push(from, to);
  }
  return { number: dayNumber, date, start, end, open, openMs };
}
