/**
 * The plug-in points of the engine. Each policy is a plain object with pure functions of the lead and
 * of time: built-in policies are configured, custom ones implement these interfaces. None may do I/O,
 * because the engine calls them inside a transition.
 *
 * @module
 */

import type { CadenceRecord, LeadContext, SlaRecord, SlaTrigger } from '../lead/context.js';
import type { TouchChannel } from '../lead/events.js';
import type { OwnerLoad } from '../store/lead-store.js';
import type { Rep } from '../team/rep.js';

/**
 * How an SLA counts time: plain calendar time, or the open hours of a business calendar.
 *
 * @example
 * ```ts
 * import type { WorkingClock } from '@leadline/core';
 *
 * const calendarTime: WorkingClock = { name: 'calendar', add: (start, ms) => start + ms, between: (from, to) => Math.max(0, to - from) };
 * ```
 */
export interface WorkingClock {
  /** `calendar`, or the business calendar's name. */
  readonly name: string;
  /** The instant when `ms` of this clock's time has passed after `start`. */
  add(start: number, ms: number): number;
  /** This clock's time between two instants (0 when `to` is not after `from`). */
  between(from: number, to: number): number;
}

/**
 * Decides which SLAs a lead gets, and counts their time.
 *
 * @example
 * ```ts
 * import { type SlaPolicy, slaPolicy } from '@leadline/core';
 *
 * const sla: SlaPolicy = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '5m' }] });
 * ```
 */
export interface SlaPolicy {
  readonly name: string;
  /**
   * The SLAs that start for this lead when `trigger` happens at `at`, with their deadlines, warnings and
   * escalation steps computed in their clocks. Empty when none applies.
   */
  start(lead: LeadContext, trigger: SlaTrigger, at: number): SlaRecord[];
  /** The clock an SLA counts in, by the name in its record. */
  clock(name: string): WorkingClock;
}

/**
 * The next thing a cadence expects: a step (a touch due on a channel) or its end.
 *
 * @example
 * ```ts
 * import type { CadencePlan } from '@leadline/core';
 *
 * const dueAt = Date.parse('2026-03-02T09:00:00Z');
 * const plan: CadencePlan = { kind: 'step', index: 0, channel: 'call', dueAt, shiftMs: 0, label: 'step 1 of 7: call at +0s', skipped: [] };
 * ```
 */
export type CadencePlan =
  | { kind: 'step'; index: number; channel: TouchChannel; dueAt: number; shiftMs: number; label: string; skipped: string[] }
  | { kind: 'end'; index: number; dueAt: number; shiftMs: number; skipped: string[] };

/** Events that stop a cadence: a reply, a booked meeting, a bounced touch, an unsubscribe, qualification. */
export type CadenceStop = 'prospect.replied' | 'meeting.booked' | 'touch.bounced' | 'prospect.unsubscribed' | 'lead.qualified';

/**
 * Plans the follow-up touches of a lead.
 *
 * @example
 * ```ts
 * import { type CadencePolicy, cadencePolicy } from '@leadline/core';
 *
 * const cadence: CadencePolicy = cadencePolicy({ steps: [{ channel: 'call', after: '0m' }, { channel: 'email', after: '1d' }] });
 * ```
 */
export interface CadencePolicy {
  readonly name: string;
  /** How many configured steps the cadence has. */
  readonly length: number;
  /** When a lead enrolls: at assignment (and reassignment), or at intake. */
  readonly startsOn: 'assigned' | 'captured';
  readonly stopsOn: readonly CadenceStop[];
  /** `once`, `if_not_active` (again on a new assignment when not running), or `always` (restart on each). */
  readonly reenroll: 'once' | 'if_not_active' | 'always';
  /** Touches before the cadence may end without contact. */
  readonly minTouches: number;
  /** No step comes due sooner than this after the last touch. */
  readonly minGapMs: number;
  /**
   * The contact cooldown on a channel: no step on it comes due sooner than this after the person's last
   * touch on it, on any of their leads (0: none). A policy without it has no cooldown.
   */
  contactCooldownMs?(channel: TouchChannel): number;
  /** What happens when the cadence ends with no reply: hand the lead back (`recycle`) or leave it with its owner (`hold`). */
  readonly onExhausted: 'recycle' | 'hold';
  /**
   * What happens when the owner lets steps come due without a touch; without it the machine uses
   * {@link DEFAULT_MISSED_STEPS}, so an ignored lead is never reminded forever.
   */
  readonly missedSteps?: MissedStepRule;
  /**
   * The first step at or after `index` the lead may get (steps its flags forbid are skipped, with the
   * reason), timed from the cadence's start in its clock, moved into the send window; past the last step,
   * the cadence's end.
   */
  plan(lead: LeadContext, cadence: CadenceRecord, index: number): CadencePlan;
  /** One more step, at `at` plus the policy's gap, for a lead that has not had its minimum touches. */
  extra(lead: LeadContext, cadence: CadenceRecord, at: number): CadencePlan;
}

/**
 * What the cadence does about an owner who logs nothing: after `escalateAfter` steps in a row came due
 * with no touch, the owner's manager is told; after `endAfter`, the cadence ends (`hold`: the lead stays
 * with its owner, no more reminders; `recycle`: it is handed back) with `reason`.
 *
 * @example
 * ```ts
 * import type { MissedStepRule } from '@leadline/core';
 *
 * const rule: MissedStepRule = { escalateAfter: 2, endAfter: 4, endWith: 'recycle', reason: 'no_follow_up' };
 * ```
 */
