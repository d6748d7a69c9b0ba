/**
 * Pure updates of a lead's SLA records: start, pause (snooze), resume with the time that was left,
 * and end as met, breached or met late with the durations reports need.
 *
 * @module
 */

import { activeSla, type LeadContext, type SlaOutcome, type SlaRecord } from '../lead/context.js';
import type { SlaPolicy } from '../policies/types.js';

function replaceActive(lead: LeadContext, update: (sla: SlaRecord) => SlaRecord): SlaRecord[] {
  const sla = activeSla(lead);
  if (!sla) return lead.slas;
  return [...lead.slas.slice(0, -1), update(sla)];
}

/** Starts the policy's SLA for the lead at `at`; the lead's list gains one running record. */
export function startSla(lead: LeadContext, policy: SlaPolicy | undefined, at: number): SlaRecord[] {
  const target = policy?.start(lead, at);
  if (!target) return lead.slas;
  return [...lead.slas, { name: target.name, label: target.label, startedAt: at, targetMs: target.targetMs, dueAt: target.dueAt, pausedMs: 0 }];
}

/** Pauses the running SLA, keeping how much of the target was left. A breached SLA has nothing to pause. */
export function pauseSla(lead: LeadContext, at: number): SlaRecord[] {
  return replaceActive(lead, (sla) => (sla.breachedAt !== undefined ? sla : { ...sla, pausedAt: at, remainingMs: Math.max(0, sla.dueAt - at) }));
}

/** Resumes a paused SLA: the deadline becomes now plus the time that was left. */
export function resumeSla(lead: LeadContext, at: number): SlaRecord[] {
  return replaceActive(lead, (sla) => {
    if (sla.pausedAt === undefined || sla.remainingMs === undefined) return sla;
    const { pausedAt, remainingMs, ...rest } = sla;
    return { ...rest, dueAt: at + remainingMs, pausedMs: sla.pausedMs + (at - pausedAt) };
  });
}

/** Marks the running SLA breached at `at` (it keeps running until a touch ends it late). */
export function breachSla(lead: LeadContext, at: number): SlaRecord[] {
  return replaceActive(lead, (sla) => ({ ...sla, breachedAt: at }));
}

/** Ends the running SLA: met, met late (after a breach), or cancelled (the lead left the funnel first). */
export function endSla(lead: LeadContext, at: number, cancelled = false): SlaRecord[] {
  return replaceActive(lead, (sla) => {
    const outcome: SlaOutcome = cancelled ? 'cancelled' : sla.breachedAt !== undefined ? 'met_late' : 'met';
    const pausedMs = sla.pausedMs + (sla.pausedAt !== undefined ? at - sla.pausedAt : 0);
    const { pausedAt, remainingMs, ...rest } = sla;
    return { ...rest, pausedMs, outcome, endedAt: at, elapsedMs: at - sla.startedAt - pausedMs };
  });
}

/** Closes a breached SLA that was never met, when the lead leaves the funnel. */
export function closeSla(lead: LeadContext, at: number): SlaRecord[] {
  const sla = activeSla(lead);
  if (!sla) return lead.slas;
  if (sla.breachedAt === undefined) return endSla(lead, at, true);
  return replaceActive(lead, ({ pausedAt, remainingMs, ...rest }) => ({ ...rest, outcome: 'breached', endedAt: at }));
}
