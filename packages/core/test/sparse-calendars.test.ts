// Sparse business calendars: the work of one business-time question is bounded. Whole weeks are counted
// at once instead of day by day, no answer lies more than 10 years after its start, and an SLA or a
// cadence that needs more of its calendar's hours than that is a ConfigError when it is defined, not
// seconds of CPU (or a RangeError) at every capture.
import {
  addBusinessTime,
  type BusinessCalendar,
  type BusinessCalendarConfig,
  businessTimeBetween,
  cadencePolicy,
  calendarClock,
  DAY,
  defineCalendar,
  definePolicies,
  HOUR,
  MINUTE,
  slaPolicy,
  WEEK,
} from '@leadline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weeklyOpenMs } from './calendar-configs.js';
import { configProblemsOf } from './config-problems.js';

const mondays = defineCalendar({ name: 'mondays', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } });
const MONDAY_9_BERLIN = Date.parse('2026-03-02T08:00:00Z');

/** The same calendar, answering one day at a time: business-time arithmetic walks it day by day. */
function dayByDay(calendar: BusinessCalendar): BusinessCalendar {
  return {
    name: calendar.name,
    timeZone: calendar.timeZone,
    config: calendar.config,
    openDay: (dayNumber) => calendar.openDay(dayNumber),
    openDayAt: (instant) => calendar.openDayAt(instant),
  };
}

/** The calendar, counting the days it is asked to build one by one. */
function counting(calendar: BusinessCalendar): { calendar: BusinessCalendar; days: () => number } {
  let days = 0;
  const counted: BusinessCalendar = {
    ...dayByDay(calendar),
    openDay: (dayNumber) => {
      days++;
      return calendar.openDay(dayNumber);
    },
    openDayAt: (instant) => {
      days++;
      return calendar.openDayAt(instant);
    },
    openWeek: (firstDay) => calendar.openWeek?.(firstDay),
  };
  return { calendar: counted, days: () => days };
}

function followUp(within: string, clock = 'mondays') {
  return { slas: [{ name: 'follow_up', startsOn: 'assigned' as const, endsOn: ['touch.logged' as const], within, clock }] };
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

describe('a Monday-only calendar (Berlin, Mon 09:00-17:00: 8 business hours a week)', () => {
  it('a 1000w business SLA is a ConfigError at its within when it is defined (it took 14 s per capture), at once', () => {
    const { result: problems, ms } = timed(() => configProblemsOf(() => slaPolicy(followUp('1000w'), { mondays: calendarClock(mondays) })));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['slas.0.within']);
    expect(ms).toBeLessThan(1000);
  });

  it('a 520w business SLA (within the duration limit, 210 years of Mondays) is refused when defined: more than 10 years of the calendar', () => {
    const { result: problems, ms } = timed(() => configProblemsOf(() => slaPolicy(followUp('520w'), { mondays: calendarClock(mondays) })));
    expect(problems).toEqual([expect.objectContaining({ path: ['slas', 0, 'within'], message: expect.stringMatching(/calendar "mondays" .*10 years/) })]);
    expect(ms).toBeLessThan(1000);
  });

  it('names the path of every duration too long for its calendar: targets, warning, escalations; and in definePolicies', () => {
    const clocks = { mondays: calendarClock(mondays) };
    const problems = configProblemsOf(() =>
      slaPolicy(
        {
          slas: [
            {
              name: 'follow_up',
              startsOn: 'assigned',
              endsOn: ['touch.logged'],
              within: '8h',
              clock: 'mondays',
              targets: [{ when: { priority: 'high' }, within: '520w' }],
              warnAt: '520w',
              escalations: [{ after: '520w', action: 'notify_manager' }],
            },
          ],
        },
        clocks,
      ),
    );
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['slas.0.targets.0.within', 'slas.0.warnAt', 'slas.0.escalations.0.after']);
    const calendars = { mondays: { timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } } };
    expect(configProblemsOf(() => definePolicies({ calendars, sla: followUp('520w') })).map((problem) => problem.path.join('.'))).toEqual([
      'sla.slas.0.within',
    ]);
  });

  it('a cadence step further away than 10 years of Mondays is a ConfigError at its after', () => {
    const problems = configProblemsOf(() =>
      cadencePolicy(
        {
          steps: [
            { channel: 'call', after: '0m' },
            { channel: 'email', after: '5000h' },
          ],
          clock: 'mondays',
        },
        { mondays },
      ),
    );
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['steps.1.after']);
  });

  it('4000 business hours (500 Mondays, 9.6 years) are counted week by week: a few dozen days built instead of 3500, the same answer', () => {
    const { calendar, days } = counting(mondays);
    const end = addBusinessTime(calendar, MONDAY_9_BERLIN, 4000 * HOUR);
    expect(end).toBe(addBusinessTime(dayByDay(mondays), MONDAY_9_BERLIN, 4000 * HOUR));
    // Mon 2026-03-02 09:00 + 500 Mondays of 8h: the 500th Monday's close, 2035-09-24 17:00 Berlin.
    expect(end).toBe(Date.parse('2035-09-24T15:00:00Z'));
    expect(days()).toBeLessThan(200);
    expect(businessTimeBetween(calendar, MONDAY_9_BERLIN, end)).toBe(4000 * HOUR);
  });

  it('the SLA of 4000 business hours is defined, and a lead assigned Monday 09:00 gets its deadline at once', () => {
    const sla = slaPolicy(followUp('4000h'), { mondays: calendarClock(mondays) });
    const { result, ms } = timed(() => sla.start({} as never, 'assigned', MONDAY_9_BERLIN));
    expect(result[0]?.dueAt).toBe(Date.parse('2035-09-24T15:00:00Z'));
    expect(ms).toBeLessThan(500);
  });
});

