/**
 * The built-in cadence policy: steps on a channel at an offset in calendar or business time; a send
 * window in the lead's time zone (a step outside it moves to the next open slot, and later steps shift
 * with it); do-not-call and do-not-email respected per channel (the step is skipped and the history says
 * why); a minimum gap between touches; a minimum number of touches before the cadence may end without
 * contact; what stops it; when a lead enrolls again.
 *
 * @module
 */
import { z } from 'zod';
import { type BusinessCalendar, defineCalendar } from '../calendar/business-calendar.js';
import { addBusinessTime, nextOpenInstant } from '../calendar/business-time.js';
import { businessCalendarConfigSchema } from '../calendar/calendar-config.js';
import { consentBlock } from '../lead/consent.js';
import type { CadenceRecord, LeadContext } from '../lead/context.js';
import { TOUCH_CHANNELS, type TouchChannel } from '../lead/events.js';
import { MAX_CADENCE_STEPS } from '../limits.js';
import { formatDuration } from '../time/duration.js';
import { parseConfig } from '../validation.js';
import { durationSchema } from './duration-config.js';
import { unreachableIn } from './duration-reach.js';
import { type CadencePlan, type CadencePolicy, type CadenceStop, DEFAULT_MISSED_STEPS } from './types.js';

/**
 * zod schema of a cadence's missed-step rule; every field has a default (3, 5, `hold`, `no_follow_up`).
 *
 * @example
 * ```ts
 * import { missedStepsSchema } from './cadence-policy.js';
 *
 * missedStepsSchema.parse({ endAfter: 4 }); // { escalateAfter: 3, endAfter: 4, reason: 'no_follow_up' }: it ends as the cadence does
 * ```
 */
export const missedStepsSchema = z
  .strictObject({
    escalateAfter: z.number().int().min(1).default(DEFAULT_MISSED_STEPS.escalateAfter),
    endAfter: z.number().int().min(1).default(DEFAULT_MISSED_STEPS.endAfter),
    /** `hold` or `recycle`; by default what the cadence does when it runs out (`onExhausted`). */
    endWith: z.enum(['hold', 'recycle']).optional(),
    reason: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, like no_follow_up')
      .default(DEFAULT_MISSED_STEPS.reason),
  })
  .refine((rule) => rule.endAfter >= rule.escalateAfter, { path: ['endAfter'], message: 'must not come before escalateAfter' })
  .default({ escalateAfter: DEFAULT_MISSED_STEPS.escalateAfter, endAfter: DEFAULT_MISSED_STEPS.endAfter, reason: DEFAULT_MISSED_STEPS.reason });

/**
 * zod schema of a cadence's steps: 1 to {@link MAX_CADENCE_STEPS}, each a channel at an offset.
 *
 * @example
 * ```ts
 * import { cadenceStepsSchema } from './cadence-policy.js';
 *
 * cadenceStepsSchema.parse([{ channel: 'call', after: '0m' }, { channel: 'email', after: '1d' }]); // offsets in ms
 * ```
 */
export const cadenceStepsSchema = z
  .array(z.strictObject({ channel: z.enum(TOUCH_CHANNELS), after: durationSchema }))
  .min(1, 'needs at least one step')
  .max(MAX_CADENCE_STEPS, `must have at most ${MAX_CADENCE_STEPS} steps`);

/** Events that can stop a cadence. */
export const CADENCE_STOPS = ['prospect.replied', 'meeting.booked', 'touch.bounced', 'prospect.unsubscribed', 'lead.qualified'] as const;

const { timeZone: _zone, name: _name, ...windowShape } = businessCalendarConfigSchema.shape;

/**
 * zod schema of the options of {@link cadencePolicy}.
 *
 * @example
 * ```ts
 * import { cadencePolicyConfigSchema } from '@leadline/core';
 *
 * cadencePolicyConfigSchema.safeParse({ steps: [{ channel: 'call', after: '0m' }] }).success; // true
 * ```
 */
