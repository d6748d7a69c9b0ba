/**
 * Durations as plain milliseconds, with a parser for the short forms people write in playbooks
 * (`5m`, `2h`, `1h30m`, `3d`, `2w`) and a formatter for history entries.
 *
 * @module
 */
import { MAX_DURATION_MS, MAX_DURATION_WORDS } from '../limits.js';

/** Milliseconds in a minute, hour, day and week: named so the arithmetic reads in the domain's units. */
export const MINUTE = 60_000;
/** Milliseconds in an hour. */
export const HOUR = 60 * MINUTE;
/** Milliseconds in a day (24 hours of calendar time, not a business day). */
export const DAY = 24 * HOUR;
/** Milliseconds in a week. */
export const WEEK = 7 * DAY;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, h: HOUR, d: DAY, w: WEEK };
const PART = /(\d+)(?:\.(\d+))?(ms|s|m|h|d|w)/g;
/** Longer texts are not durations anyone writes, and their digits would only cost time to read. */
const MAX_DURATION_TEXT = 100;

/**
 * Parses a duration such as `5m`, `1h30m`, `3d` or `2w` into milliseconds. A number is taken as
 * milliseconds already. Decimals are read exactly (`1.15h` is 4,140,000 ms), and the result must be
 * whole milliseconds and at most {@link MAX_DURATION_MS} (3650 days): `0.5ms` and `99999w` are refused.
 *
 * @throws RangeError when the text is not a duration, is not whole milliseconds, or is too long.
 * @example
 * ```ts
 * import { parseDuration } from '@leadline/core';
 *
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration(300_000); // 300_000
 * ```
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new RangeError(`Duration must be a non-negative number of ms, got ${input}`);
    if (input > MAX_DURATION_MS) throw new RangeError(`Duration must be at most ${MAX_DURATION_WORDS}, got ${input} ms`);
    if (!Number.isInteger(input)) throw new RangeError(`Duration must be whole milliseconds, got ${input} ms`);
    return input;
  }
  const text = input.replace(/\s+/g, '');
  // Exact decimal arithmetic: `total / scale` ms, so that 1.1h is 3,960,000 and not 3,960,000.0000000005.
  let total = BigInt(0);
  let scale = BigInt(1);
  let consumed = 0;
  if (text.length <= MAX_DURATION_TEXT) {
    for (const match of text.matchAll(PART)) {
      if (match.index !== consumed) break;
      const fraction = match[2] ?? '';
      const partScale = BigInt(10) ** BigInt(fraction.length);
      const part = BigInt(`${match[1]}${fraction}`) * BigInt(UNIT_MS[match[3] as string] as number);
      if (partScale > scale) {
        total *= partScale / scale;
        scale = partScale;
      }
      total += part * (scale / partScale);
      consumed += match[0].length;
    }
  }
  if (consumed === 0 || consumed !== text.length) {
    throw new RangeError(`"${input}" is not a duration; write it like 5m, 2h, 1h30m, 3d or 2w`);
  }
  if (total > BigInt(MAX_DURATION_MS) * scale) throw new RangeError(`"${input}" is too long: a duration must be at most ${MAX_DURATION_WORDS}`);
  if (total % scale !== BigInt(0)) throw new RangeError(`"${input}" is not whole milliseconds; a duration must be whole milliseconds`);
  return Number(total / scale);
}

/**
 * Formats milliseconds the way a person says them: `5m`, `2h 30m`, `3d 4h`. Seconds appear only
 * below a minute; the two largest units are shown.
 *
 * @example
 * ```ts
 * import { formatDuration } from '@leadline/core';
 *
 * formatDuration(5_400_000); // '1h 30m'
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < MINUTE) return `${Math.round(ms / 1000)}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / MINUTE) * MINUTE;
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.slice(0, 2).join(' ');
}
