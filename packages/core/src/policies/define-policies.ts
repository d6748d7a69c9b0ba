/**
 * Builds a whole policy set from its declarative config: the business calendars first, then each
 * built-in policy from its section, counting in those calendars. Any section may instead hold a policy
 * already built (a built-in one, or a custom object implementing the interface), which is kept as is, so
 * custom and configured policies mix. Every problem in every section is collected before anything is
 * thrown, so a bad config fails once, naming them all.
 *
 * @module
 */
import { alwaysOpen, type BusinessCalendar, defineCalendar, isBusinessCalendar } from '../calendar/business-calendar.js';
import { isOpen } from '../calendar/business-time.js';
import type { BusinessCalendarConfig } from '../calendar/calendar-config.js';
import { ConfigError, type Problem } from '../errors.js';
import { RESERVED_KEYS } from '../limits.js';
import { type NotificationRoutes, type NotificationRoutesConfig, notificationRoutesSchema } from '../notify/routes.js';
import { problemsOf, reservedKeyProblems } from '../validation.js';
import { type CadencePolicyConfig, cadencePolicy } from './cadence-policy.js';
import { calendarClock } from './calendar-clock.js';
import { type CentralQualificationConfig, centralQualification } from './central-qualification.js';
import { policyConfigSchema } from './policy-config.js';
import { type RecyclePolicyConfig, recyclePolicy } from './recycle-policy.js';
import { type RoutingPolicyConfig, routingPolicy, type WorkingHours } from './routing-policy.js';
import { type SlaPolicyConfig, slaPolicy } from './sla-policy.js';
import type { CadencePolicy, LeadPolicies, QualificationPolicy, RecyclePolicy, RoutingPolicy, SlaPolicy, WorkingClock } from './types.js';

const SUBJECT = 'policy config';

/**
 * What {@link definePolicies} accepts: the JSON config ({@link PolicyConfig}), where any section may
 * instead be a built policy, and any calendar a built calendar.
 *
 * @example
 * ```ts
 * import type { PolicyInput } from '@leadline/core';
 *
 * const input: PolicyInput = {
 *   calendars: { emea: { timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'] } } },
 *   sla: { slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '8h', clock: 'emea' }] },
 *   routing: { name: 'ann', route: () => ({ owner: 'ann', reason: 'Ann takes everything' }) },
 * };
 * ```
 */
export interface PolicyInput {
  /** Business calendars by name; a config's `name` defaults to its key. */
  calendars?: Record<string, BusinessCalendarConfig | BusinessCalendar>;
  sla?: SlaPolicyConfig | SlaPolicy;
  routing?: RoutingPolicyConfig | RoutingPolicy;
  recycle?: RecyclePolicyConfig | RecyclePolicy;
  qualification?: CentralQualificationConfig | QualificationPolicy;
  cadence?: CadencePolicyConfig | CadencePolicy;
  /**
   * Notification routes that belong with these policies (a preset's, such as the qualification SLA's
   * alerts to `team:qualification`). They travel in the result to the engine, whose own
   * `notificationRoutes` replace them kind by kind.
   */
  notificationRoutes?: NotificationRoutesConfig;
}

/**
 * The policy set for an engine, with the calendars it was built with (for reps, leads and reports that
 * name them), and the notification routes that came with the config, if any. The routes stay in the
 * policies on purpose: `createEngine({ policies })` picks them up, so a preset's routes cannot be lost
 * by forgetting to pass them on.
 *
 * @example
 * ```ts
 * import { createEngine, type DefinedPolicies, definePolicies } from '@leadline/core';
 *
 * const config = JSON.parse('{ "sla": { "slas": [{ "name": "first_touch", "startsOn": "captured", "endsOn": ["touch.logged"], "within": "5m" }] } }');
 * const { calendars, ...policies }: DefinedPolicies = definePolicies(config);
 * createEngine({ policies }); // policies.notificationRoutes included
 * ```
 */
export type DefinedPolicies = LeadPolicies & { calendars: Record<string, BusinessCalendar>; notificationRoutes?: NotificationRoutes };

type PolicySection = 'sla' | 'routing' | 'recycle' | 'qualification' | 'cadence';
const POLICY_SECTIONS: readonly PolicySection[] = ['sla', 'routing', 'recycle', 'qualification', 'cadence'];

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * A section holding a function is a built policy: JSON has no functions. Methods of a class instance
 * live on its prototype, hence the walk up the chain.
 */
function isBuilt(value: unknown): boolean {
  for (let level = objectOf(value); level && level !== Object.prototype; level = objectOf(Object.getPrototypeOf(level))) {
    for (const key of Object.getOwnPropertyNames(level)) {
      if (typeof Object.getOwnPropertyDescriptor(level, key)?.value === 'function') return true;
    }
  }
  return false;
}

