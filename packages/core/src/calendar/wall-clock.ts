/**
 * From a local wall-clock time to an instant, the one conversion a calendar needs. Twice a year the
 * mapping is not one to one: in spring an hour of wall-clock times never happens, in autumn an hour
 * happens twice. Leadline resolves both with one rule: a wall-clock time means the FIRST instant at
 * which the zone's clock shows that time or later.
 *
 * - Spring gap: a shift starting 02:30 on the day New York jumps from 02:00 to 03:00 opens at 03:00
 *   EDT, the first instant the clock reads 02:30 or later.
 * - Autumn repeat: a shift 01:00-03:00 on the day New York falls back from 02:00 to 01:00 opens at the
 *   first 01:00 (EDT) and closes at 03:00 EST: three real hours, which is how long people worked.
 *
 * The rule is monotonic (a later wall-clock time never maps to an earlier instant), so a shift never
 * turns inside out; at worst it shrinks to nothing (02:00-02:30 on a spring-forward night).
 *
 * Wall-clock times are written as "wall milliseconds": the local date and time read as if it were UTC,
 * e.g. `Date.UTC(2026, 2, 8, 2, 30)` for 2026-03-08 02:30 local.
 *
 * @module
 */
import { DAY } from '../time/duration.js';
import { offsetAt } from './time-zone.js';

/**
 * The first instant at which the clock of `timeZone` shows `wallMs` or later.
 *
 * @example
 * ```ts
 * import { firstInstantAtWallTime } from './wall-clock.js';
 *
 * // 02:30 does not exist in New York on 2026-03-08: the clock jumps from 02:00 EST to 03:00 EDT.
 * firstInstantAtWallTime('America/New_York', Date.UTC(2026, 2, 8, 2, 30)); // Date.parse('2026-03-08T07:00Z')
 * ```
 */
export function firstInstantAtWallTime(timeZone: string, wallMs: number): number {
  // Offsets a day either side bracket any transition near this wall time (zones differ from UTC by
  // less than a day, and no zone changes its offset twice within two days).
  const before = offsetAt(timeZone, wallMs - DAY);
  const after = offsetAt(timeZone, wallMs + DAY);
  const underBefore = wallMs - before;
  const underAfter = wallMs - after;
  const beforeHolds = offsetAt(timeZone, underBefore) === before;
  const afterHolds = underAfter === underBefore ? beforeHolds : offsetAt(timeZone, underAfter) === after;
  if (beforeHolds && afterHolds) return Math.min(underBefore, underAfter); // the repeated hour: first pass
  if (beforeHolds) return underBefore;
  if (afterHolds) return underAfter;
  return transitionBetween(timeZone, Math.min(underBefore, underAfter), Math.max(underBefore, underAfter));
}

/**
 * In a spring gap the wanted wall time never shows; the first instant showing a later time is the
 * transition itself, somewhere in (low, high]. Bisection to the millisecond: at most ~27 offset look-ups,
 * paid once per transition day per calendar.
 */
function transitionBetween(timeZone: string, low: number, high: number): number {
  const offsetBefore = offsetAt(timeZone, low);
  let lo = low;
  let hi = high;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid) === offsetBefore) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Whether the zone keeps one offset through the local day `dayNumber` and a day either side, and which.
 * When it does, every wall time of that day is simply `wallMs - offset`, the common case that lets a
 * day be built with three offset look-ups instead of three per boundary.
 *
 * @example
 * ```ts
 * import { steadyOffsetAround } from './wall-clock.js';
 *
 * steadyOffsetAround('Asia/Kolkata', 20514); // 19_800_000
 * steadyOffsetAround('America/New_York', 20520); // undefined: 2026-03-08 springs forward
 * ```
 */
export function steadyOffsetAround(timeZone: string, dayNumber: number): number | undefined {
  const first = offsetAt(timeZone, (dayNumber - 1) * DAY);
  if (offsetAt(timeZone, dayNumber * DAY + DAY / 2) !== first) return undefined;
  if (offsetAt(timeZone, (dayNumber + 2) * DAY) !== first) return undefined;
  return first;
}
