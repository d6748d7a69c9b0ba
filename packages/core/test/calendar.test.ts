import { describe, expect, it } from 'vitest';
import { alwaysOpen, type BusinessCalendar, calendarFrom, defineCalendar, isBusinessCalendar } from '../src/calendar/business-calendar.js';
import { addBusinessTime, businessTimeBetween, isOpen, nextOpenInstant } from '../src/calendar/business-time.js';
import { HOUR, MINUTE } from '../src/time/duration.js';

// Every expected instant below was worked out by hand from the zone's offsets; the comment beside it
// gives the local wall-clock reading.
const at = (iso: string) => Date.parse(iso);
const NINE_TO_FIVE = ['09:00-17:00'];
const weekdays = (shifts: string[]) => ({ mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts });

/** Asserts both directions: adding `hours` from `from` lands on `to`, and the open time between them is `hours`. */
function expectRoundTrip(calendar: BusinessCalendar, from: string, hours: number, to: string) {
  expect(new Date(addBusinessTime(calendar, at(from), hours * HOUR)).toISOString()).toBe(new Date(at(to)).toISOString());
  expect(businessTimeBetween(calendar, at(from), at(to))).toBe(hours * HOUR);
}

describe('business time across DST changes', () => {
  const newYork = defineCalendar({ name: 'us-east', timeZone: 'America/New_York', weekly: weekdays(NINE_TO_FIVE) });
  const london = defineCalendar({ timeZone: 'Europe/London', weekly: weekdays(NINE_TO_FIVE) });
  const lordHowe = defineCalendar({ timeZone: 'Australia/Lord_Howe', weekly: weekdays(NINE_TO_FIVE) });

  it('New York, spring: Fri 16:00 EST + 8h is Mon 16:00 EDT (20:00Z, not 21:00Z)', () => {
    expectRoundTrip(newYork, '2026-03-06T21:00Z', 8, '2026-03-09T20:00Z');
  });

  it('New York, autumn: Fri 16:00 EDT + 8h is Mon 16:00 EST (21:00Z, not 20:00Z)', () => {
    expectRoundTrip(newYork, '2026-10-30T20:00Z', 8, '2026-11-02T21:00Z');
  });

  it('London, spring: Fri 16:00 GMT + 8h is Mon 16:00 BST', () => {
    expectRoundTrip(london, '2026-03-27T16:00Z', 8, '2026-03-30T15:00Z');
  });

  it('London, autumn: Fri 16:00 BST + 8h is Mon 16:00 GMT', () => {
    expectRoundTrip(london, '2026-10-23T15:00Z', 8, '2026-10-26T16:00Z');
  });

  it('Lord Howe, autumn (30-minute change): Fri 16:00 +11:00 + 8h is Mon 16:00 +10:30', () => {
    expectRoundTrip(lordHowe, '2026-04-03T05:00Z', 8, '2026-04-06T05:30Z');
  });

  it('Lord Howe, spring (30-minute change): Fri 16:00 +10:30 + 8h is Mon 16:00 +11:00', () => {
    expectRoundTrip(lordHowe, '2026-10-02T05:30Z', 8, '2026-10-05T05:00Z');
  });

  describe('shifts on the night the clocks change count real time', () => {
    it('New York spring-forward Sunday: 00:00-06:00 is 5 real hours', () => {
      const night = defineCalendar({ timeZone: 'America/New_York', weekly: { sun: ['00:00-06:00'] } });
      // 00:00 EST = 05:00Z, 06:00 EDT = 10:00Z
      expectRoundTrip(night, '2026-03-07T12:00Z', 5, '2026-03-08T10:00Z');
      expect(addBusinessTime(night, at('2026-03-07T12:00Z'), 4.5 * HOUR)).toBe(at('2026-03-08T09:30Z'));
    });

    it('New York spring-forward Sunday: a shift from 02:30, a time that never shows, opens at 03:00 EDT', () => {
      const night = defineCalendar({ timeZone: 'America/New_York', weekly: { sun: ['02:30-05:00'] } });
      expect(nextOpenInstant(night, at('2026-03-08T06:00Z'))).toBe(at('2026-03-08T07:00Z')); // 01:00 EST -> 03:00 EDT
      expect(isOpen(night, at('2026-03-08T07:00Z') - 1)).toBe(false);
      expect(isOpen(night, at('2026-03-08T07:00Z'))).toBe(true);
      expectRoundTrip(night, '2026-03-08T00:00Z', 2, '2026-03-08T09:00Z'); // until 05:00 EDT
    });

    it('New York fall-back Sunday: 01:00-03:00 is 3 real hours, through both passes of 01:00-02:00', () => {
      const night = defineCalendar({ timeZone: 'America/New_York', weekly: { sun: ['01:00-03:00'] } });
      // 01:00 EDT = 05:00Z, 03:00 EST = 08:00Z
      expectRoundTrip(night, '2026-10-31T12:00Z', 3, '2026-11-01T08:00Z');
      expect(isOpen(night, at('2026-11-01T06:30Z'))).toBe(true); // 01:30 EST, the second pass
      expect(addBusinessTime(night, at('2026-10-31T12:00Z'), 2.5 * HOUR)).toBe(at('2026-11-01T07:30Z')); // 02:30 EST
    });

    it('New York fall-back Sunday: a shift ending 01:30 closes the first time the clock reads 01:30', () => {
      const night = defineCalendar({ timeZone: 'America/New_York', weekly: { sun: ['00:00-01:30'] } });
      // 00:00 EDT = 04:00Z to 01:30 EDT = 05:30Z; at 01:15 EST (06:15Z) it is not open again.
      expectRoundTrip(night, '2026-10-31T12:00Z', 1.5, '2026-11-01T05:30Z');
      expect(isOpen(night, at('2026-11-01T06:15Z'))).toBe(false);
    });

    it('London spring-forward Sunday: 00:00-03:00 is 2 real hours', () => {
      const night = defineCalendar({ timeZone: 'Europe/London', weekly: { sun: ['00:00-03:00'] } });
      expectRoundTrip(night, '2026-03-28T12:00Z', 2, '2026-03-29T02:00Z'); // 00:00 GMT -> 03:00 BST
    });

    it('London fall-back Sunday: 00:30-02:30 is 3 real hours', () => {
      const night = defineCalendar({ timeZone: 'Europe/London', weekly: { sun: ['00:30-02:30'] } });
      expectRoundTrip(night, '2026-10-24T12:00Z', 3, '2026-10-25T02:30Z'); // 00:30 BST = 23:30Z -> 02:30 GMT
      expect(nextOpenInstant(night, at('2026-10-24T12:00Z'))).toBe(at('2026-10-24T23:30Z'));
    });

    it('Lord Howe spring-forward Sunday (02:00 -> 02:30): 00:00-06:00 is 5.5 hours, 02:10-04:00 opens at 02:30', () => {
      const night = defineCalendar({ timeZone: 'Australia/Lord_Howe', weekly: { sun: ['00:00-06:00'] } });
      expectRoundTrip(night, '2026-10-03T00:00Z', 5.5, '2026-10-03T19:00Z'); // 00:00 +10:30 = 13:30Z -> 06:00 +11:00
      const gap = defineCalendar({ timeZone: 'Australia/Lord_Howe', weekly: { sun: ['02:10-04:00'] } });
      expect(nextOpenInstant(gap, at('2026-10-03T15:00Z'))).toBe(at('2026-10-03T15:30Z')); // 02:30 +11:00
      expectRoundTrip(gap, '2026-10-03T00:00Z', 1.5, '2026-10-03T17:00Z');
    });

    it('Lord Howe fall-back Sunday (02:00 -> 01:30): 00:00-06:00 is 6.5 hours, 01:30-02:30 is 1.5 hours', () => {
      const night = defineCalendar({ timeZone: 'Australia/Lord_Howe', weekly: { sun: ['00:00-06:00'] } });
      expectRoundTrip(night, '2026-04-04T00:00Z', 6.5, '2026-04-04T19:30Z'); // 00:00 +11:00 = 13:00Z -> 06:00 +10:30
      const repeat = defineCalendar({ timeZone: 'Australia/Lord_Howe', weekly: { sun: ['01:30-02:30'] } });
      expectRoundTrip(repeat, '2026-04-04T00:00Z', 1.5, '2026-04-04T16:00Z'); // first 01:30 (+11:00) = 14:30Z -> 02:30 +10:30
    });
  });
});

