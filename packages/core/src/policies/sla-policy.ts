/**
 * The built-in SLA policy: several SLAs per lead, each starting on a trigger and met by given events,
 * with a target chosen by rules on the lead's fields, counted in calendar time or a business calendar,
 * an optional warning, and an escalation chain (notify the owner, notify the manager, reassign, mark the
 * rep unavailable), each step at its own offset from the SLA's start.
 *
 * @module
 */
import { z } from 'zod';
import { ESCALATION_ACTIONS, ESCALATION_WORDS, type LeadContext, type SlaRecord } from '../lead/context.js';
import { formatDuration, HOUR } from '../time/duration.js';
import { parseConfig } from '../validation.js';
import { calendarTime } from './calendar-time.js';
import { durationSchema } from './duration-config.js';
import { unreachableIn } from './duration-reach.js';
import { leadConditionSchema, matchesCondition } from './lead-condition.js';
import type { SlaPolicy, WorkingClock } from './types.js';

const positive = durationSchema.refine((ms) => ms > 0, 'must be longer than zero');

const targetRuleSchema = z.strictObject({
  /** Conditions on the lead's captured fields (see `leadConditionSchema`); all given ones must hold. */
  when: leadConditionSchema.prefault({}),
  within: positive,
});

const escalationSchema = z.strictObject({
  /** Offset from the SLA's start, in the SLA's clock. */
  after: durationSchema,
  action: z.enum(ESCALATION_ACTIONS),
  /** For `reassign`: how many of the lead's latest owners besides the current one not to pick. */
  avoidLast: z.number().int().min(0).default(2),
});

const slaSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, like first_touch'),
  startsOn: z.enum(['captured', 'qualified', 'assigned', 'replied']),
  endsOn: z.array(z.enum(['touch.logged', 'lead.qualified', 'lead.assigned', 'prospect.replied', 'meeting.booked'])).min(1, 'needs at least one event'),
  /** The target when no rule matches; leave out to start the SLA only for leads a rule matches. */
  within: positive.optional(),
  targets: z.array(targetRuleSchema).default([]),
  /** `calendar`, or the name of a business calendar. */
  clock: z.string().min(1).default('calendar'),
  /** Warn at a share of the target (`'80%'`) or at an offset from the start (`'4m'`). */
  warnAt: z.union([z.string().regex(/^\d{1,2}%$/, 'a share such as 80%'), durationSchema]).optional(),
  escalations: z.array(escalationSchema).default([]),
});

/**
 * zod schema of the options of {@link slaPolicy}.
 *
 * @example
 * ```ts
 * import { slaPolicyConfigSchema } from '@leadline/core';
 *
 * slaPolicyConfigSchema.safeParse({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h' }] });
 * ```
 */
export const slaPolicyConfigSchema = z.strictObject({ slas: z.array(slaSchema).min(1, 'needs at least one SLA') }).superRefine((config, ctx) => {
  const seen = new Set<string>();
  config.slas.forEach((sla, index) => {
    if (seen.has(sla.name)) ctx.addIssue({ code: 'custom', path: ['slas', index, 'name'], message: `"${sla.name}" is defined twice` });
    seen.add(sla.name);
    if (sla.within === undefined && sla.targets.length === 0)
      ctx.addIssue({ code: 'custom', path: ['slas', index, 'within'], message: 'needs a target: within, or targets' });
    let last = -1;
    sla.escalations.forEach((step, stepIndex) => {
      if (step.after < last)
        ctx.addIssue({ code: 'custom', path: ['slas', index, 'escalations', stepIndex, 'after'], message: 'must not come before the previous step' });
      last = step.after;
    });
  });
});

/** Options of {@link slaPolicy}. */
export type SlaPolicyConfig = z.input<typeof slaPolicyConfigSchema>;
type SlaDefinition = z.output<typeof slaSchema>;

/**
 * A duration in the SLA's clock, in words: business time in hours (`24h` of business hours is three
 * working days, not "1d"), calendar time as usual.
 */
function inClock(ms: number, clock: string): string {
  return clock !== 'calendar' && ms >= HOUR && ms % HOUR === 0 ? `${ms / HOUR}h` : formatDuration(ms);
}