export const cadencePolicyConfigSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, like persistent')
      .default('cadence'),
    steps: cadenceStepsSchema,
    /** `calendar`, or the name of a business calendar whose open hours the offsets count. */
    clock: z.string().min(1).default('calendar'),
    /** Hours a touch may be due, in the lead's time zone (its contact's, else the window's own). */
    sendWindow: z.strictObject({ ...windowShape, timeZone: z.string().min(1).default('UTC') }).optional(),
    startsOn: z.enum(['assigned', 'captured']).default('assigned'),
    stopOn: z.array(z.enum(CADENCE_STOPS)).default([...CADENCE_STOPS]),
    /** Touches a lead must get before the cadence may end without contact; extra steps follow until then. */
    minTouches: z.number().int().min(0).default(6),
    /** The gap between extra steps. */
    extraEvery: durationSchema.refine((ms) => ms > 0, 'must be longer than zero').default(2 * 24 * 60 * 60 * 1000),
    /** No step comes due sooner than this after the last touch; it is postponed instead. */
    minGap: durationSchema.default(0),
    /**
     * No step on a channel comes due sooner than this after the person's last touch on that channel, on
     * any of their open leads (matched by email or phone); it is postponed instead. One duration for
     * every channel, or per channel (`{ call: '4h', email: '1d' }`; channels not named have none).
     */
    contactCooldown: z.union([durationSchema, z.partialRecord(z.enum(TOUCH_CHANNELS), durationSchema)]).optional(),
    /** How long after the last step came due the cadence ends. */
    closeAfter: durationSchema.default(24 * 60 * 60 * 1000),
    onExhausted: z.enum(['recycle', 'hold']).default('recycle'),
    /**
     * An owner who logs nothing: after `escalateAfter` steps in a row came due with no touch, the
     * manager is told; after `endAfter` the cadence ends, holding the lead or handing it back, with `reason`.
     */
    missedSteps: missedStepsSchema,
    /** `once`: a lead runs the cadence once ever; `if_not_active`: again on a new assignment when it is not running; `always`: restart on every assignment. */
    reenroll: z.enum(['once', 'if_not_active', 'always']).default('if_not_active'),
  })
  .superRefine((config, ctx) => {
    config.steps.forEach((step, index) => {
      const previous = config.steps[index - 1];
      if (previous && step.after < previous.after)
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'after'], message: 'must not come before the previous step' });
    });
  });

/** Options of {@link cadencePolicy}. */
export type CadencePolicyConfig = z.input<typeof cadencePolicyConfigSchema>;

/**
 * Builds the cadence policy. `calendars` holds the business calendars a `clock` may name.
 *
 * @throws ConfigError when the options are invalid or name a calendar that was not given.
 * @example
 * ```ts
 * import { cadencePolicy } from '@leadline/core';
 *
 * const cadence = cadencePolicy({
 *   name: 'persistent',
 *   steps: [{ channel: 'call', after: '0m' }, { channel: 'email', after: '1h' }, { channel: 'call', after: '1d' }],
 *   sendWindow: { timeZone: 'Europe/Berlin', weekly: { mon: ['08:00-18:00'], tue: ['08:00-18:00'], wed: ['08:00-18:00'], thu: ['08:00-18:00'], fri: ['08:00-18:00'] } },
 *   minTouches: 6,
 *   minGap: '4h',
 * });
 * ```
 */