describe('business time around holidays, split shifts and overrides', () => {
  it('skips a German public holiday: Thu 24 Dec 16:00 + 8h in Bavaria is Mon 28 Dec 16:00 (25th and 26th closed)', () => {
    const bavaria = defineCalendar({ timeZone: 'Europe/Berlin', weekly: weekdays(NINE_TO_FIVE), publicHolidays: { country: 'DE', state: 'BY' } });
    expectRoundTrip(bavaria, '2026-12-24T15:00Z', 8, '2026-12-28T15:00Z');
    expect(isOpen(bavaria, at('2026-12-25T10:00Z'))).toBe(false);
    // Christmas Eve afternoon is a bank holiday in Germany, not a public one: the day stays open.
    expect(businessTimeBetween(bavaria, at('2026-12-24T00:00Z'), at('2026-12-25T00:00Z'))).toBe(8 * HOUR);
  });

  it('knows state holidays: Corpus Christi (Thu 2026-06-04) closes Bavaria but not Berlin', () => {
    const bavaria = defineCalendar({ timeZone: 'Europe/Berlin', weekly: weekdays(NINE_TO_FIVE), publicHolidays: { country: 'DE', state: 'BY' } });
    const berlin = defineCalendar({ timeZone: 'Europe/Berlin', weekly: weekdays(NINE_TO_FIVE), publicHolidays: { country: 'DE', state: 'BE' } });
    expect(isOpen(bavaria, at('2026-06-04T10:00Z'))).toBe(false);
    expect(isOpen(berlin, at('2026-06-04T10:00Z'))).toBe(true);
  });

  it('skips US Independence Day observed (Fri 2026-07-03): Thu 16:00 EDT + 8h is Mon 16:00 EDT', () => {
    const us = defineCalendar({ timeZone: 'America/New_York', weekly: weekdays(NINE_TO_FIVE), publicHolidays: { country: 'US' } });
    expectRoundTrip(us, '2026-07-02T20:00Z', 8, '2026-07-06T20:00Z');
  });

  describe('a split shift (Berlin, Monday 09:00-12:00 and 13:00-17:30)', () => {
    const emea = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-12:00', '13:00-17:30'] } });

    it('does not count the lunch break: 11:00 + 2h is 14:00', () => {
      expectRoundTrip(emea, '2026-03-02T10:00Z', 2, '2026-03-02T13:00Z');
    });

    it('ends an addition that uses up the morning at 12:00, the close, not at 13:00', () => {
      expect(addBusinessTime(emea, at('2026-03-02T10:00Z'), HOUR)).toBe(at('2026-03-02T11:00Z'));
      expect(isOpen(emea, at('2026-03-02T11:00Z'))).toBe(false);
      expect(isOpen(emea, at('2026-03-02T11:00Z') - 1)).toBe(true);
      expect(nextOpenInstant(emea, at('2026-03-02T11:30Z'))).toBe(at('2026-03-02T12:00Z'));
    });

    it('counts 7.5 hours in the day, and the next Monday continues the count', () => {
      expectRoundTrip(emea, '2026-03-02T08:00Z', 7.5, '2026-03-02T16:30Z');
      expectRoundTrip(emea, '2026-03-02T08:00Z', 8, '2026-03-09T08:30Z');
    });
  });

  it('skips an explicit holiday and uses a dated override', () => {
    const calendar = defineCalendar({
      timeZone: 'Europe/Berlin',
      weekly: weekdays(NINE_TO_FIVE),
      holidays: ['2026-03-03'],
      overrides: { '2026-03-04': ['10:00-12:00'], '2026-03-07': ['10:00-11:00'] },
    });
    // Mon 17:00 (closed) + 3h: Tuesday is a holiday, Wednesday gives 10:00-12:00, Thursday 09:00-10:00.
    expectRoundTrip(calendar, '2026-03-02T16:00Z', 3, '2026-03-05T09:00Z');
    // Fri 16:30 + 1h: half an hour on Friday, then the Saturday opening from 10:00.
    expectRoundTrip(calendar, '2026-03-06T15:30Z', 1, '2026-03-07T09:30Z');
  });

  it('lets an override open a public holiday', () => {
    const calendar = defineCalendar({
      timeZone: 'Europe/Berlin',
      weekly: weekdays(NINE_TO_FIVE),
      publicHolidays: { country: 'DE' },
      overrides: { '2026-12-25': ['10:00-12:00'] },
    });
    expectRoundTrip(calendar, '2026-12-24T16:00Z', 2, '2026-12-25T11:00Z');
  });
});

