import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BusinessCalendar, defineCalendar } from '../src/calendar/business-calendar.js';
import { addBusinessTime, businessTimeBetween, isOpen, nextOpenInstant } from '../src/calendar/business-time.js';
import type { BusinessCalendarConfig } from '../src/calendar/calendar-config.js';
import { WEEKDAYS } from '../src/calendar/local-date.js';
import { DAY, MINUTE } from '../src/time/duration.js';
import { weeklyOpenMs } from './calendar-configs.js';

/** Zones with 60- and 30-minute DST, DST at midnight (Santiago), a +12:45/+13:45 zone, and fixed offsets. */
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'UTC',
] as const;

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** 0 to 3 shifts within a day, from distinct sorted minute boundaries (so they never overlap). */
const dayShifts = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }).map((bounds) => {
  const sorted = [...bounds].sort((a, b) => a - b);
  const shifts: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) shifts.push(`${hhmm(sorted[i] as number)}-${hhmm(sorted[i + 1] as number)}`);
  return shifts;
});

/** Business-like days more often than not, so that durations span realistic weeks; random ones the rest. */
const weekdayShifts = fc.oneof(
  { weight: 3, arbitrary: dayShifts },
  { weight: 1, arbitrary: fc.constantFrom(['09:00-12:00', '13:00-17:30'], ['00:00-24:00'], ['01:00-03:00'], ['02:30-05:00'], []) },
);

const dateIn2026or2027 = fc.integer({ min: 0, max: 729 }).map((offset) => new Date(Date.UTC(2026, 0, 1) + offset * DAY).toISOString().slice(0, 10));

const calendarConfig: fc.Arbitrary<BusinessCalendarConfig> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.record(Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, weekdayShifts])) as Record<(typeof WEEKDAYS)[number], fc.Arbitrary<string[]>>),
    holidays: fc.uniqueArray(dateIn2026or2027, { maxLength: 8 }),
    overrides: fc.dictionary(dateIn2026or2027, dayShifts, { maxKeys: 4 }),
    // Sometimes a country's public holidays too (rarely: date-holidays takes milliseconds per year).
    publicHolidays: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom({ country: 'DE', state: 'BY' }, { country: 'US' }, { country: 'GB', state: 'ENG' }, { country: 'AU', state: 'NSW' }),
      },
    ),
  })
  .map((config) => ({ ...config, overrides: Object.fromEntries(Object.entries(config.overrides).filter(([date]) => !config.holidays.includes(date))) }))
  .filter((config) => Object.values(config.weekly).some((shifts) => shifts.length > 0));

const FROM = Date.UTC(2026, 0, 1);
const UNTIL = Date.UTC(2028, 0, 1);