/**
 * Builds the SLA policy. Business calendars are given as `WorkingClock`s by name (see
 * `calendarClock`); `clock: 'calendar'` needs none.
 *
 * @throws ConfigError when the options are invalid or name a calendar that was not given.
 * @example
 * ```ts
 * import { calendarClock, defineCalendar, slaPolicy } from '@leadline/core';
 *
 * const emeaCalendar = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'] } });
 * const sla = slaPolicy({
 *   slas: [
 *     { name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '24h',
 *       targets: [{ when: { source: 'demo_request' }, within: '5m' }, { when: { source: 'content_download' }, within: '1h' }] },
 *     { name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '8h', clock: 'emea', warnAt: '75%',
 *       escalations: [{ after: '24h', action: 'notify_manager' }, { after: '48h', action: 'reassign' }] },
 *   ],
 * }, { emea: calendarClock(emeaCalendar) });
 * ```
 */
export function slaPolicy(config: SlaPolicyConfig, calendars: Readonly<Record<string, WorkingClock>> = {}): SlaPolicy {
  const { slas } = parseConfig(
    slaPolicyConfigSchema.superRefine((parsed, ctx) => {
      parsed.slas.forEach((sla, index) => {
        const clock = sla.clock === 'calendar' ? undefined : calendars[sla.clock];
        if (sla.clock !== 'calendar' && !clock) {
          ctx.addIssue({
            code: 'custom',
            path: ['slas', index, 'clock'],
            message: `names no calendar; known: calendar${Object.keys(calendars)
              .map((name) => `, ${name}`)
              .join('')}`,
          });
        }
        if (!clock) return;
        // Each offset once, now, so that a target its calendar cannot count is refused here, not at every capture.
        const offsets: [(string | number)[], number | undefined][] = [
          [['within'], sla.within],
          ...sla.targets.map((target, rule): [(string | number)[], number] => [['targets', rule, 'within'], target.within]),
          [['warnAt'], typeof sla.warnAt === 'number' ? sla.warnAt : undefined],
          ...sla.escalations.map((step, stepIndex): [(string | number)[], number] => [['escalations', stepIndex, 'after'], step.after]),
        ];
        for (const [path, ms] of offsets) {
          const problem = ms === undefined ? undefined : unreachableIn(clock, ms);
          if (problem) ctx.addIssue({ code: 'custom', path: ['slas', index, ...path], message: problem });
        }
      });
    }),
    config,
    'SLA policy config',
  );
  const clockOf = (name: string): WorkingClock => (name === 'calendar' ? calendarTime : (calendars[name] ?? calendarTime));

  const build = (definition: SlaDefinition, lead: LeadContext, at: number): SlaRecord | undefined => {
    const targetMs = definition.targets.find((rule) => matchesCondition(lead, rule.when))?.within ?? definition.within;
    if (targetMs === undefined) return undefined;
    const clock = clockOf(definition.clock);
    const words = definition.name.replaceAll('_', ' ');
    const record: SlaRecord = {
      name: definition.name,
      label: `${words} within ${inClock(targetMs, definition.clock)}${definition.clock === 'calendar' ? '' : ` of business hours (${definition.clock})`}`,
      clock: definition.clock,
      startedBy: definition.startsOn,
      startedAt: at,
      targetMs,
      dueAt: clock.add(at, targetMs),
      escalations: definition.escalations.map((step) => {
        const escalation = {
          at: clock.add(at, step.after),
          action: step.action,
          label: `${ESCALATION_WORDS[step.action]} at ${inClock(step.after, definition.clock)}`,
        };
        return step.action === 'reassign' ? { ...escalation, avoidLast: step.avoidLast } : escalation;
      }),
      endsOn: definition.endsOn,
      pausedMs: 0,
    };
    const warn = definition.warnAt;
    if (warn !== undefined) record.warnAt = clock.add(at, typeof warn === 'string' ? Math.round((targetMs * Number(warn.slice(0, -1))) / 100) : warn);
    return record;
  };

  return {
    name: 'sla',
    start(lead, trigger, at) {
      const started: SlaRecord[] = [];
      for (const definition of slas) {
        if (definition.startsOn !== trigger) continue;
        const record = build(definition, lead, at);
        if (record) started.push(record);
      }
      return started;
    },
    clock: clockOf,
  };
}
