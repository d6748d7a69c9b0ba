/**
 * The declarative form of a whole policy set: one JSON document that names the business calendars and
 * configures every built-in policy, validated by one zod schema. It is what a non-developer edits (with
 * the JSON Schema from `policyJsonSchema` for completion) and what `definePolicies` builds.
 *
 * ```json
 * {
 *   "calendars": { "emea": { "timeZone": "Europe/Berlin", "weekly": { "mon": ["09:00-12:00", "13:00-17:00"] } } },
 *   "sla": { "slas": [{ "name": "follow_up", "startsOn": "assigned", "endsOn": ["touch.logged"], "within": "8h", "clock": "emea" }] },
 *   "routing": { "pools": [{ "name": "everyone", "reps": "directory" }] },
 *   "recycle": { "reasons": { "not_ready": { "recheck": ["90d"] }, "no_response": { "recheck": ["90d"] } } },
 *   "qualification": { "sources": ["event"] }
 * }
 * ```
 *
 * @module
 */
import { z } from 'zod';
import { businessCalendarConfigSchema } from '../calendar/calendar-config.js';
import { cadencePolicyConfigSchema } from './cadence-policy.js';
import { centralQualificationConfigSchema } from './central-qualification.js';
import { recyclePolicyConfigSchema } from './recycle-policy.js';
import { routingPolicyConfigSchema } from './routing-policy.js';
import { slaPolicyConfigSchema } from './sla-policy.js';

/** The clock name an SLA uses for plain elapsed time, so no calendar may take it. */
const CALENDAR_TIME = 'calendar';

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * zod schema of a whole policy set ({@link PolicyConfig}). Each section is the schema of its built-in
 * policy, so a section means exactly what it means to the factory. Across sections it checks that every
 * SLA `clock` names `calendar` or a key of `calendars`; that check runs even when other parts are
 * invalid, so one parse names every problem at its exact path.
 *
 * The cadence's `clock` is checked the same way.
 *
 * Routing cannot be cross-checked here: reps name their calendars in the rep directory, not in this
 * config, so `definePolicies` hands routing the working hours of every calendar.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { policyConfigSchema } from '@leadline/core';
 *
 * const result = policyConfigSchema.safeParse(JSON.parse(readFileSync('leadline-policies.json', 'utf8')));
 * if (!result.success) console.error(result.error.issues.map((issue) => issue.path.join('.')));
 * ```
 */
export const policyConfigSchema = z
  .strictObject({
    calendars: z
      .record(z.string().min(1), businessCalendarConfigSchema)
      .optional()
      .describe('Business calendars by name; an SLA clock or a rep names one. The name defaults to the key.'),
    sla: slaPolicyConfigSchema.optional().describe('The SLAs a lead gets: targets, clocks, warnings and escalations (slaPolicy).'),
    routing: routingPolicyConfigSchema.optional().describe('Who owns a lead: pools of reps, methods, capacity and working hours (routingPolicy).'),
    recycle: recyclePolicyConfigSchema.optional().describe('Hand-back reasons, nurture periods, re-checks and re-engagement (recyclePolicy).'),
    qualification: centralQualificationConfigSchema.optional().describe('Which leads pass central qualification first (centralQualification).'),
    cadence: cadencePolicyConfigSchema.optional().describe('The follow-up touches: steps, send window, minimum touches, stops (cadencePolicy).'),
  })
  .superRefine(
    (config, ctx) => {
      // `config` may be partly invalid here (see `when` below), so every read is defensive.
      const calendars = objectOf(objectOf(config)?.calendars) ?? {};
      const names = Object.keys(calendars);
      if (names.includes(CALENDAR_TIME)) {
        ctx.addIssue({
          code: 'custom',
          path: ['calendars', CALENDAR_TIME],
          message: `"${CALENDAR_TIME}" is the name of plain calendar time; name the calendar differently`,
        });
      }
      const cadenceClock = objectOf(objectOf(config)?.cadence)?.clock;
      if (typeof cadenceClock === 'string' && cadenceClock.length > 0 && cadenceClock !== CALENDAR_TIME && !names.includes(cadenceClock)) {
        ctx.addIssue({ code: 'custom', path: ['cadence', 'clock'], message: `names no calendar; known: ${[CALENDAR_TIME, ...names].join(', ')}` });
      }
      const slas = objectOf(objectOf(config)?.sla)?.slas;
      if (!Array.isArray(slas)) return;
      slas.forEach((sla, index) => {
        const clock = objectOf(sla)?.clock;
        if (typeof clock === 'string' && clock.length > 0 && clock !== CALENDAR_TIME && !names.includes(clock)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sla', 'slas', index, 'clock'],
            message: `names no calendar; known: ${[CALENDAR_TIME, ...names.filter((name) => name !== CALENDAR_TIME)].join(', ')}`,
          });
        }
      });
    },
    // Run even when a section failed, so a bad calendar and a dangling clock are reported together.
    { when: () => true },
  );

/**
 * A whole policy set as written: the JSON form (input of {@link policyConfigSchema}).
 *
 * @example
 * ```ts
 * import type { PolicyConfig } from '@leadline/core';
 *
 * const config: PolicyConfig = {
 *   calendars: { emea: { timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'] } } },
 *   sla: { slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '8h', clock: 'emea' }] },
 * };
 * ```
 */
export type PolicyConfig = z.input<typeof policyConfigSchema>;