describe('business-time properties over random calendars', () => {
  it('addBusinessTime and businessTimeBetween are inverses; the result is the earliest instant; add is monotonic in the duration', () => {
    const scenario = calendarConfig.chain((config) => {
      const most = 3 * weeklyOpenMs(config);
      return fc.record({
        config: fc.constant(config),
        start: fc.integer({ min: FROM, max: UNTIL }),
        duration: fc.integer({ min: 0, max: most }),
        other: fc.integer({ min: 0, max: most }),
      });
    });
    fc.assert(
      fc.property(scenario, ({ config, start, duration, other }) => {
        const calendar = defineCalendar(config);
        const end = addBusinessTime(calendar, start, duration);
        expect(end).toBeGreaterThanOrEqual(start);
        expect(businessTimeBetween(calendar, start, end)).toBe(duration);
        if (duration === 0) {
          expect(end).toBe(nextOpenInstant(calendar, start));
          expect(isOpen(calendar, end)).toBe(true);
        } else {
          // The result is open, or the close of the interval that used up the duration.
          const atIntervalEnd = !isOpen(calendar, end) && isOpen(calendar, end - 1);
          expect(isOpen(calendar, end) || atIntervalEnd).toBe(true);
          // And it is the earliest such instant: the millisecond before it was open and still needed.
          expect(isOpen(calendar, end - 1)).toBe(true);
          expect(businessTimeBetween(calendar, start, end - 1)).toBe(duration - 1);
        }
        const otherEnd = addBusinessTime(calendar, start, other);
        if (other >= duration) expect(otherEnd).toBeGreaterThanOrEqual(end);
        else expect(otherEnd).toBeLessThanOrEqual(end);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('businessTimeBetween is additive: from a to b plus from b to c is from a to c', () => {
    // Spans up to 60 days: long enough to cross weekends and clock changes, short enough for 300 runs.
    const span = fc.integer({ min: 0, max: 60 * DAY });
    fc.assert(
      fc.property(calendarConfig, fc.integer({ min: FROM, max: UNTIL }), span, span, (config, a, ab, bc) => {
        const calendar = defineCalendar(config);
        const b = a + ab;
        const c = b + bc;
        expect(businessTimeBetween(calendar, a, b) + businessTimeBetween(calendar, b, c)).toBe(businessTimeBetween(calendar, a, c));
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

/**
 * An independent, slow model of the wall-clock rule, built on Intl alone: a shift boundary "HH:MM on
 * date D" is the first minute at which the zone's clock reads D HH:MM or later. Every transition and
 * every boundary in these zones falls on a whole minute, so scanning minutes is exact.
 */
class MinuteModel {
  readonly minutes: number[] = [];
  readonly readings: string[] = [];

  constructor(timeZone: string, date: string) {
    const clock = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const midnightUtc = Date.parse(`${date}T00:00Z`);
    for (let t = midnightUtc - 16 * 60 * MINUTE; t <= midnightUtc + 40 * 60 * MINUTE; t += MINUTE) {
      this.minutes.push(t);
      this.readings.push(clock.format(t));
    }
  }

  /** First minute at which the clock reads `reading` (`YYYY-MM-DD HH:MM`) or later. */
  firstAtOrAfter(reading: string): number {
    const index = this.readings.findIndex((shown) => shown >= reading);
    if (index < 0) throw new Error(`the clock never reads ${reading} in the window`);
    return this.minutes[index] as number;
  }

  intervals(date: string, shifts: string[]): [number, number][] {
    const nextDate = new Date(Date.parse(`${date}T00:00Z`) + DAY).toISOString().slice(0, 10);
    const reading = (time: string) => (time === '24:00' ? `${nextDate} 00:00` : `${date} ${time}`);
    return shifts.map((shift) => {
      const [from = '', to = ''] = shift.split('-');
      return [this.firstAtOrAfter(reading(from)), this.firstAtOrAfter(reading(to))];
    });
  }
}

/** Dates whose local day contains a clock change, per zone, plus an ordinary date for the fixed-offset zones. */
const CHANGE_DATES: [string, string][] = [
  ['America/New_York', '2026-03-08'],
  ['America/New_York', '2026-11-01'],
  ['Europe/London', '2026-03-29'],
  ['Europe/London', '2026-10-25'],
  ['Europe/Berlin', '2026-03-29'],
  ['Europe/Berlin', '2026-10-25'],
  ['Australia/Lord_Howe', '2026-04-05'],
  ['Australia/Lord_Howe', '2026-10-04'],
  ['America/Santiago', '2026-04-04'], // 24:00 falls back to 23:00: the hour before midnight repeats
  ['America/Santiago', '2026-04-05'],
  ['America/Santiago', '2026-09-06'], // midnight springs forward to 01:00: the day starts at 01:00
  ['Pacific/Chatham', '2026-04-05'],
  ['Pacific/Chatham', '2026-09-27'],
  ['Asia/Kolkata', '2026-03-08'],
  ['Asia/Kathmandu', '2026-03-08'],
];

describe('DST days agree with a minute-by-minute model of the wall-clock rule', () => {
  const models = new Map(CHANGE_DATES.map(([zone, date]) => [`${zone} ${date}`, new MinuteModel(zone, date)]));

  it('opens and closes at the same minutes, and the day holds the same open time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CHANGE_DATES),
        dayShifts.filter((shifts) => shifts.length > 0),
        ([timeZone, date], shifts) => {
          const model = models.get(`${timeZone} ${date}`) as MinuteModel;
          // The date's own hours come from an override; the days around it are closed.
          const calendar: BusinessCalendar = defineCalendar({ timeZone, weekly: {}, overrides: { [date]: shifts } });
          const expected = model.intervals(date, shifts).filter(([from, to]) => to > from);
          const isOpenInModel = (t: number) => expected.some(([from, to]) => from <= t && t < to);
          for (const t of model.minutes) {
            if (isOpen(calendar, t) !== isOpenInModel(t))
              expect.fail(`${timeZone} ${date} ${JSON.stringify(shifts)}: isOpen differs at ${new Date(t).toISOString()}`);
          }
          const total = expected.reduce((sum, [from, to]) => sum + (to - from), 0);
          const first = model.minutes[0] as number;
          const last = model.minutes[model.minutes.length - 1] as number;
          expect(businessTimeBetween(calendar, first, last)).toBe(total);
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('puts the first instant of a day where the clock first reads its midnight', () => {
    for (const [timeZone, date] of CHANGE_DATES) {
      const model = models.get(`${timeZone} ${date}`) as MinuteModel;
      const calendar = defineCalendar({ timeZone, weekly: {}, overrides: { [date]: ['00:00-24:00'] } });
      const [[from, to] = [0, 0]] = model.intervals(date, ['00:00-24:00']);
      expect(nextOpenInstant(calendar, from - DAY)).toBe(from);
      expect(businessTimeBetween(calendar, from - DAY, to + DAY)).toBe(to - from);
    }
  });
});
