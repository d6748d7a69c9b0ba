/**
 * Pure updates of a lead's SLAs: start them on a trigger, meet them on an event, pause and resume them
 * (the deadline keeps the time that was left, in the SLA's own clock), fire their timers (warning,
 * breach, escalation steps) and close them when the lead leaves the funnel. Also: which timer each SLA
 * needs now, so the machine can raise and cancel exactly what changed.
 *
 * @module
 */
import { activeSlas, type LeadContext, type SlaEscalation, type SlaRecord, type SlaTrigger } from '../lead/context.js';
import type { SlaPolicy } from '../policies/types.js';

/** The timer event of an SLA phase. */
export type SlaTimerEvent = { type: 'sla.warning'; sla: string } | { type: 'sla.breached'; sla: string } | { type: 'sla.escalated'; sla: string; step: number };

/**
 * The one timer an SLA needs now: its warning, its breach, or its next escalation step.
 *
 * @example
 * ```ts
 * import type { SlaTimer } from './sla-clock.js';
 *
 * const dueAt = Date.parse('2026-03-02T09:05:00Z'); // the SLA's deadline
 * const timer: SlaTimer = { id: 'sla:first_touch', dueAt, event: { type: 'sla.breached', sla: 'first_touch' } };
 * ```
 */
export interface SlaTimer {
  id: string;
  dueAt: number;
  event: SlaTimerEvent;
}

/** The timer id of an SLA: one per SLA, so raising the next phase replaces the last. */
export function slaTimerId(name: string): string {
  return `sla:${name}`;
}

/** The timer an SLA needs now; none when it has ended, is paused, or has nothing left to do. */
export function slaTimerOf(sla: SlaRecord): SlaTimer | undefined {
  if (sla.outcome !== undefined || sla.pausedAt !== undefined) return undefined;
  const id = slaTimerId(sla.name);
  if (sla.breachedAt === undefined) {
    if (sla.warnAt !== undefined && sla.warnedAt === undefined && sla.warnAt < sla.dueAt)
      return { id, dueAt: sla.warnAt, event: { type: 'sla.warning', sla: sla.name } };
    return { id, dueAt: sla.dueAt, event: { type: 'sla.breached', sla: sla.name } };
  }
  const step = sla.escalations.findIndex((escalation) => escalation.doneAt === undefined);
  const escalation = sla.escalations[step];
  return escalation ? { id, dueAt: escalation.at, event: { type: 'sla.escalated', sla: sla.name, step } } : undefined;
}

/**
 * Whether two timers of an SLA are the same phase at the same instant. Escalation steps compare by step
 * too: two steps written at one offset share a due time, and the second must still be raised.
 */
function sameTimer(a: SlaTimer, b: SlaTimer): boolean {
  if (a.dueAt !== b.dueAt || a.event.type !== b.event.type) return false;
  return a.event.type !== 'sla.escalated' || (b.event.type === 'sla.escalated' && a.event.step === b.event.step);
}

/** The timers to raise and cancel to go from one set of SLAs to the next. */
export function slaTimerChanges(before: readonly SlaRecord[], after: readonly SlaRecord[]): { raise: SlaTimer[]; cancel: string[] } {
  const raise: SlaTimer[] = [];
  const cancel: string[] = [];
  const previous = new Map<string, SlaTimer | undefined>();
  for (const sla of before) if (sla.outcome === undefined) previous.set(sla.name, slaTimerOf(sla));
  // An SLA restarted under the same name (a reassignment) leaves its ended record behind: the running one
  // owns the timer id, so the ended one must not cancel it.
  const running = new Set(after.filter((sla) => sla.outcome === undefined).map((sla) => sla.name));
  for (const sla of after) {
    const next = slaTimerOf(sla);
    const was = previous.get(sla.name);
    if (sla.outcome !== undefined && (!previous.has(sla.name) || running.has(sla.name))) continue;
    if (next && (!was || !sameTimer(was, next))) raise.push(next);
    else if (!next && was) cancel.push(was.id);
  }
  return { raise, cancel };
}

