/**
 * Business calendars: when a team, a rep or a lead counts as reachable. A calendar is a value built
 * once from its config by {@link defineCalendar} and passed around; business-time arithmetic
 * (business-time.ts) asks it for one local day at a time.
 *
 * @module
 */
import { DAY, MINUTE } from '../time/duration.js';
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
 * import { addBusinessTime, defineCalendar, HOUR } from '@leadline/core';
 *
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
  /**
   * The seven local dates from `firstDay` counted at once, without building them: their open time and
   * the first and last of them that open; `undefined` when the zone's offset changes among them (then
   * ask day by day). Business-time arithmetic uses it to count long durations a week at a time, and walks
   * day by day without it.
   */
  openWeek?(firstDay: number): OpenWeek | undefined;
}

/**
 * Seven consecutive local dates of a calendar, counted at once by {@link BusinessCalendar.openWeek}.
 *
 * @example
 * ```ts
 * import { defineCalendar } from '@leadline/core';
 * import { dayNumberOf } from './local-date.js';
 *
 * const mondays = defineCalendar({ name: 'mondays', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } });
 * mondays.openWeek?.(dayNumberOf('2026-03-02')); // { openMs: 28_800_000, firstOpenDay: 20514, lastOpenDay: 20514 }
 * ```
 */
export interface OpenWeek {
  /** Open time of the seven dates, in ms. */
  readonly openMs: number;
  /** The day number of the first of them with open hours; `undefined` when all seven are closed. */
  readonly firstOpenDay: number | undefined;
  /** The day number of the last of them with open hours; `undefined` when all seven are closed. */
  readonly lastOpenDay: number | undefined;
}

/**
 * How many built days a calendar keeps: eleven years of dates, far more than live leads need, yet a
 * bound, so that a long-running process asked about arbitrary dates cannot grow without limit.
 */
const CACHED_DAYS = 4096;

/** How far apart a calendar reads its zone's offset when it counts whole weeks: two days. */
const OFFSET_READING_STEP = 2 * DAY;

/** How many counted weeks a calendar keeps: twenty years of them, the longest question's span twice. */
const CACHED_WEEKS = 1024;

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
  /** Weeks counted at once, by their first day; `null` for a week the zone changes its offset in. */
  readonly #weeks = new Map<number, OpenWeek | null>();
  /** The zone's offset at each step of the two-day grid, as read. */
  readonly #offsetReadings = new Map<number, number>();
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

  openWeek(firstDay: number): OpenWeek | undefined {
    const cached = this.#weeks.get(firstDay);
    if (cached !== undefined) return cached ?? undefined;
    const week = this.#countWeek(firstDay);
    if (this.#weeks.size >= CACHED_WEEKS) this.#weeks.delete(this.#weeks.keys().next().value as number);
    this.#weeks.set(firstDay, week ?? null);
    return week;
  }

  #countWeek(firstDay: number): OpenWeek | undefined {
    let openMs = 0;
    let firstOpenDay: number | undefined;
    let lastOpenDay: number | undefined;
    for (let dayNumber = firstDay; dayNumber < firstDay + 7; dayNumber++) {
      let wallMs = 0;
      for (const shift of this.#shiftsOn(dayNumber, dateOfDayNumber(dayNumber))) wallMs += (shift.to - shift.from) * MINUTE;
      if (wallMs === 0) continue;
      openMs += wallMs;
      firstOpenDay ??= dayNumber;
      lastOpenDay = dayNumber;
    }
    // Wall-clock hours are real hours while the offset holds (a closed week needs no offset at all);
    // a week with a DST change is left to the day-by-day walk, which resolves its gap or repeat.
    if (openMs > 0 && !this.#steadyBetween((firstDay - 1) * DAY, (firstDay + 8) * DAY)) return undefined;
    return { openMs, firstOpenDay, lastOpenDay };
  }

  /**
   * Whether the zone keeps one offset from `from` to `to` (a day around every instant of a week's local
   * days, in any zone). The offset is read every `OFFSET_READING_STEP` (two days) on a fixed grid, each reading
   * kept, so that consecutive weeks share theirs. A change and back between two readings would go unseen;
   * in the time zone database consecutive changes are a week apart at the closest, from 1970 to 2210
   * (Brazil's north-east in October 2000, Gaza and Hebron around Ramadan from 2040).
   */
  #steadyBetween(from: number, to: number): boolean {
    const first = Math.floor(from / OFFSET_READING_STEP);
    const offset = this.#offsetReading(first);
    for (let step = first + 1; step * OFFSET_READING_STEP < to + OFFSET_READING_STEP; step++) {
      if (this.#offsetReading(step) !== offset) return false;
    }
    return true;
  }

  #offsetReading(step: number): number {
    let offset = this.#offsetReadings.get(step);
    if (offset === undefined) {
      offset = offsetAt(this.timeZone, step * OFFSET_READING_STEP);
      if (this.#offsetReadings.size >= CACHED_DAYS) this.#offsetReadings.delete(this.#offsetReadings.keys().next().value as number);
      this.#offsetReadings.set(step, offset);
    }
    return offset;
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
 * import { defineCalendar } from '@leadline/core';
 *
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
 * import { alwaysOpen, isBusinessCalendar } from '@leadline/core';
 *
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
 * import { alwaysOpen, type BusinessCalendarConfig, calendarFrom } from '@leadline/core';
 *
 * const repCalendar: BusinessCalendarConfig | undefined = { name: 'ann', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } };
 * const calendar = calendarFrom(repCalendar ?? alwaysOpen); // a config is compiled, a calendar taken as it is
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
 * import { addBusinessTime, alwaysOpen, HOUR } from '@leadline/core';
 *
 * addBusinessTime(alwaysOpen, Date.parse('2026-03-07T22:00Z'), 5 * HOUR); // Date.parse('2026-03-08T03:00Z')
 * ```
 */
export const alwaysOpen: BusinessCalendar = /* @__PURE__ */ defineCalendar({
  name: 'always open',
  timeZone: 'UTC',
  weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
});
