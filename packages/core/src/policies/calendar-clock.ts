/**
 * A business calendar as a `WorkingClock`, so that SLAs and cadences can count business time.
 *
 * @module
 */
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { addBusinessTime, businessTimeBetween } from '../calendar/business-time.js';
import type { WorkingClock } from './types.js';

/**
 * Counts the calendar's open hours.
 *
 * @example
 * ```ts
 * import { calendarClock, defineCalendar, HOUR } from '@leadline/core';
 *
 * const emea = calendarClock(defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } }));
 * emea.add(Date.parse('2026-03-02T15:00:00Z'), 2 * HOUR); // Monday 17:00 Berlin is the close: next Monday 10:00 (09:00Z)
 * ```
 */
export function calendarClock(calendar: BusinessCalendar): WorkingClock {
  return {
    name: calendar.name,
    add: (start, ms) => addBusinessTime(calendar, start, ms),
    between: (from, to) => businessTimeBetween(calendar, from, to),
  };
}