describe('business time in zones with fractional offsets', () => {
  it('Asia/Kolkata (+05:30): Fri 17:00 + 8h is Mon 16:30', () => {
    const india = defineCalendar({ timeZone: 'Asia/Kolkata', weekly: weekdays(['09:30-18:00']) });
    expectRoundTrip(india, '2026-01-09T11:30Z', 8, '2026-01-12T11:00Z');
  });

  it('Asia/Kathmandu (+05:45): Fri 16:00 + 3h is Sun 12:00 (Saturday is the weekend)', () => {
    const nepal = defineCalendar({ timeZone: 'Asia/Kathmandu', weekly: { ...weekdays(['10:00-17:00']), sun: ['10:00-17:00'] } });
    expectRoundTrip(nepal, '2026-01-09T10:15Z', 3, '2026-01-11T06:15Z');
    expect(isOpen(nepal, at('2026-01-11T04:15Z'))).toBe(true); // 10:00 NPT
    expect(isOpen(nepal, at('2026-01-11T04:15Z') - 1)).toBe(false);
  });
});

describe('alwaysOpen', () => {
  it('counts calendar time, DST or not', () => {
    expectRoundTrip(alwaysOpen, '2026-03-07T22:00Z', 5, '2026-03-08T03:00Z');
    expect(addBusinessTime(alwaysOpen, at('2026-03-02T09:00Z'), 90 * 24 * HOUR)).toBe(at('2026-05-31T09:00Z'));
    expect(isOpen(alwaysOpen, at('2026-12-25T00:00Z'))).toBe(true);
    expect(nextOpenInstant(alwaysOpen, 123_456)).toBe(123_456);
  });

  it('answers over fifteen years and still about 2026 afterwards (the day cache is bounded, not wrong)', () => {
    expect(businessTimeBetween(alwaysOpen, at('2020-01-01T00:00Z'), at('2035-01-01T00:00Z'))).toBe(at('2035-01-01T00:00Z') - at('2020-01-01T00:00Z'));
    expect(addBusinessTime(alwaysOpen, at('2026-03-02T09:00Z'), 7 * MINUTE)).toBe(at('2026-03-02T09:07Z'));
  });
});

