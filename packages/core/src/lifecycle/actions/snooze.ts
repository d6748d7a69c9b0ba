/**
 * Snoozing a lead and waking it: the SLA clocks and the cadence pause with what was left, a timer wakes
 * the lead at the snooze's end (or a reply does first), and everything resumes from where it stood,
 * unless the prospect is still out of office.
 *
 * @module
 */
import { activeSlas, type LeadContext } from '../../lead/context.js';
import type { LeadPolicies } from '../../policies/types.js';
import { formatDuration } from '../../time/duration.js';
import { formatInstant } from '../../time/instant.js';
import { pauseCadence, resumeCadence } from '../cadence-progress.js';
import { eventTime, timerEvent } from '../event-time.js';
import { pauseSlas, resumeSlas } from '../sla-clock.js';
import { TIMER_IDS } from '../timer-ids.js';
import { eventOf, leadAction, note } from './lead-action.js';

/**
 * The snooze actions of the machine, over the SLA policy (resuming an SLA keeps its time left in the
 * SLA's own clock).
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { snoozeActions } from './snooze.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...snoozeActions(policies) } });
 * ```
 */
export function snoozeActions({ sla: slaPolicy }: LeadPolicies) {
  return {
    snooze: leadAction(({ context, event, enqueue }) => {
      const snooze = eventOf(event, 'lead.snoozed');
      const slas = pauseSlas(context, snooze.at);
      enqueue.assign({ snoozedAt: snooze.at, snoozedUntil: snooze.until, slas, cadence: pauseCadence(context.cadence, snooze.at) });
      const paused = activeSlas({ ...context, slas })
        .filter((sla) => sla.breachedAt === undefined)
        // An SLA already paused (the prospect is out of office) has what was left when it paused.
        .map((sla) => `${sla.name} SLA paused with ${formatDuration(sla.dueAt - (sla.pausedAt ?? snooze.at))} left`);
      note(enqueue, [`snoozed until ${formatInstant(snooze.until)}${snooze.reason ? ` (${snooze.reason})` : ''}`, ...paused].join('; '));
    }),
    armSnoozeTimer: leadAction(({ context, event, enqueue }) => {
      const at = eventTime(event);
      const until = context.snoozedUntil ?? at;
      enqueue.raise(timerEvent({ type: 'snooze.ended' }, until, at) as never, { id: TIMER_IDS.snooze, delay: Math.max(0, until - at) });
    }),
    disarmSnoozeTimer: leadAction(({ enqueue }) => enqueue.cancel(TIMER_IDS.snooze)),
    resume: leadAction(({ event, context, enqueue }, params: { why: string }) => {
      const at = eventTime(event);
      const pausedMs = at - (context.snoozedAt ?? at);
      const { snoozedAt, snoozedUntil, ...rest } = context;
      const next: LeadContext = { ...rest };
      // Still out of office: the SLAs and the cadence stay paused until the prospect is back.
      const away = context.awayUntil !== undefined && at < context.awayUntil;
      next.slas = away ? context.slas : resumeSlas(context, slaPolicy, at);
      const cadence = away ? context.cadence : resumeCadence(context.cadence, at);
      if (cadence) next.cadence = cadence;
      enqueue.assign(() => next);
      const due = activeSlas(next)
        .filter((sla) => sla.breachedAt === undefined)
        .map((sla) => `${sla.name} SLA now due ${formatInstant(sla.dueAt)}`);
      note(enqueue, [`resumed (${params.why}) after ${formatDuration(pausedMs)}`, ...due].join('; '));
    }),
  };
}