/**
 * Starts the policy's SLAs for `trigger`; an SLA of the same name that is still running is left as it is.
 * While the prospect is out of office, SLAs start paused: their clocks wait for the prospect, as the
 * running ones do.
 */
export function startSlas(lead: LeadContext, policy: SlaPolicy | undefined, trigger: SlaTrigger, at: number): SlaRecord[] {
  if (!policy) return lead.slas;
  const running = new Set(activeSlas(lead).map((sla) => sla.name));
  const away = lead.awayUntil !== undefined && at < lead.awayUntil;
  const started = policy
    .start(lead, trigger, at)
    .filter((sla) => !running.has(sla.name))
    .map((sla) => (away ? { ...sla, pausedAt: at } : sla));
  return started.length === 0 ? lead.slas : [...lead.slas, ...started];
}

function ended(sla: SlaRecord, at: number, outcome: SlaRecord['outcome']): SlaRecord {
  const pausedMs = sla.pausedMs + (sla.pausedAt !== undefined ? Math.max(0, at - sla.pausedAt) : 0);
  const { pausedAt, ...rest } = sla;
  // A late event dated before a pause that has since ended would count that pause too (the record keeps
  // the paused total, not each pause): never less than nothing.
  return { ...rest, pausedMs, outcome, endedAt: at, elapsedMs: Math.max(0, at - sla.startedAt - pausedMs) };
}

/**
 * Meets every SLA that `eventType` ends at `at`: `met` when `at` is within the deadline, else
 * `met_late`. Events arrive late (a call logged after it happened), so the event's own time decides:
 * a late event dated before the deadline meets the SLA even after its breach was recorded (the breach
 * is withdrawn, kept as `withdrawnBreachAt`), and one dated before an earlier meeting event moves the
 * SLA's end back to it. An SLA that started after `at` is not met by it.
 */
export function meetSlas(lead: LeadContext, eventType: string, at: number): { slas: SlaRecord[]; met: SlaRecord[] } {
  const met: SlaRecord[] = [];
  const slas = lead.slas.map((sla) => {
    if (!sla.endsOn.includes(eventType) || at < sla.startedAt) return sla;
    const running = sla.outcome === undefined;
    const endedLater = (sla.outcome === 'met' || sla.outcome === 'met_late') && sla.endedAt !== undefined && at < sla.endedAt;
    if (!running && !endedLater) return sla;
    // Before the deadline is in time; at the deadline instant itself only if the breach has not fired
    // (the breach timer fires at the deadline, and what it recorded then stands). While paused the
    // deadline has not moved yet, but the clock stands still: an SLA paused before its breach is in time.
    const pausedInTime = sla.pausedAt !== undefined && sla.pausedAt < sla.dueAt && at >= sla.pausedAt && sla.breachedAt === undefined;
    const onTime = pausedInTime || at < sla.dueAt || (at === sla.dueAt && sla.breachedAt === undefined);
    let record = sla;
    if (onTime && sla.breachedAt !== undefined) {
      const { breachedAt, ...rest } = sla;
      record = { ...rest, withdrawnBreachAt: breachedAt };
    }
    const done = ended(running ? record : { ...record, pausedAt: undefined }, at, onTime ? 'met' : 'met_late');
    met.push(done);
    return done;
  });
  return met.length === 0 ? { slas: lead.slas, met } : { slas, met };
}

/** Pauses every running SLA (a snooze): its timer stops until it resumes. */
export function pauseSlas(lead: LeadContext, at: number): SlaRecord[] {
  return lead.slas.map((sla) => (sla.outcome === undefined && sla.pausedAt === undefined ? { ...sla, pausedAt: at } : sla));
}

/**
 * Resumes paused SLAs: every instant still ahead keeps the distance it had, in the SLA's own clock
 * (business time left stays business time left).
 */
