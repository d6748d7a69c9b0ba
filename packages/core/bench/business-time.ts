/**
 * Business-time arithmetic against the naive way to do it, in the same run: "add 8 business hours" on
 * a Europe/Berlin calendar with a lunch break, a short Friday, Bavarian public holidays and two company
 * holidays, from varied start instants over 2026.
 *
 * The naive reference steps minute by minute and asks date-fns-tz's `toZonedTime` for each minute's
 * wall-clock time, the obvious implementation that the design notes warn about. Both must agree on
 * every start the reference runs, or the figures are refused.
 */
import { toZonedTime } from 'date-fns-tz';
import { defineCalendar } from '../src/calendar/business-calendar.js';
import { addBusinessTime } from '../src/calendar/business-time.js';
import { publicHolidayLookup } from '../src/calendar/holidays.js';

/** One figure as `pnpm bench` prints it. */
export interface BusinessTimeFigure {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
}

const MINUTE = 60_000;
const EIGHT_HOURS = 8 * 60 * MINUTE;
const TIME_ZONE = 'Europe/Berlin';
const SPLIT = ['09:00-12:00', '13:00-17:30'];
const COMPANY_HOLIDAYS = ['2026-12-24', '2026-12-31'];
const REGION = { country: 'DE', state: 'BY' };

const calendar = defineCalendar({
  name: 'emea',
  timeZone: TIME_ZONE,
  weekly: { mon: SPLIT, tue: SPLIT, wed: SPLIT, thu: SPLIT, fri: ['09:00-15:00'] },
  holidays: COMPANY_HOLIDAYS,
  publicHolidays: REGION,
});

/** The same hours as [from, to) minutes of the day per weekday, Sunday first, for the naive reference. */
const SPLIT_MINUTES: [number, number][] = [
  [9 * 60, 12 * 60],
  [13 * 60, 17 * 60 + 30],
];
const NAIVE_HOURS: [number, number][][] = [[], SPLIT_MINUTES, SPLIT_MINUTES, SPLIT_MINUTES, SPLIT_MINUTES, [[9 * 60, 15 * 60]], []];
const isPublicHoliday = publicHolidayLookup(REGION);
const companyHolidays = new Set(COMPANY_HOLIDAYS);

/** Minute by minute: is the minute starting at `t` open? One `toZonedTime` call per minute. */
function naiveAddBusinessTime(start: number, durationMs: number): number {
  let t = Math.ceil(start / MINUTE) * MINUTE;
  let remaining = Math.ceil(durationMs / MINUTE);
  while (remaining > 0) {
    const local = toZonedTime(t, TIME_ZONE);
    const minuteOfDay = local.getHours() * 60 + local.getMinutes();
    const shifts = NAIVE_HOURS[local.getDay()] ?? [];
    if (shifts.some(([from, to]) => from <= minuteOfDay && minuteOfDay < to)) {
      const date = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
      if (!companyHolidays.has(date) && !isPublicHoliday(date)) remaining -= 1;
    }
    t += MINUTE;
  }
  return t;
}

/** Deterministic start instants over 2026, on whole minutes so that both implementations see the same question. */
function startInstants(count: number): number[] {
  let seed = 0x2026;
  const next = () => {
    // xorshift32: any fixed pseudo-random sequence will do, as long as every run measures the same one.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const from = Date.UTC(2026, 0, 1);
  const span = Date.UTC(2027, 0, 1) - from;
  return Array.from({ length: count }, () => from + Math.floor((next() * span) / MINUTE) * MINUTE);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Measures `addBusinessTime` and the naive reference in alternation (fast round, naive round, ...),
 * so that drift in the machine's speed hits both alike, and returns the median rates and the median
 * of the per-round ratios. Takes about 5 to 10 seconds.
 *
 * @example
 * ```ts
 * for (const figure of await businessTimeFigures()) print(figure.name, figure.value, figure.unit, figure.baseline, figure.ratio);
 * ```
 */
export async function businessTimeFigures(options: { rounds?: number; fastOps?: number; naiveOps?: number } = {}): Promise<BusinessTimeFigure[]> {
  const { rounds = 5, fastOps = 1_000_000, naiveOps = 40 } = options;
  const starts = startInstants(4096);
  for (const [index, start] of starts.slice(0, 64).entries()) {
    const fast = addBusinessTime(calendar, start, EIGHT_HOURS);
    const naive = naiveAddBusinessTime(start, EIGHT_HOURS);
    if (fast !== naive) throw new Error(`business-time bench: start #${index} (${new Date(start).toISOString()}): fast ${fast} != naive ${naive}`);
  }
  let sink = 0;
  const fastRates: number[] = [];
  const naiveRates: number[] = [];
  const ratios: number[] = [];
  for (let round = -1; round < rounds; round++) {
    let started = performance.now();
    for (let i = 0; i < fastOps; i++) sink += addBusinessTime(calendar, starts[i & 4095] as number, EIGHT_HOURS);
    const fastRate = fastOps / ((performance.now() - started) / 1000);
    started = performance.now();
    for (let i = 0; i < naiveOps; i++) sink += naiveAddBusinessTime(starts[(round * naiveOps + i) & 4095] as number, EIGHT_HOURS);
    const naiveRate = naiveOps / ((performance.now() - started) / 1000);
    if (round < 0) continue; // the warm-up round lets the JIT settle and fills the calendar's day cache
    fastRates.push(fastRate);
    naiveRates.push(naiveRate);
    ratios.push(fastRate / naiveRate);
    await Promise.resolve(); // let the event loop breathe between rounds
  }
  if (sink === 0) throw new Error('business-time bench: nothing was computed');
  const label = 'Europe/Berlin, split shift, holidays, +8 business hours';
  const naiveRate = median(naiveRates);
  return [
    { name: `naive addBusinessTime ops/s (minute steps with toZonedTime; ${label})`, value: naiveRate, unit: 'ops/s', baseline: null, ratio: null },
    { name: `addBusinessTime ops/s (cached whole intervals; ${label})`, value: median(fastRates), unit: 'ops/s', baseline: naiveRate, ratio: median(ratios) },
  ];
}
