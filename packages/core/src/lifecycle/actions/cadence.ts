/**
 * The cadence region's actions: enrol, arm the next step's timer, remind the owner when a step comes due,
 * hold a step that would come too soon (minimum gap, the contact's cooldown), go on past the last step
 * while the lead lacks its minimum touches, pause and resume with the prospect, stop, end, and end a
 * cadence the owner ignores (held, handed back, or closed at the recycle limit).
 *
 * @module
 */
import type { LeadPolicies } from '../../policies/types.js';
import { formatInstant } from '../../time/instant.js';
import {
  advanceCadence,
  exhaustCadence,
  extendCadence,
  missedStepRule,
  missedStepsAt,
  pauseCadence,
  postponeStep,
  resumeCadence,
  startCadence,
  stopCadence,
} from '../cadence-progress.js';
import { eventTime, timerEvent } from '../event-time.js';
import { handedBack, recycleLimitReached } from '../recycling.js';
import { closeSlas } from '../sla-clock.js';
import { stepHold } from '../step-hold.js';
import { TIMER_IDS } from '../timer-ids.js';
import { eventOf, leadAction, note, notify, ownerOnly } from './lead-action.js';

/**
 * The cadence actions of the machine, over the cadence policy (and the recycle policy, for a cadence the
 * owner ignores).
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { cadenceActions } from './cadence.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...cadenceActions(policies) } });
 * ```
 */