export function resumeSlas(lead: LeadContext, policy: SlaPolicy | undefined, at: number): SlaRecord[] {
  return lead.slas.map((sla) => {
    if (sla.outcome !== undefined || sla.pausedAt === undefined || !policy) return sla;
    const clock = policy.clock(sla.clock);
    const pausedAt = sla.pausedAt;
    const shift = (instant: number) => (instant <= pausedAt ? instant : clock.add(at, clock.between(pausedAt, instant)));
    const { pausedAt: _paused, ...rest } = sla;
    const resumed: SlaRecord = {
      ...rest,
      pausedMs: sla.pausedMs + (at - pausedAt),
      dueAt: shift(sla.dueAt),
      escalations: sla.escalations.map((step) => (step.doneAt === undefined ? { ...step, at: shift(step.at) } : step)),
    };
    if (sla.warnAt !== undefined) resumed.warnAt = shift(sla.warnAt);
    return resumed;
  });
}

/** Ends every running SLA as the lead leaves the funnel: `breached` if it had breached, else `cancelled`. */
export function closeSlas(lead: LeadContext, at: number, only?: (sla: SlaRecord) => boolean): SlaRecord[] {
  return lead.slas.map((sla) =>
    sla.outcome !== undefined || (only && !only(sla)) ? sla : ended(sla, at, sla.breachedAt === undefined ? 'cancelled' : 'breached'),
  );
}

/**
 * What an SLA timer did: the updated SLAs, the SLA after the phase, and the escalation step that ran.
 *
 * @example
 * ```ts
 * import type { LeadContext } from '@leadline/core';
 * import { fireSlaTimer } from './sla-clock.js';
 *
 * declare const lead: LeadContext; // a lead whose first_touch SLA is running
 * const at = Date.parse('2026-03-02T09:05:00Z'); // when the breach timer was due
 * const { slas, sla, escalation } = fireSlaTimer(lead, { type: 'sla.breached', sla: 'first_touch' }, at); // sla.breachedAt === at
 * ```
 */
export interface SlaPhase {
  slas: SlaRecord[];
  sla: SlaRecord | undefined;
  escalation: SlaEscalation | undefined;
}

/** Applies a fired SLA timer: marks the warning or the breach, or runs an escalation step. */
export function fireSlaTimer(lead: LeadContext, event: SlaTimerEvent, at: number): SlaPhase {
  let updated: SlaRecord | undefined;
  let escalation: SlaEscalation | undefined;
  const slas = lead.slas.map((sla) => {
    if (sla.name !== event.sla || sla.outcome !== undefined) return sla;
    if (event.type === 'sla.warning') updated = { ...sla, warnedAt: at };
    else if (event.type === 'sla.breached') updated = { ...sla, breachedAt: at };
    else {
      const step = sla.escalations[event.step];
      if (!step || step.doneAt !== undefined) return sla;
      escalation = { ...step, doneAt: at };
      updated = { ...sla, escalations: sla.escalations.map((other, index) => (index === event.step ? (escalation as SlaEscalation) : other)) };
    }
    return updated;
  });
  return { slas: updated ? slas : lead.slas, sla: updated, escalation };
}

/**
 * Where a lead's open SLAs stand together: the worst of them.
 *
 * @example
 * ```ts
 * import type { LeadContext } from '@leadline/core';
 * import { type SlaStanding, worstSlaStanding } from './sla-clock.js';
 *
 * declare const lead: LeadContext; // the lead's context in the machine
 * const standing: SlaStanding = worstSlaStanding(lead); // 'clear' | 'at_risk' | 'breached'
 * ```
 */
export type SlaStanding = 'clear' | 'at_risk' | 'breached';

/**
 * The worst standing of the lead's open SLAs: `breached` when any has breached, else `at_risk` when any
 * has warned, else `clear`. The machine's `sla` region shows it; being one value, it cannot oscillate.
 *
 * @example
 * ```ts
 * import type { LeadContext } from '@leadline/core';
 * import { worstSlaStanding } from './sla-clock.js';
 *
 * declare const lead: LeadContext; // a lead with one open SLA warned and none breached
 * worstSlaStanding(lead); // 'at_risk'
 * ```
 */
export function worstSlaStanding(lead: LeadContext): SlaStanding {
  let standing: SlaStanding = 'clear';
  for (const sla of lead.slas) {
    if (sla.outcome !== undefined) continue;
    if (sla.breachedAt !== undefined) return 'breached';
    if (sla.warnedAt !== undefined) standing = 'at_risk';
  }
  return standing;
}
