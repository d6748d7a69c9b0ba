/**
 * The declarative form of a business calendar, validated by zod: the JSON a non-developer edits and
 * that is stored with a team, a rep or a lead.
 *
 * ```json
 * {
 *   "name": "emea",
 *   "timeZone": "Europe/Berlin",
 *   "weekly": { "mon": ["09:00-12:00", "13:00-17:30"], "tue": ["09:00-17:30"], "fri": ["09:00-15:00"] },
 *   "holidays": ["2026-12-24", "2026-12-31"],
 *   "publicHolidays": { "country": "DE", "state": "BY" },
 *   "overrides": { "2026-12-23": ["09:00-12:00"], "2026-06-04": [] }
 * }
 * ```
 *
 * @module
 */
import { z } from 'zod';
import { publicHolidayRegionProblems } from './holidays.js';
import { isCalendarDate, WEEKDAYS } from './local-date.js';
import { overlappingShifts, parseShift } from './shift.js';
import { isKnownTimeZone } from './time-zone.js';

const shiftSchema = z.string().superRefine((text, ctx) => {
  try {
    parseShift(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** One day's shifts: each valid on its own, none overlapping another (reported at the later one). */
const shiftsSchema = z.array(shiftSchema).superRefine((texts, ctx) => {
  for (const { index, other } of overlappingShifts(texts)) {
    ctx.addIssue({ code: 'custom', path: [index], message: `"${texts[index]}" overlaps "${other}"` });
  }
});

const dateSchema = z.string().refine(isCalendarDate, { error: (issue) => `"${String(issue.input)}" is not a date; write it YYYY-MM-DD, e.g. 2026-12-25` });

const weeklySchema = z.strictObject({
  mon: shiftsSchema.optional(),
  tue: shiftsSchema.optional(),
  wed: shiftsSchema.optional(),
  thu: shiftsSchema.optional(),
  fri: shiftsSchema.optional(),
  sat: shiftsSchema.optional(),
  sun: shiftsSchema.optional(),
});

const publicHolidaysSchema = z
  .strictObject({
    country: z.string().min(1),
    state: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
  })
  .superRefine((region, ctx) => {
    for (const problem of publicHolidayRegionProblems(region)) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  });

/** Overrides keyed by date; the keys are checked here so that a bad one is named at its own path. */
const overridesSchema = z.record(z.string(), shiftsSchema).superRefine((overrides, ctx) => {
  for (const date of Object.keys(overrides)) {
    if (!isCalendarDate(date)) ctx.addIssue({ code: 'custom', path: [date], message: `"${date}" is not a date; write it YYYY-MM-DD, e.g. 2026-12-24` });
  }
});

/**
 * zod schema of a {@link BusinessCalendarConfig}. Besides each field's own checks it refuses a calendar
 * that can never open (every weekday closed and no override with hours), because every business-time
 * question about it would have no answer, and a date that is both a holiday and an override, because
 * the two contradict each other.
 *
 * @example
 * ```ts
 * import { businessCalendarConfigSchema } from '@leadline/core';
 *
 * businessCalendarConfigSchema.safeParse({ timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } }).success; // true
 * ```
 */
export const businessCalendarConfigSchema = z
  .strictObject({
    /** How history entries name the calendar ("8 business hours, calendar emea"); defaults to the time zone. */
    name: z.string().min(1).optional(),
    /** IANA time zone whose wall clock the hours are written in. */
    timeZone: z.string().superRefine((timeZone, ctx) => {
      if (!isKnownTimeZone(timeZone)) ctx.addIssue({ code: 'custom', message: `unknown time zone "${timeZone}"; use an IANA name such as Europe/Berlin` });
    }),
    /** Open hours per weekday; a weekday left out or given `[]` is closed. */
    weekly: weeklySchema,
    /** Dates closed all day (local dates, `YYYY-MM-DD`). */
    holidays: z.array(dateSchema).default([]),
    /** A country's (state's, region's) public holidays, closed all day. */
    publicHolidays: publicHolidaysSchema.optional(),
    /** Dates with their own hours instead of the weekday's (`[]`: closed); they win over public holidays. */
    overrides: overridesSchema.default({}),
  })
  .superRefine((config, ctx) => {
    const holidays = new Set(config.holidays);
    for (const date of Object.keys(config.overrides)) {
      if (holidays.has(date)) {
        ctx.addIssue({ code: 'custom', path: ['overrides', date], message: `${date} is also listed in holidays; keep one of the two` });
      }
    }
    const weeklyOpen = WEEKDAYS.some((weekday) => (config.weekly[weekday]?.length ?? 0) > 0);
    const overrideOpen = Object.values(config.overrides).some((shifts) => shifts.length > 0);
    if (!weeklyOpen && !overrideOpen) {
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'is closed every day; a business calendar needs some open hours' });
    }
  });

/**
 * A business calendar's configuration as written (input of {@link businessCalendarConfigSchema}).
 *
 * @example
 * ```ts
 * import type { BusinessCalendarConfig } from '@leadline/core';
 *
 * const emea: BusinessCalendarConfig = {
 *   name: 'emea',
 *   timeZone: 'Europe/Berlin',
 *   weekly: { mon: ['09:00-12:00', '13:00-17:30'], tue: ['09:00-17:30'] },
 *   publicHolidays: { country: 'DE', state: 'BY' },
 * };
 * ```
 */
export type BusinessCalendarConfig = z.input<typeof businessCalendarConfigSchema>;

/**
 * A validated configuration, defaults filled in.
 *
 * @example
 * ```ts
 * import { businessCalendarConfigSchema, type ParsedCalendarConfig } from '@leadline/core';
 *
 * const parsed: ParsedCalendarConfig = businessCalendarConfigSchema.parse({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } });
 * parsed.holidays; // [] when none were given
 * ```
 */
export type ParsedCalendarConfig = z.output<typeof businessCalendarConfigSchema>;
