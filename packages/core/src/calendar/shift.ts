/**
 * Shifts: one stretch of open hours within a local day, written `09:00-12:00`. A day with a lunch break
 * has two shifts. Times are wall-clock times of the calendar's time zone.
 *
 * @module
 */

/** Minutes in a local day as the wall clock counts them (`24:00` is the end of the day). */
const MINUTES_PER_DAY = 24 * 60;
const SHIFT_TEXT = /^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/;

/**
 * A parsed shift: wall-clock minutes after local midnight, `from` inclusive, `to` exclusive.
 *
 * @example
 * ```ts
 * import type { Shift } from './shift.js';
 *
 * const morning: Shift = { from: 9 * 60, to: 12 * 60 }; // 09:00-12:00
 * ```
 */
export interface Shift {
  /** Opening time, minutes after local midnight (0 to 1439). */
  readonly from: number;
  /** Closing time, minutes after local midnight (1 to 1440, where 1440 is `24:00`). */
  readonly to: number;
}

/**
 * Parses `HH:MM-HH:MM`. `24:00` may close a shift; a shift that crosses midnight is written as two, one
 * on each day, because each local date has its own hours (and may be a holiday).
 *
 * @throws RangeError naming what is wrong with the text.
 * @example
 * ```ts
 * import { parseShift } from './shift.js';
 *
 * parseShift('13:00-17:30'); // { from: 780, to: 1050 }
 * ```
 */
export function parseShift(text: string): Shift {
  const match = SHIFT_TEXT.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a shift; write it like 09:00-17:30`);
  const from = minutesOf(Number(match[1]), Number(match[2]));
  const to = minutesOf(Number(match[3]), Number(match[4]));
  if (from === undefined || to === undefined) throw new RangeError(`"${text}" has a time that does not exist; times run from 00:00 to 24:00`);
  if (from === MINUTES_PER_DAY) throw new RangeError(`"${text}" starts at 24:00; start it at 00:00 of the next day instead`);
  if (to === from) throw new RangeError(`"${text}" is empty: it starts and ends at the same time`);
  if (to < from) {
    throw new RangeError(`"${text}" ends before it starts; a shift that crosses midnight is two shifts, one ending 24:00 and one starting 00:00 the next day`);
  }
  return { from, to };
}

function minutesOf(hours: number, minutes: number): number | undefined {
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return undefined;
  return hours * 60 + minutes;
}

/**
 * Finds shifts of one day that overlap another, in any order of writing. Each overlap is reported once,
 * at the index of the shift that starts later, naming the earlier one. Unparseable texts are skipped
 * (they are reported on their own).
 *
 * @example
 * ```ts
 * import { overlappingShifts } from './shift.js';
 *
 * overlappingShifts(['13:00-17:00', '09:00-13:30']); // [{ index: 0, other: '09:00-13:30' }]
 * ```
 */
export function overlappingShifts(texts: readonly string[]): { index: number; other: string }[] {
  const parsed: { index: number; shift: Shift }[] = [];
  for (const [index, text] of texts.entries()) {
    try {
      parsed.push({ index, shift: parseShift(text) });
    } catch {
      // reported by the shift's own check
    }
  }
  parsed.sort((a, b) => a.shift.from - b.shift.from || a.index - b.index);
  const overlaps: { index: number; other: string }[] = [];
  let latest: { index: number; shift: Shift } | undefined;
  for (const entry of parsed) {
    // Touching shifts (09:00-12:00, 12:00-13:00) are fine: they simply join up.
    if (latest && entry.shift.from < latest.shift.to) overlaps.push({ index: entry.index, other: texts[latest.index] as string });
    if (!latest || entry.shift.to > latest.shift.to) latest = entry;
  }
  return overlaps;
}

/**
 * Parses one day's shifts (already validated) into ascending order, joining shifts that touch.
 *
 * @example
 * ```ts
 * import { shiftsOf } from './shift.js';
 *
 * shiftsOf(['13:00-17:30', '09:00-12:00']); // [{ from: 540, to: 720 }, { from: 780, to: 1050 }]
 * ```
 */
export function shiftsOf(texts: readonly string[]): Shift[] {
  const sorted = texts.map(parseShift).sort((a, b) => a.from - b.from);
  const joined: Shift[] = [];
  for (const shift of sorted) {
    const last = joined[joined.length - 1];
    if (last && shift.from <= last.to) joined[joined.length - 1] = { from: last.from, to: Math.max(last.to, shift.to) };
    else joined.push(shift);
  }
  return joined;
}
