/**
 * Business time computed independently of the library's calendar code, for the SLA oracle: the wall
 * clock of an instant comes from `Intl` (one offset per UTC quarter hour, the granularity of every DST
 * change), and open time is walked in steps that never cross a quarter hour or a shift boundary. Slow
 * and obvious on purpose; offsets are cached per zone and quarter hour so it stays fast enough.
 */
import type { CalendarSpec } from './calendars.js';

const QUARTER = 15 * 60_000;
const DAY = 24 * 3_600_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface OracleClock {
  /** The earliest instant at which `ms` of open time has passed since `start` (0: the next open instant). */
  add(start: number, ms: number): number;
  /** Open time in [from, to). */
  between(from: number, to: number): number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

/** The zone's offset from UTC (ms) during the UTC quarter hour that holds `instant`. */
function offsetAt(timeZone: string, instant: number): number {
  const quarter = Math.floor(instant / QUARTER);
  let cache = offsets.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsets.set(timeZone, cache);
  }
  const cached = cache.get(quarter);
  if (cached !== undefined) return cached;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const at = quarter * QUARTER;
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offset = wall - at;
  cache.set(quarter, offset);
  return offset;
}

function minutesOf(text: string): number {
  const [hours, minutes] = text.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The calendar's open/closed state at `instant`, and the next instant where it may change. */
function segment(spec: CalendarSpec, instant: number): { open: boolean; until: number } {
  const offset = offsetAt(spec.timeZone, instant);
  const local = instant + offset;
  const localDate = new Date(local);
  const date = localDate.toISOString().slice(0, 10);
  const weekday = WEEKDAYS[localDate.getUTCDay()] as (typeof WEEKDAYS)[number];
  const sinceMidnight = ((local % DAY) + DAY) % DAY;
  const shifts = spec.holidays.includes(date) ? [] : (spec.weekly[weekday] ?? []);
  let open = false;
  let boundary = DAY;
  for (const shift of shifts) {
    const [from, to] = shift.split('-') as [string, string];
    const start = minutesOf(from) * 60_000;
    const end = minutesOf(to) * 60_000;
    if (start <= sinceMidnight && sinceMidnight < end) open = true;
    for (const edge of [start, end]) if (edge > sinceMidnight && edge < boundary) boundary = edge;
  }
  const nextQuarter = (Math.floor(instant / QUARTER) + 1) * QUARTER;
  return { open, until: Math.min(instant + (boundary - sinceMidnight), nextQuarter) };
}

/** The independent clock of a calendar, or plain calendar time. */
export function oracleClock(spec: CalendarSpec | undefined): OracleClock {
  if (!spec) return { add: (start, ms) => start + ms, between: (from, to) => Math.max(0, to - from) };
  return {
    add(start, ms) {
      let at = start;
      let remaining = ms;
      for (let steps = 0; steps < 10_000_000; steps++) {
        const { open, until } = segment(spec, at);
        if (open) {
          if (remaining === 0) return at;
          if (remaining <= until - at) return at + remaining;
          remaining -= until - at;
        }
        at = until;
      }
      throw new RangeError(`oracle: no open time after ${new Date(start).toISOString()}`);
    },
    between(from, to) {
      let total = 0;
      for (let at = from; at < to; ) {
        const { open, until } = segment(spec, at);
        const end = Math.min(until, to);
        if (open) total += end - at;
        at = end;
      }
      return total;
    },
  };
}