export interface MissedStepRule {
  escalateAfter: number;
  endAfter: number;
  endWith: 'hold' | 'recycle';
  reason: string;
}

/**
 * The missed-step rule of cadence policies that set none: the manager hears after 3 ignored steps, the
 * reminders end after 5.
 *
 * @example
 * ```ts
 * import { DEFAULT_MISSED_STEPS } from '@leadline/core';
 *
 * DEFAULT_MISSED_STEPS.endAfter; // 5
 * ```
 */
export const DEFAULT_MISSED_STEPS: MissedStepRule = Object.freeze({ escalateAfter: 3, endAfter: 5, endWith: 'hold', reason: 'no_follow_up' });

/**
 * Decides what happens to a lead that sales hands back.
 *
 * @example
 * ```ts
 * import { nurtureRecycle, type RecyclePolicy } from '@leadline/core';
 *
 * const recycle: RecyclePolicy = nurtureRecycle({ recheckAfter: '90d', maxRecycles: 3, intentActivities: ['pricing_page_visit'] });
 * ```
 */
export interface RecyclePolicy {
  readonly name: string;
  /** Recycles allowed; the next hand-back disqualifies the lead with its reason. */
  readonly maxRecycles: number;
  /** The reason codes sales may give; `undefined` accepts any reason. */
  readonly reasons?: readonly string[];
  /** Whether a hand-back with this reason closes the lead instead (for example `wrong_contact`). */
  closes?(reason: string): boolean;
  /**
   * When to hand the lead to sales again; `undefined` to wait for new intent only. `lead.recycle` already
   * counts this hand-back (its cycle start and count included).
   */
  recheckAt(lead: LeadContext, reason: string, at: number): number | undefined;
  /** Whether this activity, at `at`, shows enough intent to hand the lead to sales again. */
  isIntent(activity: { activity: string; score?: number | undefined }, lead: LeadContext, at: number): boolean;
}

/**
 * What the engine tells a routing policy about the team at the moment of routing.
 *
 * @example
 * ```ts
 * import type { RoutingContext } from '@leadline/core';
 *
 * const ctx: RoutingContext = { at: Date.parse('2026-03-02T09:00:00Z'), loads: new Map([['rep-1', { open: 3, assigned: 12 }]]), exclude: [], reps: [] };
 * ```
 */
export interface RoutingContext {
  at: number;
  /** Per owner in this tenant, before this assignment: open leads, and leads ever assigned. */
  loads: ReadonlyMap<string, OwnerLoad>;
  /** Reps that must not get the lead (the rep who breached its SLA, its last owners). */
  exclude: readonly string[];
  /** The team from the rep directory; empty when the engine has none. */
  reps: readonly Rep[];
}

/**
 * An owner and the reason, recorded in the lead's history.
 *
 * @example
 * ```ts
 * import type { RoutingDecision } from '@leadline/core';
 *
 * const decision: RoutingDecision = { owner: 'rep-2', reason: 'least loaded: 1 open lead' };
 * ```
 */
export interface RoutingDecision {
  owner: string;
  reason: string;
}

/**
 * Why no rep can take the lead: every rep considered and why it was skipped, recorded in the lead's
 * history while the engine keeps trying.
 *
 * @example
 * ```ts
 * import type { NoRoute } from '@leadline/core';
 *
 * const none: NoRoute = { reason: 'pool everyone: ann (at capacity 3), bob (time off)' };
 * ```
 */
export interface NoRoute {
  owner?: undefined;
  reason: string;
}

/**
 * Chooses the owner of a lead that awaits one.
 *
 * @example
 * ```ts
 * import type { RoutingPolicy } from '@leadline/core';
 *
 * const routing: RoutingPolicy = { name: 'ann', route: () => ({ owner: 'ann', reason: 'Ann takes everything' }) };
 * ```
 */
export interface RoutingPolicy {
  readonly name: string;
  /**
   * The owner for this lead; or, when no rep can take it, why not (`NoRoute`; `undefined` says nothing).
   * The engine records the reason and routes the lead again later.
   */
  route(lead: LeadContext, context: RoutingContext): RoutingDecision | NoRoute | undefined;
}

/**
 * Decides which leads pass central qualification before they reach a rep.
 *
 * @example
 * ```ts
 * import type { QualificationPolicy } from '@leadline/core';
 *
 * const qualification: QualificationPolicy = { name: 'all', required: () => true };
 * ```
 */
export interface QualificationPolicy {
  readonly name: string;
  required(lead: LeadContext): boolean;
}

/**
 * The policy set an engine runs. Every policy is optional: without an SLA policy no deadline is set,
 * without routing leads wait for an explicit `lead.assigned`.
 *
 * @example
 * ```ts
 * import { firstTouchSla, fixedCadence, type LeadPolicies, nurtureRecycle } from '@leadline/core';
 *
 * const policies: LeadPolicies = {
 *   sla: firstTouchSla({ within: '5m' }),
 *   cadence: fixedCadence({ steps: [{ channel: 'call', after: '0m' }, { channel: 'email', after: '1d' }] }),
 *   recycle: nurtureRecycle({}),
 * };
 * ```
 */
export interface LeadPolicies {
  sla?: SlaPolicy;
  cadence?: CadencePolicy;
  recycle?: RecyclePolicy;
  routing?: RoutingPolicy;
  qualification?: QualificationPolicy;
}
