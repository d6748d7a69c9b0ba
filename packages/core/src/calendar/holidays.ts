/**
 * The bridge to the `date-holidays` package: which dates are public holidays in a country, state or
 * region. Only holidays of type `public` close a calendar's day; bank holidays, observances, school and
 * optional holidays do not (a sales team usually works on them). A public holiday closes the whole
 * local date it falls on, including the substitute days the package lists (US Independence Day
 * observed on Friday 2026-07-03), even when it officially begins at noon or on the eve at sunset (a
 * calendar's days are open or closed as a whole). A holiday lasting several days (Russia's New Year
 * holidays, Eid in many countries) closes as many consecutive dates from its own date.
 *
 * @module
 */
import Holidays from 'date-holidays';
import { DAY } from '../time/duration.js';
import { dateOfDayNumber, dayNumberOf } from './local-date.js';

/**
 * Where public holidays come from: an ISO 3166 country code and optionally a state and a region, as
 * `date-holidays` names them.
 *
 * @example
 * ```ts
 * import type { PublicHolidayRegion } from './holidays.js';
 *
 * const bavaria: PublicHolidayRegion = { country: 'DE', state: 'BY' };
 * ```
 */
export interface PublicHolidayRegion {
  /** ISO 3166-1 alpha-2 country code, e.g. `DE`, `US`. */
  readonly country: string;
  /** State (ISO 3166-2 subdivision) code within the country, e.g. `BY` for Bavaria. */
  readonly state?: string | undefined;
  /** Region code within the state, as `date-holidays` names it. */
  readonly region?: string | undefined;
}

/** The package's list of countries, states and regions, loaded on the first check and kept: it never changes. */
let catalog: Holidays | undefined;
let countries: Record<string, string> | undefined;
const statesByCountry = new Map<string, Record<string, string>>();

/**
 * What is wrong with a region, each problem keyed by the field it concerns (empty when the region is
 * known to `date-holidays`).
 *
 * @example
 * ```ts
 * import { publicHolidayRegionProblems } from './holidays.js';
 *
 * publicHolidayRegionProblems({ country: 'DE', state: 'ZZ' }); // [{ field: 'state', message: 'DE has no state "ZZ"; ...' }]
 * ```
 */
export function publicHolidayRegionProblems(region: PublicHolidayRegion): { field: keyof PublicHolidayRegion; message: string }[] {
  catalog ??= new Holidays();
  countries ??= catalog.getCountries();
  if (!Object.hasOwn(countries, region.country)) {
    return [{ field: 'country', message: `unknown country "${region.country}"; use an ISO 3166 code such as DE or US` }];
  }
  if (region.state === undefined) {
    return region.region === undefined ? [] : [{ field: 'region', message: 'a region needs its state' }];
  }
  let states = statesByCountry.get(region.country);
  if (!states) {
    states = catalog.getStates(region.country) ?? {};
    statesByCountry.set(region.country, states);
  }
  if (!Object.hasOwn(states, region.state)) {
    const known = Object.keys(states);
    const hint = known.length > 0 ? `; known states: ${known.join(', ')}` : '';
    return [{ field: 'state', message: `${region.country} has no state "${region.state}"${hint}` }];
  }
  if (region.region !== undefined && !Object.hasOwn(catalog.getRegions(region.country, region.state) ?? {}, region.region)) {
    return [{ field: 'region', message: `${region.country}-${region.state} has no region "${region.region}"` }];
  }
  return [];
}

/**
 * Returns a test for a region's public holidays: is this `YYYY-MM-DD` local date closed? Each year is
 * computed on first use and kept, since `date-holidays` evaluates its rules on every call; the year
 * before is computed too, because a holiday lasting several days may run into the next year. Holiday
 * rules are fixed data, so the memo is shared by every calendar of the region.
 *
 * @example
 * ```ts
 * import { publicHolidayLookup } from './holidays.js';
 *
 * const isPublicHoliday = publicHolidayLookup({ country: 'DE', state: 'BY' });
 * isPublicHoliday('2026-12-25'); // true
 * ```
 */
export function publicHolidayLookup(region: PublicHolidayRegion): (date: string) => boolean {
  // One look-up per region for the whole process: calendars rebuilt from the same config (one per lead,
  // say) share the years already computed instead of paying date-holidays again.
  const key = `${region.country}/${region.state ?? ''}/${region.region ?? ''}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = createLookup(region);
    lookups.set(key, lookup);
  }
  return lookup;
}

const lookups = new Map<string, (date: string) => boolean>();

function createLookup(region: PublicHolidayRegion): (date: string) => boolean {
  let source: Holidays | undefined;
  const yearsDone = new Set<number>();
  const closed = new Set<string>();
  const addYear = (year: number) => {
    if (yearsDone.has(year)) return;
    yearsDone.add(year);
    source ??= new Holidays({ country: region.country, state: region.state, region: region.region }, { types: ['public'] });
    for (const holiday of source.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      // `date` starts with the holiday's own local date ("2026-12-25 00:00:00", or "2026-03-20
      // 00:00:00 -0600" for one that begins on the eve), independent of the process's time zone,
      // unlike `start`. Its length in whole days comes from start/end; rounding absorbs DST hours
      // and half days.
      const first = dayNumberOf(holiday.date.slice(0, 10));
      const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY));
      for (let day = first; day < first + days; day++) closed.add(dateOfDayNumber(day));
    }
  };
  return (date) => {
    const year = Number(date.slice(0, 4));
    addYear(year - 1);
    addYear(year);
    return closed.has(date);
  };
}
