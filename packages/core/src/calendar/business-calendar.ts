/**
 * Business calendars: when a team, a rep or a lead counts as reachable. A calendar is a value built
 * once from its config by {@link defineCalendar} and passed around; business-time arithmetic
 * (business-time.ts) asks it for one local day at a time.
 *
 * @module
 */
import { DAY } from '../time/duration.js';
import { parseConfig } from '../validation.js';
import { type BusinessCalendarConfig, businessCalendarConfigSchema, type ParsedCalendarConfig } from './calendar-config.js';
import { publicHolidayLookup } from './holidays.js';
import { dateOfDayNumber, WEEKDAYS, weekdayOf } from './local-date.js';
import { buildOpenDay, type OpenDay } from './open-day.js';
import { type Shift, shiftsOf } from './shift.js';
import { offsetAt } from './time-zone.js';

/**
 * A compiled business calendar. Plain data to its users (`name`, `timeZone`, `config`); the days it
 * builds are cached inside it, so keep and reuse one calendar per config rather than rebuilding it per
 * call.
 *
 * @example
 * ```ts
 * const emea = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } });
 * addBusinessTime(emea, Date.parse('2026-03-02T15:00Z'), 2 * HOUR); // Date.parse('2026-03-09T09:00Z'): 1h this Monday, 1h the next
 * ```
 */
export interface BusinessCalendar {
  /** How history entries name the calendar, e.g. `emea`. */
  readonly name: string;
  /** IANA time zone of its wall-clock hours. */
  readonly timeZone: string;
  /** The validated configuration: store it with a lead or a team and rebuild with {@link defineCalendar}. */
  readonly config: ParsedCalendarConfig;
  /**
   * The local date numbered `dayNumber` (days since 1970-01-01) with its open intervals as instants.
   * Built on first use, then cached.
   */
  openDay(dayNumber: number): OpenDay;
  /** The local date that contains `instant` (epoch ms). */
  openDayAt(instant: number): OpenDay;
}

/**
 * How many built days a calendar keeps: eleven years of dates, far more than live leads need, yet a
 * bound, so that a long-running process asked about arbitrary dates cannot grow without limit.
 */
const CACHED_DAYS = 4096;

/** A fixed reference instant (2026-01-01Z) for the first guess of a zone's offset; never "now". */
const REFERENCE_INSTANT = 1_767_225_600_000;

class CompiledCalendar implements BusinessCalendar {
  readonly name: string;
  readonly timeZone: string;
  readonly config: ParsedCalendarConfig;
  readonly #weekly: readonly (readonly Shift[])[];
  readonly #holidays: ReadonlySet<string>;
  readonly #overrides: ReadonlyMap<string, readonly Shift[]>;
  readonly #isPublicHoliday: ((date: string) => boolean) | undefined;
  readonly #days = new Map<number, OpenDay>();
  /** Offset seen at the last look-up: the next instant asked about is usually in the same season. */
  #offsetGuess: number;

  constructor(config: ParsedCalendarConfig) {
    // A private, frozen copy: the hours the calendar answers with and the config it reports can never
    // drift apart, whatever the caller later does to the object it passed in.
    this.config = deepFreeze(structuredClone(config));
    this.name = config.name ?? config.timeZone;
    this.timeZone = config.timeZone;
    this.#weekly = WEEKDAYS.map((weekday) => shiftsOf(config.weekly[weekday] ?? []));
    this.#holidays = new Set(config.holidays);
    this.#overrides = new Map(Object.entries(config.overrides).map(([date, texts]) => [date, shiftsOf(texts)]));
    this.#isPublicHoliday = config.publicHolidays ? publicHolidayLookup(config.publicHolidays) : undefined;
    this.#offsetGuess = offsetAt(config.timeZone, REFERENCE_INSTANT);
  }

  openDay(dayNumber: number): OpenDay {
    const cached = this.#days.get(dayNumber);
    if (cached) return cached;
    const date = dateOfDayNumber(dayNumber);
    const day = buildOpenDay(this.timeZone, dayNumber, date, this.#shiftsOn(dayNumber, date));
    // First in, first out: cheaper on the hot path than a true LRU, and days are asked for in rough
    // time order anyway.
    if (this.#days.size >= CACHED_DAYS) this.#days.delete(this.#days.keys().next().value as number);
    this.#days.set(dayNumber, day);
    return day;
  }

  openDayAt(instant: number): OpenDay {
    let day = this.openDay(Math.floor((instant + this.#offsetGuess) / DAY));
    while (instant < day.start) day = this.openDay(day.number - 1);
    while (instant >= day.end) day = this.openDay(day.number + 1);
    this.#offsetGuess = day.number * DAY - day.start;
    return day;
  }

  /** An override is the most specific word about a date, so it wins; then holidays; then the weekday. */
  #shiftsOn(dayNumber: number, date: string): readonly Shift[] {
    const override = this.#overrides.get(date);
    if (override) return override;
    if (this.#holidays.has(date) || this.#isPublicHoliday?.(date)) return [];
    return this.#weekly[weekdayOf(dayNumber)] ?? [];
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a calendar config and compiles it.
 *
 * @throws ConfigError listing every problem with its path (a reversed or overlapping shift, an unknown
 *   time zone, a date that does not exist, an unknown holiday region, a calendar that never opens).
 * @example
 * ```ts
 * const emea = defineCalendar({
 *   name: 'emea',
 *   timeZone: 'Europe/Berlin',
 *   weekly: { mon: ['09:00-12:00', '13:00-17:30'], tue: ['09:00-17:30'], wed: ['09:00-17:30'], thu: ['09:00-17:30'], fri: ['09:00-15:00'] },
 *   holidays: ['2026-12-24'],
 *   publicHolidays: { country: 'DE', state: 'BY' },
 *   overrides: { '2026-12-31': ['09:00-12:00'] },
 * });
 * ```
 */
export function defineCalendar(config: BusinessCalendarConfig): BusinessCalendar {
  return new CompiledCalendar(parseConfig(businessCalendarConfigSchema, config, 'business calendar config'));
}

/**
 * Whether `value` is a calendar built by {@link defineCalendar} (as opposed to a config).
 *
 * @example
 * ```ts
 * isBusinessCalendar(alwaysOpen); // true
 * isBusinessCalendar({ timeZone: 'UTC', weekly: {} }); // false
 * ```
 */
export function isBusinessCalendar(value: unknown): value is BusinessCalendar {
  return value instanceof CompiledCalendar;
}

/**
 * Accepts either a built calendar (returned as is) or a config (built), so that a lead, a rep or a
 * team can carry whichever form it has.
 *
 * @throws ConfigError when given an invalid config.
 * @example
 * ```ts
 * const calendar = calendarFrom(rep.calendar ?? team.calendar ?? alwaysOpen);
 * ```
 */
export function calendarFrom(calendarOrConfig: BusinessCalendar | BusinessCalendarConfig): BusinessCalendar {
  return isBusinessCalendar(calendarOrConfig) ? calendarOrConfig : defineCalendar(calendarOrConfig);
}

const ALL_DAY = ['00:00-24:00'];

/**
 * The 24/7 calendar in UTC, for policies that count calendar time: business time equals elapsed time.
 *
 * @example
 * ```ts
 * addBusinessTime(alwaysOpen, Date.parse('2026-03-07T22:00Z'), 5 * HOUR); // Date.parse('2026-03-08T03:00Z')
 * ```
 */
export const alwaysOpen: BusinessCalendar = /* @__PURE__ */ defineCalendar({
  name: 'always open',
  timeZone: 'UTC',
  weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
});
