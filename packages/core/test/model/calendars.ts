/**
 * The business calendars the model draws from, as plain configs (shared with the independent SLA
 * oracle) and compiled once for the engine (compiled calendars cache their days, so they are reused).
 * Three zones with different DST rules: Berlin (EU change on 2026-03-29), New York (US change on
 * 2026-03-08, inside the model's first week) and Kolkata (+05:30, no DST), split shifts, a holiday.
 */
import { type BusinessCalendar, calendarClock, defineCalendar, type WorkingClock } from '@leadline/core';

/** What the model and the oracle know of a calendar: a zone, weekly shifts, closed dates. */
export interface CalendarSpec {
  name: string;
  timeZone: string;
  weekly: Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>;
  holidays: string[];
}

export const CALENDARS: readonly CalendarSpec[] = [
  {
    name: 'emea',
    timeZone: 'Europe/Berlin',
    weekly: {
      mon: ['09:00-12:00', '13:00-17:30'],
      tue: ['09:00-12:00', '13:00-17:30'],
      wed: ['09:00-12:00', '13:00-17:30'],
      thu: ['09:00-12:00', '13:00-17:30'],
      fri: ['09:00-15:00'],
    },
    holidays: ['2026-03-06', '2026-04-03'],
  },
  {
    name: 'us',
    timeZone: 'America/New_York',
    weekly: { mon: ['08:00-16:00'], tue: ['08:00-16:00'], wed: ['08:00-16:00'], thu: ['08:00-16:00'], fri: ['08:00-16:00'] },
    holidays: ['2026-03-10'],
  },
  {
    name: 'apac',
    timeZone: 'Asia/Kolkata',
    weekly: {
      mon: ['10:00-13:00', '14:00-18:30'],
      tue: ['10:00-13:00', '14:00-18:30'],
      wed: ['10:00-13:00', '14:00-18:30'],
      thu: ['10:00-13:00', '14:00-18:30'],
      fri: ['10:00-13:00', '14:00-18:30'],
      sat: ['10:00-13:00'],
    },
    holidays: [],
  },
];

/** The calendar names an SLA or a cadence may count in, besides `calendar`. */
export const CALENDAR_NAMES = CALENDARS.map((calendar) => calendar.name);

/** Compiled once per process. */
export const COMPILED: Readonly<Record<string, BusinessCalendar>> = Object.fromEntries(
  CALENDARS.map((spec) => [spec.name, defineCalendar({ name: spec.name, timeZone: spec.timeZone, weekly: spec.weekly, holidays: spec.holidays })]),
);

/** The engine's working clocks of the calendars, for `slaPolicy`. */
export const WORKING_CLOCKS: Readonly<Record<string, WorkingClock>> = Object.fromEntries(
  Object.entries(COMPILED).map(([name, calendar]) => [name, calendarClock(calendar)]),
);

/** A cadence send window: weekday hours in the lead's zone (the window's own zone when the lead has none). */
export const SEND_WINDOW: { timeZone: string; weekly: CalendarSpec['weekly'] } = {
  timeZone: 'Europe/Berlin',
  weekly: {
    mon: ['08:00-18:00'],
    tue: ['08:00-18:00'],
    wed: ['08:00-18:00'],
    thu: ['08:00-18:00'],
    fri: ['08:00-18:00'],
  },
};