/** The calendar, or `undefined` when its config is invalid (the policy config's parse names why). */
function compileCalendar(name: string, config: unknown): BusinessCalendar | undefined {
  const fields = objectOf(config);
  if (!fields) return undefined;
  try {
    return defineCalendar({ ...fields, name: fields.name ?? name } as BusinessCalendarConfig);
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

/** Runs a factory; its `ConfigError` joins `problems` with paths under `section`, instead of stopping the others. */
function collect<T>(section: string, problems: Problem[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) problems.push({ ...problem, path: [section, ...problem.path] });
    return undefined;
  }
}

/**
 * Validates and builds a whole policy set. Calendars are compiled with `defineCalendar`; SLAs count in
 * them by name (`clock`), and routing sees their open hours for reps that name them. A section that
 * holds a built policy (any object with a function member) is kept untouched.
 *
 * @throws ConfigError listing every problem of every section at once, each with its full path, for
 *   example `['calendars', 'emea', 'weekly', 'mon', 1]` or `['sla', 'slas', 0, 'clock']`.
 * @example
 * ```ts
 * import { createEngine, definePolicies } from '@leadline/core';
 *
 * const { calendars, ...policies } = definePolicies({
 *   calendars: {
 *     emea: { timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-12:00', '13:00-17:00'], tue: ['09:00-17:00'] }, publicHolidays: { country: 'DE', state: 'BY' } },
 *   },
 *   sla: { slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '8h', clock: 'emea' }] },
 *   routing: { pools: [{ name: 'dach', reps: ['ann', 'bob'] }] },
 *   recycle: { reasons: { not_ready: { recheck: ['90d'] }, no_response: { recheck: ['90d'] } } },
 * });
 * const engine = createEngine({ policies });
 * ```
 */
export function definePolicies(input: PolicyInput): DefinedPolicies {
  const raw = objectOf(input);
  if (!raw) {
    const parsed = policyConfigSchema.safeParse(input);
    throw new ConfigError(SUBJECT, parsed.success ? [] : problemsOf(parsed.error));
  }

  // Built parts leave the JSON before it is validated: a built calendar by its config (so that clocks
  // naming it still resolve), a built policy entirely.
  const given: Record<string, BusinessCalendar> = {};
  const rawCalendars = objectOf(raw.calendars);
  const calendarConfigs: Record<string, unknown> = {};
  for (const [name, calendar] of Object.entries(rawCalendars ?? {})) {
    // A reserved name is reported below; as a key here it would replace the object's prototype.
    if (RESERVED_KEYS.includes(name)) continue;
    if (isBusinessCalendar(calendar)) given[name] = calendar;
    calendarConfigs[name] = isBusinessCalendar(calendar) ? calendar.config : calendar;
  }
  const json: Record<string, unknown> = { ...raw, ...(rawCalendars ? { calendars: calendarConfigs } : {}) };
  const built: LeadPolicies = {};
  for (const section of POLICY_SECTIONS) {
    if (!isBuilt(raw[section])) continue;
    Object.assign(built, { [section]: raw[section] });
    delete json[section];
  }

  // Routes are not a policy and not part of the JSON policy config; they are checked on their own.
  delete json.notificationRoutes;

  const problems: Problem[] = [];
  const parsed = policyConfigSchema.safeParse(json);
  if (!parsed.success) problems.push(...problemsOf(parsed.error));
  const named = new Set(problems.map((problem) => JSON.stringify(problem.path)));
  for (const problem of reservedKeyProblems(raw)) if (!named.has(JSON.stringify(problem.path))) problems.push(problem);
  const routes = raw.notificationRoutes === undefined ? undefined : notificationRoutesSchema.safeParse(raw.notificationRoutes);
  if (routes && !routes.success) for (const problem of problemsOf(routes.error)) problems.push({ ...problem, path: ['notificationRoutes', ...problem.path] });

  // An invalid calendar stands in as always open (its problems are already listed), so that sections
  // naming it are still checked; their results are thrown away with the error.
  const calendars: Record<string, BusinessCalendar> = {};
  for (const [name, config] of Object.entries(calendarConfigs)) calendars[name] = given[name] ?? compileCalendar(name, config) ?? alwaysOpen;

  if (problems.length > 0) throw new ConfigError(SUBJECT, problems);

  const clocks: Record<string, WorkingClock> = {};
  const hours: Record<string, WorkingHours> = {};
  for (const [name, calendar] of Object.entries(calendars)) {
    clocks[name] = calendarClock(calendar);
    hours[name] = { isOpen: (at) => isOpen(calendar, at) };
  }
  const fromSection = <C, P>(section: PolicySection, build: (config: C) => P): P | undefined =>
    json[section] === undefined ? undefined : collect(section, problems, () => build(json[section] as C));
  const sla = built.sla ?? fromSection('sla', (section: SlaPolicyConfig) => slaPolicy(section, clocks));
  const routing = built.routing ?? fromSection('routing', (section: RoutingPolicyConfig) => routingPolicy(section, hours));
  const recycle = built.recycle ?? fromSection('recycle', recyclePolicy);
  const qualification = built.qualification ?? fromSection('qualification', centralQualification);
  const cadence = built.cadence ?? fromSection('cadence', (section: CadencePolicyConfig) => cadencePolicy(section, calendars));
  // The schema has checked every section already; a factory refusing one here would be a gap in it.
  if (problems.length > 0) throw new ConfigError(SUBJECT, problems);

  return {
    calendars,
    ...(sla && { sla }),
    ...(cadence && { cadence }),
    ...(recycle && { recycle }),
    ...(routing && { routing }),
    ...(qualification && { qualification }),
    ...(routes?.success && { notificationRoutes: routes.data as NotificationRoutes }),
  };
}