describe('no business-time answer lies more than 10 years after its start', () => {
  it('addBusinessTime throws RangeError past it, within bounded work', () => {
    const { calendar, days } = counting(mondays);
    expect(() => addBusinessTime(calendar, MONDAY_9_BERLIN, 520 * WEEK)).toThrow(RangeError);
    expect(() => addBusinessTime(mondays, MONDAY_9_BERLIN, 520 * WEEK)).toThrow(/more than 3650d \(10 years\)/);
    expect(days()).toBeLessThan(200);
  });
});

describe('a calendar open one minute a year', () => {
  const overrides = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`${2026 + index}-06-01`, ['09:00-09:01']]));
  const minuteAYear = defineCalendar({ name: 'minute', timeZone: 'UTC', weekly: {}, overrides });

  it('an SLA of one business hour on it is a ConfigError when it is defined, in bounded time', () => {
    const { result: problems, ms } = timed(() => configProblemsOf(() => slaPolicy(followUp('1h', 'minute'), { minute: calendarClock(minuteAYear) })));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['slas.0.within']);
    expect(ms).toBeLessThan(1000);
  });

  it('its business time is counted over closed weeks without building them', () => {
    const { calendar, days } = counting(minuteAYear);
    const start = Date.parse('2026-01-01T00:00:00Z');
    expect(addBusinessTime(calendar, start, 5 * MINUTE)).toBe(Date.parse('2030-06-01T09:01:00Z'));
    expect(() => addBusinessTime(calendar, start, HOUR)).toThrow(RangeError);
    expect(businessTimeBetween(calendar, start, Date.parse('2040-01-01T00:00:00Z'))).toBe(10 * MINUTE);
    expect(days()).toBeLessThan(200);
  });
});

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Africa/Casablanca', 'Asia/Gaza', 'UTC'];
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const dayShifts = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 4 }).map((bounds) => {
  const sorted = [...bounds].sort((a, b) => a - b);
  const shifts: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) shifts.push(`${hhmm(sorted[i] as number)}-${hhmm(sorted[i + 1] as number)}`);
  return shifts;
});
const weekdayShifts = fc.oneof(dayShifts, fc.constantFrom<string[]>(['00:00-24:00'], ['01:00-03:30'], ['09:00-17:00'], []));
const dateIn2026to2029 = fc.integer({ min: 0, max: 4 * 365 }).map((offset) => new Date(Date.UTC(2026, 0, 1) + offset * DAY).toISOString().slice(0, 10));
const calendarConfig: fc.Arbitrary<BusinessCalendarConfig> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekly: fc.record({
      sun: weekdayShifts,
      mon: weekdayShifts,
      tue: weekdayShifts,
      wed: weekdayShifts,
      thu: weekdayShifts,
      fri: weekdayShifts,
      sat: weekdayShifts,
    }),
    holidays: fc.uniqueArray(dateIn2026to2029, { maxLength: 12 }),
    overrides: fc.dictionary(dateIn2026to2029, dayShifts, { maxKeys: 6 }),
    publicHolidays: fc.option(fc.constantFrom({ country: 'DE', state: 'BY' }, { country: 'US' }, { country: 'MA' }), { nil: undefined }),
  })
  .map((config) => ({ ...config, overrides: Object.fromEntries(Object.entries(config.overrides).filter(([date]) => !config.holidays.includes(date))) }))
  .filter((config) => Object.values(config.weekly).some((shifts) => shifts.length > 0));

