/**
 * IANA time zones through the platform's `Intl` database: is a name known, and what is a zone's UTC
 * offset at an instant. Offsets are the only thing a calendar needs from the time zone database; every
 * other conversion is arithmetic on them (see wall-clock.ts).
 *
 * Not date-fns-tz's `getTimezoneOffset`: in date-fns-tz 3.2.0 it reads its Date argument as a wall-clock
 * time, so in the hours before a change it answers for the wrong side (New York at 2026-03-08T06:30Z,
 * 01:30 EST, comes back as -4h). Exact DST handling needs the offset at an instant, which Intl gives.
 *
 * @module
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // h23 so that midnight reads 00, not 24; en-US so that the digits are ASCII.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export { isKnownTimeZone } from '../time/time-zone-name.js';

/**
 * The zone's offset from UTC at `instant`, in milliseconds: local wall-clock time = instant + offset.
 * About as costly as date-fns-tz's `toZonedTime` (it formats the instant), so calendars call it once per
 * local day and cache what they derive.
 *
 * @example
 * ```ts
 * import { offsetAt } from './time-zone.js';
 *
 * offsetAt('Asia/Kathmandu', Date.parse('2026-01-01T00:00Z')); // 20_700_000 (+05:45)
 * ```
 */
export function offsetAt(timeZone: string, instant: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of formatterOf(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
    }
  }
  const wall = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  wall.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
  wall.setUTCHours(hour, minute, second, 0);
  // Intl shows whole seconds: compare against the instant truncated to its second.
  return wall.getTime() - (instant - (((instant % 1000) + 1000) % 1000));
}
