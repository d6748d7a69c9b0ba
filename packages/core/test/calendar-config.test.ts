import { describe, expect, it } from 'vitest';
import { defineCalendar } from '../src/calendar/business-calendar.js';
import { addBusinessTime, businessTimeBetween, MAX_CLOSED_DAYS, nextOpenInstant } from '../src/calendar/business-time.js';
import { dateOfDayNumber, dayNumberOf } from '../src/calendar/local-date.js';
import { ConfigError } from '../src/errors.js';
import { HOUR } from '../src/time/duration.js';

const at = (iso: string) => Date.parse(iso);

/** Builds the calendar, expects a ConfigError, and returns its problems as `path: message` pairs. */
function problemsOf(config: unknown): [string, string][] {
  try {
    defineCalendar(config as never);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('config_invalid');
    expect((error as ConfigError).message).toMatch(/^Invalid business calendar config: /);
    return (error as ConfigError).problems.map((problem) => [problem.path.join('.'), problem.message]);
  }
  throw new Error('expected a ConfigError');
}

const valid = { timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } };

describe('calendar config errors name each problem at its exact path', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['an unknown time zone', { ...valid, timeZone: 'Mars/Olympus' }, 'timeZone', /unknown time zone "Mars\/Olympus"/],
    ['an empty time zone', { ...valid, timeZone: '' }, 'timeZone', /unknown time zone ""/],
    ['a reversed shift', { ...valid, weekly: { mon: ['17:00-09:00'] } }, 'weekly.mon.0', /ends before it starts/],
    ['an empty shift', { ...valid, weekly: { tue: ['09:00-09:00'] } }, 'weekly.tue.0', /is empty/],
    ['overlapping shifts', { ...valid, weekly: { wed: ['13:00-17:00', '09:00-13:30'] } }, 'weekly.wed.0', /"13:00-17:00" overlaps "09:00-13:30"/],
    ['a shift that is not HH:MM-HH:MM', { ...valid, weekly: { thu: ['9-5'] } }, 'weekly.thu.0', /is not a shift; write it like 09:00-17:30/],
    ['a time past 24:00', { ...valid, weekly: { fri: ['09:00-24:30'] } }, 'weekly.fri.0', /a time that does not exist/],
    ['minute 60', { ...valid, weekly: { fri: ['09:60-12:00'] } }, 'weekly.fri.0', /a time that does not exist/],
    ['a shift starting at 24:00', { ...valid, weekly: { sat: ['24:00-24:00'] } }, 'weekly.sat.0', /starts at 24:00/],
    ['an unknown weekday', { ...valid, weekly: { mon: ['09:00-17:00'], monday: ['09:00-17:00'] } }, 'weekly', /monday/],
    ['a holiday that does not exist', { ...valid, holidays: ['2026-12-24', '2026-02-30'] }, 'holidays.1', /"2026-02-30" is not a date/],
    ['a holiday in another format', { ...valid, holidays: ['24.12.2026'] }, 'holidays.0', /write it YYYY-MM-DD/],
    ['an override on a date that does not exist', { ...valid, overrides: { '2026-13-01': [] } }, 'overrides.2026-13-01', /is not a date/],
    ['overlapping shifts in an override', { ...valid, overrides: { '2026-12-24': ['09:00-12:00', '11:00-13:00'] } }, 'overrides.2026-12-24.1', /overlaps/],
    ['an unknown country', { ...valid, publicHolidays: { country: 'XX' } }, 'publicHolidays.country', /unknown country "XX"/],
    ['an unknown state', { ...valid, publicHolidays: { country: 'DE', state: 'ZZ' } }, 'publicHolidays.state', /DE has no state "ZZ"; known states: BB, BE/],
    ['an unknown region', { ...valid, publicHolidays: { country: 'DE', state: 'BY', region: 'NOPE' } }, 'publicHolidays.region', /no region "NOPE"/],
    ['a region without its state', { ...valid, publicHolidays: { country: 'DE', region: 'A' } }, 'publicHolidays.region', /needs its state/],
    [
      'a date that is both holiday and override',
      { ...valid, holidays: ['2026-12-24'], overrides: { '2026-12-24': ['09:00-12:00'] } },
      'overrides.2026-12-24',
      /also listed in holidays/,
    ],
    ['an unknown field', { ...valid, timezone: 'UTC' }, '', /timezone/],
    ['a missing time zone', { weekly: valid.weekly }, 'timeZone', /./],
  ])('%s', (_name, config, path, message) => {
    const problems = problemsOf(config);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[0]).toBe(path);
    expect(problems[0]?.[1]).toMatch(message);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({
      timeZone: 'Mars/Olympus',
      weekly: { mon: ['12:00-09:00', '08:00-10:00', '09:30-11:00'], tue: ['9-5'] },
      holidays: ['2026-02-30'],
      overrides: { '2026-13-01': ['24:30-25:00'] },
      publicHolidays: { country: 'DE', state: 'ZZ' },
    });
    expect(problems.map(([path]) => path)).toEqual([
      'timeZone',
      'weekly.mon.0',
      'weekly.mon.2',
      'weekly.tue.0',
      'holidays.0',
      'publicHolidays.state',
      'overrides.2026-13-01.0',
      'overrides.2026-13-01',
    ]);
    expect(problems[2]?.[1]).toBe('"09:30-11:00" overlaps "08:00-10:00"');
  });

  it('accepts touching shifts and joins them', () => {
    const calendar = defineCalendar({ timeZone: 'UTC', weekly: { mon: ['12:00-13:00', '09:00-12:00'] } });
    expect(addBusinessTime(calendar, at('2026-03-02T09:00Z'), 4 * HOUR)).toBe(at('2026-03-02T13:00Z'));
  });
});