describe('counting whole weeks gives the answers of the day-by-day walk', () => {
  it('also across the closest pairs of offset changes in the time zone database, a week apart', () => {
    // Recife tried summer time for one week in October 2000; Gaza is to change its offset and back
    // within a week around Ramadan 2040. Shifts that catch one change of a pair and not the other, so
    // that a pair gone unseen would not cancel out. Every week from every day around them, and a year.
    const shifts = ['00:00-00:30', '01:30-02:00', '03:00-04:00', '23:00-24:00'];
    const weekly = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((day) => [day, shifts]));
    for (const [timeZone, around] of [
      ['America/Recife', '2000-10-08'],
      ['Asia/Gaza', '2040-10-20'],
    ] as const) {
      const calendar = defineCalendar({ timeZone, weekly });
      const middle = Date.parse(`${around}T00:00:00Z`) / DAY;
      for (let firstDay = middle - 14; firstDay <= middle + 14; firstDay++) {
        const week = calendar.openWeek?.(firstDay);
        let built = 0;
        for (let day = firstDay; day < firstDay + 7; day++) built += calendar.openDay(day).openMs;
        if (week) expect(week.openMs, `${timeZone}, the week from day ${firstDay}`).toBe(built);
      }
      const start = Date.parse(`${around.slice(0, 4)}-01-01T00:00:00Z`);
      const hours = 366 * 3 * HOUR;
      expect(addBusinessTime(calendar, start, hours)).toBe(addBusinessTime(dayByDay(calendar), start, hours));
      expect(businessTimeBetween(calendar, start, start + 366 * DAY)).toBe(businessTimeBetween(dayByDay(calendar), start, start + 366 * DAY));
    }
  });

  it('addBusinessTime and businessTimeBetween agree with it over random calendars, starts and long durations', () => {
    const scenario = calendarConfig.chain((config) =>
      fc.record({
        config: fc.constant(config),
        start: fc.integer({ min: Date.UTC(2025, 9, 1), max: Date.UTC(2028, 0, 1) }),
        duration: fc.integer({ min: 0, max: 60 * weeklyOpenMs(config) }),
        span: fc.integer({ min: 0, max: 3 * 365 * DAY }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ config, start, duration, span }) => {
        const calendar = defineCalendar(config);
        const walked = dayByDay(calendar);
        let expected: number | undefined;
        try {
          expected = addBusinessTime(walked, start, duration);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
        if (expected === undefined) expect(() => addBusinessTime(calendar, start, duration)).toThrow(RangeError);
        else expect(addBusinessTime(calendar, start, duration)).toBe(expected);
        expect(businessTimeBetween(calendar, start, start + span)).toBe(businessTimeBetween(walked, start, start + span));
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
