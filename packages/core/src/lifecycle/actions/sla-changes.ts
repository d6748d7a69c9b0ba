/**
 * The SLA side of an event, in one place: the SLAs an event meets, the SLAs it starts, the timers that
 * change with them, and the history notes that explain both. Every action that can end or start an SLA
 * (taking ownership, a touch, a reply, a meeting, qualification) goes through {@link changeWithSlas}.
 *
 * @module
 */
import type { LeadContext, SlaRecord, SlaTrigger } from '../../lead/context.js';
import type { SlaPolicy } from '../../policies/types.js';
import { formatDuration } from '../../time/duration.js';
import { formatInstant } from '../../time/instant.js';
import { timerEvent } from '../event-time.js';
import { meetSlas, slaTimerChanges, startSlas } from '../sla-clock.js';
import type { LeadEnqueue } from './lead-action.js';

/**
 * Raises and cancels the SLA timers that changed between two sets of SLAs.
 *
 * @example
 * ```ts
 * import { pauseSlas } from '../sla-clock.js';
 * import { leadAction } from './lead-action.js';
 * import { syncSlaTimers } from './sla-changes.js';
 *
 * const pauseEverySla = leadAction(({ context, event, enqueue }) => {
 *   const slas = pauseSlas(context, event.at);
 *   enqueue.assign({ slas });
 *   syncSlaTimers(enqueue, context.slas, slas, event.at); // cancels the timers of the SLAs it paused
 * });
 * ```
 */
export function syncSlaTimers(enqueue: LeadEnqueue, before: readonly SlaRecord[], after: readonly SlaRecord[], at: number): void {
  const { raise, cancel } = slaTimerChanges(before, after);
  for (const id of cancel) enqueue.cancel(id);
  for (const timer of raise) enqueue.raise(timerEvent(timer.event, timer.dueAt, at) as never, { id: timer.id, delay: Math.max(0, timer.dueAt - at) });
}

/**
 * Words for SLAs that were met, and for SLAs that started, as history notes.
 *
 * @example
 * ```ts
 * import { firstTouchSla, type LeadContext } from '@leadline/core';
 * import { slaNotes } from './sla-changes.js';
 *
 * declare const lead: LeadContext; // captured at 2026-03-02T09:00Z
 * const started = firstTouchSla({ within: '5m' }).start(lead, 'captured', lead.capturedAt);
 * slaNotes([], started); // ['first touch within 5m: due 2026-03-02T09:05Z']
 * ```
 */
export function slaNotes(met: readonly SlaRecord[], started: readonly SlaRecord[]): string[] {
  const notes = met.map((sla) => {
    const text =
      sla.outcome === 'met'
        ? `${sla.name} SLA met in ${formatDuration(sla.elapsedMs ?? 0)} (${sla.label})`
        : `${sla.name} SLA met late, ${formatDuration((sla.endedAt ?? 0) - sla.dueAt)} after the deadline`;
    return sla.withdrawnBreachAt === undefined ? text : `${text}; logged late, so the breach recorded at ${formatInstant(sla.withdrawnBreachAt)} is withdrawn`;
  });
  for (const sla of started)
    notes.push(sla.pausedAt === undefined ? `${sla.label}: due ${formatInstant(sla.dueAt)}` : `${sla.label}: paused until the prospect is back`);
  return notes;
}

/** The event an SLA change comes from: its type (what it may meet), what it starts, its instant. */
export interface SlaChangeCause {
  eventType: string;
  starts: SlaTrigger | undefined;
  at: number;
  policy: SlaPolicy | undefined;
}

/**
 * An event's change to the lead, with its SLA side applied in the same step: meets the SLAs it ends,
 * starts those it triggers, assigns both, raises and cancels the timers that changed. Returns the notes
 * that explain the SLAs, for after the event's own note.
 *
 * @example
 * ```ts
 * import type { SlaPolicy } from '@leadline/core';
 * import { leadAction, note } from './lead-action.js';
 * import { changeWithSlas } from './sla-changes.js';
 *
 * declare const policy: SlaPolicy | undefined; // the machine's SLA policy
 * const markQualified = leadAction(({ context, event, enqueue }) => {
 *   const notes = changeWithSlas(enqueue, context, { qualified: true }, { eventType: 'lead.qualified', starts: 'qualified', at: event.at, policy });
 *   for (const text of notes) note(enqueue, text);
 * });
 * ```
 */
export function changeWithSlas(enqueue: LeadEnqueue, context: LeadContext, change: Partial<LeadContext>, cause: SlaChangeCause): string[] {
  const changed = { ...context, ...change };
  const { slas: afterMeet, met } = meetSlas(changed, cause.eventType, cause.at);
  const slas = cause.starts ? startSlas({ ...changed, slas: afterMeet }, cause.policy, cause.starts, cause.at) : afterMeet;
  enqueue.assign({ ...change, slas });
  syncSlaTimers(enqueue, context.slas, slas, cause.at);
  return slaNotes(met, slas.slice(afterMeet.length));
}