describe('a calendar that never opens', () => {
  it('is refused when it is built: every weekday closed and no override with hours', () => {
    expect(problemsOf({ timeZone: 'UTC', weekly: {} })).toEqual([['weekly', 'is closed every day; a business calendar needs some open hours']]);
    expect(problemsOf({ timeZone: 'UTC', weekly: { mon: [], sun: [] }, overrides: { '2026-03-02': [] } })).toEqual([
      ['weekly', 'is closed every day; a business calendar needs some open hours'],
    ]);
  });

  it(`throws RangeError rather than loop when it stays closed ${MAX_CLOSED_DAYS} days in a row`, () => {
    // Closed weekly hours with one dated opening: valid, but nothing opens after that date.
    const oneDay = defineCalendar({ name: 'pop-up', timeZone: 'Europe/Berlin', weekly: {}, overrides: { '2026-03-02': ['09:00-10:00'] } });
    expect(addBusinessTime(oneDay, at('2026-03-01T00:00Z'), 30 * 60_000)).toBe(at('2026-03-02T08:30Z'));
    expect(businessTimeBetween(oneDay, at('2026-01-01T00:00Z'), at('2027-01-01T00:00Z'))).toBe(HOUR);
    expect(() => addBusinessTime(oneDay, at('2026-03-01T00:00Z'), 2 * HOUR)).toThrow(
      new RangeError('Calendar "pop-up" has no open time in the 400 days after 2026-03-01T00:00Z'),
    );
    expect(() => nextOpenInstant(oneDay, at('2026-03-03T00:00Z'))).toThrow(RangeError);
  });

  it('searches past long closures shorter than the bound: a year of Monday holidays', () => {
    const mondays: string[] = [];
    for (let day = dayNumberOf('2026-01-05'); day < dayNumberOf('2027-01-01'); day += 7) mondays.push(dateOfDayNumber(day));
    const calendar = defineCalendar({ timeZone: 'UTC', weekly: { mon: ['09:00-10:00'] }, holidays: mondays });
    expect(nextOpenInstant(calendar, at('2026-01-01T00:00Z'))).toBe(at('2027-01-04T09:00Z'));
    // Two years of them is more than the bound.
    for (let day = dayNumberOf('2027-01-04'); day < dayNumberOf('2028-01-01'); day += 7) mondays.push(dateOfDayNumber(day));
    const closedTwoYears = defineCalendar({ timeZone: 'UTC', weekly: { mon: ['09:00-10:00'] }, holidays: mondays });
    expect(() => nextOpenInstant(closedTwoYears, at('2026-01-01T00:00Z'))).toThrow(RangeError);
  });
});
