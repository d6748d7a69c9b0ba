/**
 * Durations as plain milliseconds, with a parser for the short forms people write in playbooks
 * (`5m`, `2h`, `1h30m`, `3d`, `2w`) and a formatter for history entries.
 *
 * @module
 */

/** Milliseconds in a minute, hour, day and week: named so the arithmetic reads in the domain's units. */
export const MINUTE = 60_000;
/** Milliseconds in an hour. */
export const HOUR = 60 * MINUTE;
/** Milliseconds in a day (24 hours of calendar time, not a business day). */
export const DAY = 24 * HOUR;
/** Milliseconds in a week. */
export const WEEK = 7 * DAY;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, h: HOUR, d: DAY, w: WEEK };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * Parses a duration such as `5m`, `1h30m`, `3d` or `2w` into milliseconds. A number is taken as
 * milliseconds already.
 *
 * @throws RangeError when the text is not a duration.
 * @example
 * ```ts
 * parseDuration('1h30m'); // 5_400_000
 * parseDuration(300_000); // 300_000
 * ```
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new RangeError(`Duration must be a non-negative number of ms, got ${input}`);
    return input;
  }
  const text = input.replace(/\s+/g, '');
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(PART)) {
    if (match.index !== consumed) break;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed += match[0].length;
  }
  if (consumed === 0 || consumed !== text.length) {
    throw new RangeError(`"${input}" is not a duration; write it like 5m, 2h, 1h30m, 3d or 2w`);
  }
  return total;
}

/**
 * Formats milliseconds the way a person says them: `5m`, `2h 30m`, `3d 4h`. Seconds appear only
 * below a minute; the two largest units are shown.
 *
 * @example
 * ```ts
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
