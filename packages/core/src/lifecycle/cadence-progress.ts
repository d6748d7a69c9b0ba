/**
 * Pure updates of a lead's cadence record: start, advance step by step, extend while the lead lacks its
 * minimum touches, postpone a step that would come too soon after a touch, pause and resume (later steps
 * shift with the pause), stop, end.
 *
 * @module
 */
import type { CadenceRecord, LeadContext } from '../lead/context.js';
import { type CadencePlan, type CadencePolicy, DEFAULT_MISSED_STEPS, type MissedStepRule } from '../policies/types.js';

/** The record with `plan` as what comes next. */
function planned(cadence: CadenceRecord, plan: CadencePlan): CadenceRecord {
  const { nextChannel, nextLabel, nextIsEnd, ...rest } = cadence;
  const next: CadenceRecord = { ...rest, nextStep: plan.index, nextDueAt: plan.dueAt, shiftMs: plan.shiftMs };
  if (plan.kind === 'step') {
    next.nextChannel = plan.channel;
    next.nextLabel = plan.label;
  } else {
    next.nextIsEnd = true;
  }
  return next;
}

/**
 * A cadence step change: the new record and the steps skipped on the way (with why).
 *
 * @example
 * ```ts
 * import { fixedCadence, type LeadContext } from '@leadline/core';
 * import { startCadence } from './cadence-progress.js';
 *
 * declare const lead: LeadContext; // the lead's context in the machine
 * const policy = fixedCadence({ steps: [{ channel: 'call', after: '0m' }, { channel: 'email', after: '1d' }] });
 * const { cadence, skipped } = startCadence(lead, policy, Date.parse('2026-03-02T09:00:00Z'));
 * // skipped: the steps the lead may not get, with why (['step 1 (call) skipped: ...'] for a lead marked doNotCall)
 * ```
 */
export interface CadenceChange {
  cadence: CadenceRecord;
  skipped: string[];
}

/** Starts the cadence at `at` with its first allowed step planned. */
export function startCadence(lead: LeadContext, policy: CadencePolicy, at: number): CadenceChange {
  const fresh: CadenceRecord = { name: policy.name, startedAt: at, shiftMs: 0, nextStep: 0, stepsDue: 0, status: 'active' };
  const plan = policy.plan(lead, fresh, 0);
  return { cadence: planned(fresh, plan), skipped: plan.skipped };
}

/** Records that the current step came due and plans the next one (or the cadence's end). */
export function advanceCadence(lead: LeadContext, policy: CadencePolicy, cadence: CadenceRecord): CadenceChange {
  const done = { ...cadence, stepsDue: cadence.stepsDue + 1 };
  const plan = policy.plan(lead, done, cadence.nextStep + 1);
  return { cadence: planned(done, plan), skipped: plan.skipped };
}

/** Adds one more step after the end, because the lead has not had its minimum touches. */
export function extendCadence(lead: LeadContext, policy: CadencePolicy, cadence: CadenceRecord, at: number): CadenceRecord {
  return planned(cadence, policy.extra(lead, cadence, at));
}

/** Moves the next step to `until` (a minimum gap after the last touch); later steps shift with it. */
export function postponeStep(cadence: CadenceRecord, until: number): CadenceRecord {
  return { ...cadence, nextDueAt: until, shiftMs: cadence.shiftMs + (until - (cadence.nextDueAt ?? until)) };
}

/** Marks the cadence finished without a reply. */
export function exhaustCadence(cadence: CadenceRecord | undefined): CadenceRecord | undefined {
  if (!cadence) return cadence;
  const { nextDueAt, nextChannel, nextLabel, nextIsEnd, remainingMs, ...rest } = cadence;
  return { ...rest, status: 'exhausted' };
}

