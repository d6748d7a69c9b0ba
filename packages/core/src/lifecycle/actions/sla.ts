/**
 * The SLA region's actions: arm every running SLA's timer when the lead enters `open`, disarm them when
 * it leaves, and handle a fired SLA timer (a warning, a breach, an escalation step, then the next timer).
 * Meeting and starting SLAs on the lead's own events happens with those events (see `sla-changes.ts`).
 *
 * @module
 */
import { activeSlas } from '../../lead/context.js';
import { formatInstant } from '../../time/instant.js';
import { eventTime, timerEvent } from '../event-time.js';
import { fireSlaTimer, type SlaTimerEvent, slaTimerOf } from '../sla-clock.js';
import { TIMER_IDS } from '../timer-ids.js';
import { ESCALATION_STEPS } from './escalation-steps.js';
import { leadAction, note, notify, teamRequest } from './lead-action.js';
import { syncSlaTimers } from './sla-changes.js';

/**
 * The SLA actions of the machine.
 *
 * @example
 * ```ts
 * import type { LeadContext, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { slaActions } from './sla.js';
 *
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...slaActions() } });
 * ```
 */
export function slaActions() {
  return {
    /** Raises the timers of every running SLA: on entering `open` (intake, re-engagement, end of a snooze). */
    armSlaTimers: leadAction(({ context, event, enqueue }) => {
      const at = eventTime(event);
      syncSlaTimers(enqueue, [], context.slas, at);
      // Back from a snooze while the prospect was still away: the return date still counts.
      if (context.awayUntil !== undefined)
        enqueue.raise(timerEvent({ type: 'prospect.back' }, context.awayUntil, at) as never, {
          id: TIMER_IDS.away,
          delay: Math.max(0, context.awayUntil - at),
        });
    }),
    /** Cancels the timers of every running SLA: on leaving `open`. */
    disarmSlaTimers: leadAction(({ context, enqueue }) => {
      if (context.awayUntil !== undefined) enqueue.cancel(TIMER_IDS.away);
      for (const sla of activeSlas(context)) {
        const timer = slaTimerOf(sla);
        if (timer) enqueue.cancel(timer.id);
      }
    }),
    /** A fired SLA timer: a warning, a breach or an escalation step, then the SLA's next timer. */
    slaTimer: leadAction(({ context, event, enqueue }) => {
      const timer = event as unknown as SlaTimerEvent & { at: number };
      const { slas, sla, escalation } = fireSlaTimer(context, timer, timer.at);
      if (!sla) return;
      enqueue.assign({ slas });
      syncSlaTimers(enqueue, context.slas, slas, timer.at);
      const owner = context.owner;
      const to = owner ? [owner] : [];
      if (timer.type === 'sla.warning') {
        note(enqueue, `${sla.name} SLA at risk: due ${formatInstant(sla.dueAt)} (${sla.label})${owner ? `; ${owner} warned` : ''}`);
        notify(enqueue, { kind: 'sla.warning', to, summary: `${sla.name} SLA for lead ${context.leadId} is due ${formatInstant(sla.dueAt)}` });
        return;
      }
      if (timer.type === 'sla.breached') {
        note(enqueue, `${sla.name} SLA breached at ${formatInstant(timer.at)} (${sla.label}, not met)${owner ? `; ${owner} notified` : '; no owner yet'}`);
        notify(enqueue, { kind: 'sla.breached', to, summary: `${sla.name} SLA breached for lead ${context.leadId}` });
        return;
      }
      if (!escalation) return;
      const why = `${sla.name} SLA escalation: ${escalation.label}`;
      const step = ESCALATION_STEPS[escalation.action]({ context, escalation, why });
      for (const text of step.notes) note(enqueue, text);
      if (step.notify) notify(enqueue, step.notify);
      if (step.team) teamRequest(enqueue, step.team);
    }),
  };
}