export function cadencePolicy(config: CadencePolicyConfig, calendars: Readonly<Record<string, BusinessCalendar>> = {}): CadencePolicy {
  const parsed = parseConfig(
    cadencePolicyConfigSchema.superRefine((value, ctx) => {
      const calendar = value.clock === 'calendar' ? undefined : calendars[value.clock];
      if (value.clock !== 'calendar' && !calendar) {
        ctx.addIssue({
          code: 'custom',
          path: ['clock'],
          message: `names no calendar; known: calendar${Object.keys(calendars)
            .map((name) => `, ${name}`)
            .join('')}`,
        });
      }
      if (calendar) {
        // Offsets only grow, so the first step the calendar cannot count is found by bisection; the
        // steps after it are too long as well.
        const reach = { add: (start: number, ms: number) => addBusinessTime(calendar, start, ms) };
        const problemAt = (index: number) => unreachableIn(reach, (value.steps[index] as { after: number }).after);
        let low = 0;
        let high = value.steps.length;
        while (low < high) {
          const middle = (low + high) >> 1;
          if (problemAt(middle)) high = middle;
          else low = middle + 1;
        }
        const problem = low < value.steps.length ? problemAt(low) : undefined;
        if (problem) {
          const later = value.steps.length - low - 1;
          ctx.addIssue({ code: 'custom', path: ['steps', low, 'after'], message: later > 0 ? `${problem} (and so are the ${later} steps after it)` : problem });
        }
      }
    }),
    config,
    'cadence policy config',
  );
  const { steps, sendWindow, minTouches, extraEvery, minGap, closeAfter, contactCooldown } = parsed;
  const cooldownOf = (channel: TouchChannel): number =>
    typeof contactCooldown === 'number' ? contactCooldown : ((contactCooldown as Partial<Record<TouchChannel, number>> | undefined)?.[channel] ?? 0);
  const clock = parsed.clock === 'calendar' ? undefined : calendars[parsed.clock];
  const add = (start: number, ms: number) => (clock ? addBusinessTime(clock, start, ms) : start + ms);
  // One window calendar per time zone, built on first use: leads come from a handful of zones.
  const windows = new Map<string, BusinessCalendar>();
  if (sendWindow) windows.set(sendWindow.timeZone, defineCalendar({ ...sendWindow, name: 'send window' }));
  const windowFor = (lead: LeadContext): BusinessCalendar | undefined => {
    if (!sendWindow) return undefined;
    const zone = lead.contact.timeZone ?? sendWindow.timeZone;
    let window = windows.get(zone);
    if (!window) {
      window = defineCalendar({ ...sendWindow, timeZone: zone, name: `send window (${zone})` });
      windows.set(zone, window);
    }
    return window;
  };
  const channels = steps.map((step) => step.channel);

  /** Moves `raw` into the send window; the move becomes part of the cadence's shift. */
  const windowed = (lead: LeadContext, raw: number): number => {
    const window = windowFor(lead);
    return window ? nextOpenInstant(window, raw) : raw;
  };

  return {
    name: parsed.name,
    length: steps.length,
    startsOn: parsed.startsOn,
    stopsOn: parsed.stopOn as CadenceStop[],
    reenroll: parsed.reenroll,
    minTouches,
    minGapMs: minGap,
    // Only a configured cooldown makes the engine read the contact's touches as each step fires.
    ...(contactCooldown === undefined ? {} : { contactCooldownMs: cooldownOf }),
    onExhausted: parsed.onExhausted,
    missedSteps: { ...parsed.missedSteps, endWith: parsed.missedSteps.endWith ?? parsed.onExhausted },
    plan(lead, cadence, index): CadencePlan {
      const skipped: string[] = [];
      for (let at = index; at < steps.length; at++) {
        const step = steps[at] as { channel: TouchChannel; after: number };
        const flag = consentBlock(lead, step.channel);
        if (flag) {
          skipped.push(`step ${at + 1} (${step.channel}) skipped: ${flag}`);
          continue;
        }
        const raw = add(cadence.startedAt, step.after) + cadence.shiftMs;
        const dueAt = windowed(lead, raw);
        const label = `step ${at + 1} of ${steps.length}: ${step.channel} at +${formatDuration(step.after)}`;
        return { kind: 'step', index: at, channel: step.channel, dueAt, shiftMs: cadence.shiftMs + (dueAt - raw), label, skipped };
      }
      const last = steps[steps.length - 1] as { after: number };
      return { kind: 'end', index: steps.length, dueAt: add(cadence.startedAt, last.after) + cadence.shiftMs + closeAfter, shiftMs: cadence.shiftMs, skipped };
    },
    extra(lead, cadence: CadenceRecord, at) {
      const allowed = channels.filter((channel) => !consentBlock(lead, channel));
      const channel = allowed[cadence.stepsDue % Math.max(1, allowed.length)] ?? 'task';
      const dueAt = windowed(lead, at + extraEvery);
      return {
        kind: 'step',
        index: cadence.nextStep,
        channel,
        dueAt,
        shiftMs: cadence.shiftMs,
        label: `extra ${channel}: ${lead.touches} of ${minTouches} touches made`,
        skipped: [],
      };
    },
  };
}