/** Pauses the cadence at `at` (a snooze, or out of office `until`), keeping how long was left until the next step. */
export function pauseCadence(cadence: CadenceRecord | undefined, at: number, until?: number): CadenceRecord | undefined {
  if (cadence?.status !== 'active' || cadence.nextDueAt === undefined) return cadence;
  const paused: CadenceRecord = { ...cadence, remainingMs: Math.max(0, cadence.nextDueAt - at), pausedAt: at };
  if (until !== undefined) {
    paused.status = 'paused';
    paused.pausedUntil = until;
  }
  return paused;
}

/** Resumes the cadence at `at`: the next step keeps its remaining wait, later steps shift by the pause. */
export function resumeCadence(cadence: CadenceRecord | undefined, at: number): CadenceRecord | undefined {
  if (!cadence || cadence.remainingMs === undefined) return cadence;
  const { remainingMs, pausedAt, pausedUntil, ...rest } = cadence;
  return {
    ...rest,
    status: cadence.status === 'paused' ? 'active' : cadence.status,
    nextDueAt: at + remainingMs,
    shiftMs: cadence.shiftMs + (at - (pausedAt ?? at)),
  };
}

/** Stops the cadence with a reason (reply, meeting booked, bounce, unsubscribe, qualification). */
export function stopCadence(cadence: CadenceRecord | undefined, reason: string): CadenceRecord | undefined {
  if (cadence?.status !== 'active' && cadence?.status !== 'paused') return cadence;
  const { nextDueAt, nextChannel, nextLabel, nextIsEnd, remainingMs, pausedAt, pausedUntil, ...rest } = cadence;
  return { ...rest, status: 'stopped', stopReason: reason };
}

/**
 * How many steps in a row the owner has let pass untouched, counting the one coming due at `at`: the
 * latest reminder counts as missed when no touch was logged since it went out.
 *
 * @example
 * ```ts
 * import { type CadenceRecord, DAY, type LeadContext } from '@leadline/core';
 * import { missedStepsAt } from './cadence-progress.js';
 *
 * declare const lead: LeadContext; // a lead ann owns, with no touch logged
 * const t = Date.parse('2026-03-04T09:00:00Z'); // when the third step came due
 * const cadence: CadenceRecord = { name: 'fixed', startedAt: t - 2 * DAY, shiftMs: 0, nextStep: 3, stepsDue: 3, lastDueAt: t, missed: 2, status: 'active' };
 * missedStepsAt({ ...lead, cadence }, t + DAY); // 3: the reminder at t went unanswered too
 * ```
 */
export function missedStepsAt(lead: LeadContext, at: number): number {
  const cadence = lead.cadence;
  // Nobody to blame while the lead has no owner: reminders to nobody are not ignored ones.
  if (lead.owner === undefined) return 0;
  if (!cadence || cadence.lastDueAt === undefined || at <= cadence.lastDueAt) return cadence?.missed ?? 0;
  const touchedSince = lead.lastTouchAt !== undefined && lead.lastTouchAt >= cadence.lastDueAt;
  return touchedSince ? 0 : (cadence.missed ?? 0) + 1;
}

/**
 * The cadence with its count of missed steps cleared: a new owner starts with a clean slate.
 *
 * @example
 * ```ts
 * import type { LeadContext } from '@leadline/core';
 * import { forgetMissedSteps } from './cadence-progress.js';
 *
 * declare const lead: LeadContext; // a lead about to change owners
 * const fresh = forgetMissedSteps(lead.cadence); // missed and lastDueAt cleared
 * ```
 */
export function forgetMissedSteps(cadence: CadenceRecord | undefined): CadenceRecord | undefined {
  if (cadence?.missed === undefined && cadence?.lastDueAt === undefined) return cadence;
  const { missed, lastDueAt, ...rest } = cadence;
  return rest;
}

/**
 * What happens to steps the owner lets pass untouched: the cadence policy's rule, or the default one.
 *
 * @example
 * ```ts
 * import { missedStepRule } from './cadence-progress.js';
 *
 * missedStepRule(undefined).endAfter; // 5
 * ```
 */
export function missedStepRule(policy: CadencePolicy | undefined): MissedStepRule {
  return policy?.missedSteps ?? DEFAULT_MISSED_STEPS;
}