export function cadenceActions({ cadence: cadencePolicy, recycle: recyclePolicy }: LeadPolicies) {
  const missedRule = missedStepRule(cadencePolicy);
  return {
    /** Enrolls the lead in the cadence (again, when the policy allows re-enrollment). */
    enrollCadence: leadAction(({ context, event, enqueue }) => {
      if (!cadencePolicy) return;
      const at = eventTime(event);
      const { cadence, skipped } = startCadence(context, cadencePolicy, at);
      enqueue.assign({ cadence, cadenceRuns: context.cadenceRuns + 1 });
      for (const text of skipped) note(enqueue, text);
      const first = cadence.nextIsEnd ? 'no step the lead may get' : `first ${cadence.nextLabel}, due ${formatInstant(cadence.nextDueAt ?? at)}`;
      note(enqueue, `cadence ${cadencePolicy.name} ${context.cadenceRuns > 0 ? 're-enrolled' : 'started'}: ${cadencePolicy.length} steps, ${first}`);
    }),
    /** The timer of the next step, named by the enrolment it belongs to: a timer of an earlier one names another run. */
    armStepTimer: leadAction(({ context, event, enqueue }) => {
      const at = eventTime(event);
      const dueAt = context.cadence?.nextDueAt ?? at;
      const step = { type: 'cadence.step_due', step: context.cadence?.nextStep ?? 0, run: context.cadenceRuns } as const;
      enqueue.raise(timerEvent(step, dueAt, at) as never, { id: TIMER_IDS.cadence, delay: Math.max(0, dueAt - at) });
    }),
    disarmStepTimer: leadAction(({ enqueue }) => enqueue.cancel(TIMER_IDS.cadence)),
    /** A step came due: remind the owner, plan the next step. */
    touchDue: leadAction(({ context, event, enqueue }) => {
      const cadence = context.cadence;
      if (!cadence || !cadencePolicy) return;
      const at = eventTime(event);
      const label = cadence.nextLabel ?? `step ${cadence.nextStep + 1}`;
      const missed = missedStepsAt(context, at);
      note(enqueue, `touch due: ${label}${context.owner ? `; reminder to ${context.owner}` : ''}`);
      notify(enqueue, { kind: 'touch.due', to: ownerOnly(context), summary: `${cadence.nextChannel ?? 'touch'} due for lead ${context.leadId} (${label})` });
      if (missed === missedRule.escalateAfter) {
        const words = `${missed} cadence steps in a row came due with no touch`;
        note(enqueue, `${words}${context.owner ? `; the manager of ${context.owner} notified` : ''}`);
        notify(enqueue, { kind: 'touch.missed', to: ownerOnly(context), audience: 'manager', summary: `lead ${context.leadId}: ${words}` });
      }
      const { cadence: next, skipped } = advanceCadence(context, cadencePolicy, cadence);
      enqueue.assign({ cadence: { ...next, lastDueAt: at, missed } });
      for (const text of skipped) note(enqueue, text);
    }),
    /** The next step would come too soon after the last touch: wait out the minimum gap. */
    postponeStep: leadAction(({ context, event, enqueue }) => {
      const cadence = context.cadence;
      const hold = stepHold(cadencePolicy, context, event);
      if (!cadence || !hold) return;
      enqueue.assign({ cadence: postponeStep(cadence, hold.until) });
      note(enqueue, hold.why);
    }),
    /** The cadence's end came before the lead's minimum touches: one more step. */
    extendCadence: leadAction(({ context, event, enqueue }) => {
      const cadence = context.cadence;
      if (!cadence || !cadencePolicy) return;
      const next = extendCadence(context, cadencePolicy, cadence, eventTime(event));
      enqueue.assign({ cadence: next });
      note(
        enqueue,
        `cadence goes on: ${context.touches} of ${cadencePolicy.minTouches} minimum touches made; ${next.nextLabel} due ${formatInstant(next.nextDueAt ?? 0)}`,
      );
    }),
    /** Every step came due and the lead has its minimum touches, with no reply. */
    exhaustCadence: leadAction(({ context, enqueue }) => {
      enqueue.assign({ cadence: exhaustCadence(context.cadence) });
      note(enqueue, `cadence ended: ${context.cadence?.stepsDue} steps came due, ${context.touches} touches, no reply`);
    }),
    pauseForOutOfOffice: leadAction(({ context, event, enqueue }) => {
      const away = eventOf(event, 'prospect.out_of_office');
      enqueue.assign({ cadence: pauseCadence(context.cadence, away.at, away.until) });
      note(enqueue, `cadence paused until ${formatInstant(away.until)}`);
    }),
    resumeCadence: leadAction(({ context, event, enqueue }, params: { why: string }) => {
      const at = eventTime(event);
      const cadence = resumeCadence(context.cadence, at);
      enqueue.assign({ cadence });
      note(enqueue, `cadence resumed (${params.why}); ${cadence?.nextLabel ?? 'next step'} due ${formatInstant(cadence?.nextDueAt ?? at)}`);
    }),
    stopCadence: leadAction(({ context, enqueue }, params: { reason: string }) => {
      enqueue.assign({ cadence: stopCadence(context.cadence, params.reason) });
      note(enqueue, `cadence stopped: ${params.reason}`);
    }),
    /** The owner let `endAfter` steps pass untouched: no more reminders; the lead is held or handed back. */
    endIgnoredCadence: leadAction(({ context, event, enqueue }) => {
      const at = eventTime(event);
      const missed = missedStepsAt(context, at);
      const why = `${missedRule.reason}: ${missed} cadence steps in a row came due with no touch`;
      if (missedRule.endWith === 'recycle' && recycleLimitReached(context, recyclePolicy)) {
        enqueue.assign({ cadence: stopCadence(context.cadence, why), disqualifiedReason: `max_recycles:${missedRule.reason}`, slas: closeSlas(context, at) });
        note(enqueue, `cadence ended and lead closed: ${why}; already recycled ${context.recycle.count} times (max ${recyclePolicy?.maxRecycles})`);
      } else if (missedRule.endWith === 'recycle') {
        enqueue.assign({
          cadence: stopCadence(context.cadence, why),
          recycle: handedBack(context.recycle, missedRule.reason, at),
          slas: closeSlas(context, at),
        });
        note(enqueue, `cadence ended and lead handed back to marketing: ${why}`);
        enqueue('startNurture' as never);
      } else {
        enqueue.assign({ cadence: stopCadence(context.cadence, why) });
        note(enqueue, `cadence ended, the lead stays with ${context.owner ?? 'nobody'}: ${why}`);
      }
      notify(enqueue, { kind: 'touch.missed', to: ownerOnly(context), audience: 'manager', summary: `lead ${context.leadId}: ${why}` });
    }),
  };
}
