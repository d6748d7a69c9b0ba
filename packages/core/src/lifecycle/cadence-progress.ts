/**
 * Pure updates of a lead's cadence record: start at assignment, advance step by step, pause and
 * resume (later steps shift with the pause), stop on a reply.
 *
 * @module
 */

import type { CadenceRecord, LeadContext } from '../lead/context.js';
import type { CadencePolicy } from '../policies/types.js';

/** Plans step `index`; past the last step, the cadence's end (`closeAfterMs` after the last step). */
function planned(lead: LeadContext, policy: CadencePolicy, cadence: CadenceRecord, index: number): CadenceRecord {
  const { nextDueAt, nextChannel, ...rest } = cadence;
  const anchor = cadence.startedAt + cadence.shiftMs;
  const step = policy.step(lead, index, anchor);
  if (step) return { ...rest, nextStep: index, nextDueAt: step.dueAt, nextChannel: step.channel };
  const last = policy.step(lead, policy.length - 1, anchor);
  return { ...rest, nextStep: index, nextDueAt: (last?.dueAt ?? anchor) + policy.closeAfterMs };
}

/** Starts the cadence at `at` with its first step planned. */
export function startCadence(lead: LeadContext, policy: CadencePolicy, at: number): CadenceRecord {
  return planned(lead, policy, { name: policy.name, startedAt: at, shiftMs: 0, nextStep: 0, stepsDue: 0, status: 'active' }, 0);
}

/** Records that the current step came due and plans the next one (or the cadence's end). */
export function advanceCadence(lead: LeadContext, policy: CadencePolicy, cadence: CadenceRecord): CadenceRecord {
  return planned(lead, policy, { ...cadence, stepsDue: cadence.stepsDue + 1 }, cadence.nextStep + 1);
}

/** Marks the cadence finished without a reply. */
export function exhaustCadence(cadence: CadenceRecord | undefined): CadenceRecord | undefined {
  if (!cadence) return cadence;
  const { nextDueAt, nextChannel, remainingMs, ...rest } = cadence;
  return { ...rest, status: 'exhausted' };
}

/** Pauses the cadence at `at`, keeping how long was left until the next step. */
export function pauseCadence(cadence: CadenceRecord | undefined, at: number): CadenceRecord | undefined {
  if (cadence?.status !== 'active' || cadence.nextDueAt === undefined) return cadence;
  return { ...cadence, remainingMs: Math.max(0, cadence.nextDueAt - at) };
}

/** Resumes the cadence after a pause of `pausedMs`: the next step keeps its remaining wait, later steps shift. */
export function resumeCadence(cadence: CadenceRecord | undefined, at: number, pausedMs: number): CadenceRecord | undefined {
  if (!cadence || cadence.remainingMs === undefined) return cadence;
  const { remainingMs, ...rest } = cadence;
  return { ...rest, nextDueAt: at + remainingMs, shiftMs: cadence.shiftMs + pausedMs };
}

/** Stops the cadence with a reason (reply, meeting booked...). */
export function stopCadence(cadence: CadenceRecord | undefined, reason: string): CadenceRecord | undefined {
  if (cadence?.status !== 'active') return cadence;
  const { nextDueAt, nextChannel, remainingMs, ...rest } = cadence;
  return { ...rest, status: 'stopped', stopReason: reason };
}