describe('conventions', () => {
  const newYork = defineCalendar({ timeZone: 'America/New_York', weekly: weekdays(NINE_TO_FIVE) });

  it('starts counting at the next opening when the start is outside hours; adding 0 gives that opening', () => {
    const saturdayNoon = at('2026-03-07T17:00Z');
    expect(nextOpenInstant(newYork, saturdayNoon)).toBe(at('2026-03-09T13:00Z')); // Monday 09:00 EDT
    expect(addBusinessTime(newYork, saturdayNoon, 0)).toBe(at('2026-03-09T13:00Z'));
    expect(addBusinessTime(newYork, saturdayNoon, MINUTE)).toBe(at('2026-03-09T13:01Z'));
  });

  it('is open at an opening instant and closed at a closing instant', () => {
    expect(isOpen(newYork, at('2026-03-09T13:00Z'))).toBe(true);
    expect(isOpen(newYork, at('2026-03-09T21:00Z'))).toBe(false);
    expect(nextOpenInstant(newYork, at('2026-03-09T15:00Z'))).toBe(at('2026-03-09T15:00Z'));
  });

  it('gives 0 between an instant and an earlier one', () => {
    expect(businessTimeBetween(newYork, at('2026-03-09T15:00Z'), at('2026-03-09T14:00Z'))).toBe(0);
    expect(businessTimeBetween(newYork, at('2026-03-09T15:00Z'), at('2026-03-09T15:00Z'))).toBe(0);
  });

  it('refuses a negative duration and instants that are not numbers of ms', () => {
    expect(() => addBusinessTime(newYork, at('2026-03-09T15:00Z'), -1)).toThrow(RangeError);
    expect(() => addBusinessTime(newYork, Number.NaN, HOUR)).toThrow(RangeError);
    expect(() => businessTimeBetween(newYork, 0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => isOpen(newYork, Number.NaN)).toThrow(RangeError);
  });

  it('carries a calendar as a value: calendarFrom takes a built calendar or its config', () => {
    expect(calendarFrom(newYork)).toBe(newYork);
    const rebuilt = calendarFrom(newYork.config);
    expect(isBusinessCalendar(rebuilt)).toBe(true);
    expect(rebuilt).not.toBe(newYork);
    expect(addBusinessTime(rebuilt, at('2026-03-06T21:00Z'), 8 * HOUR)).toBe(at('2026-03-09T20:00Z'));
    expect(JSON.parse(JSON.stringify(newYork.config))).toEqual(newYork.config);
    expect(newYork.name).toBe('America/New_York');
    expect(isBusinessCalendar(newYork.config)).toBe(false);
  });

  it('keeps its own frozen copy of the config', () => {
    const hours = ['09:00-17:00'];
    const calendar = defineCalendar({ timeZone: 'UTC', weekly: { mon: hours } });
    hours[0] = '09:00-10:00';
    expect(calendar.config.weekly.mon).toEqual(['09:00-17:00']);
    expect(Object.isFrozen(calendar.config.weekly.mon)).toBe(true);
    expect(businessTimeBetween(calendar, at('2026-03-02T00:00Z'), at('2026-03-03T00:00Z'))).toBe(8 * HOUR);
  });
});
