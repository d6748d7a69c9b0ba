/**
 * Handing a lead back to marketing and getting it back: a hand-back (nurtured, or closed when the
 * recycle policy says so or at the recycle limit), a cadence that ran out with no reply, nurture with its
 * re-check timer, and re-engagement (a new cycle with fresh SLAs and no owner).
 *
 * @module
 */
import type { LeadContext } from '../../lead/context.js';
import type { LeadPolicies } from '../../policies/types.js';
import { formatInstant } from '../../time/instant.js';
import { eventTime, timerEvent } from '../event-time.js';
import { handedBack } from '../recycling.js';
import { closeSlas, startSlas } from '../sla-clock.js';
import { TIMER_IDS } from '../timer-ids.js';
import { eventOf, leadAction, note, notify } from './lead-action.js';
import { slaNotes } from './sla-changes.js';

/**
 * The recycle actions of the machine, over the recycle policy (and the SLA policy, whose SLAs start
 * again on re-engagement).
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { recycleActions } from './recycle.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...recycleActions(policies) } });
 * ```
 */
export function recycleActions({ recycle: recyclePolicy, sla: slaPolicy }: LeadPolicies) {
  return {
    // A reason the recycle policy treats as final (for example "do not contact") ends the lead.
    closeByRecyclePolicy: leadAction(({ event, context, enqueue }) => {
      const { reason, at } = eventOf(event, 'lead.recycled');
      enqueue.assign({ disqualifiedReason: reason, slas: closeSlas(context, at) });
      note(enqueue, `closed: ${reason} ends the lead (recycle policy)`);
    }),
    // A lead handed back more often than the policy allows is closed rather than nurtured forever.
    closeAtRecycleLimit: leadAction(({ event, context, enqueue }) => {
      const { reason, at } = eventOf(event, 'lead.recycled');
      enqueue.assign({ disqualifiedReason: `max_recycles:${reason}`, slas: closeSlas(context, at) });
      note(enqueue, `closed: already recycled ${context.recycle.count} times (max ${recyclePolicy?.maxRecycles}); last reason ${reason}`);
    }),
    handBack: leadAction(({ event, context, enqueue }) => {
      const { reason, at } = eventOf(event, 'lead.recycled');
      enqueue.assign({ recycle: handedBack(context.recycle, reason, at), slas: closeSlas(context, at) });
      note(enqueue, `handed back to marketing: ${reason} (recycle ${context.recycle.count + 1} of ${recyclePolicy?.maxRecycles ?? 'unlimited'})`);
      enqueue('startNurture' as never);
    }),
    /** The whole cadence came due with no reply, and the policy recycles such leads. */
    recycleUnanswered: leadAction(({ event, context, enqueue }) => {
      const at = eventTime(event);
      enqueue.assign({ recycle: handedBack(context.recycle, 'no_response', at), slas: closeSlas(context, at) });
      note(enqueue, 'recycled: no_response after the whole cadence');
      enqueue('startNurture' as never);
    }),
    startNurture: leadAction(({ event, context, enqueue }) => {
      const at = eventTime(event);
      const reason = context.recycle.reason ?? 'unspecified';
      const recheckAt = recyclePolicy?.recheckAt(context, reason, at);
      const { recheckAt: _old, ...recycle } = context.recycle;
      // Nurtured leads wait for nobody: a routing wait ends with the hand-back.
      enqueue.assign({
        recycle: recheckAt === undefined ? { ...recycle, recycledAt: at } : { ...recycle, recycledAt: at, recheckAt },
        unrouted: undefined,
      });
      note(enqueue, recheckAt === undefined ? 'nurtured until new intent' : `nurtured; re-check ${formatInstant(recheckAt)}`);
    }),
    /** Only a re-check date makes a timer: a lead nurtured until new intent waits for an event. */
    armRecheckTimer: leadAction(({ context, event, enqueue }) => {
      const recheckAt = context.recycle.recheckAt;
      const at = eventTime(event);
      if (recheckAt !== undefined)
        enqueue.raise(timerEvent({ type: 'recycle.recheck_due' }, recheckAt, at) as never, { id: TIMER_IDS.recheck, delay: Math.max(0, recheckAt - at) });
    }),
    disarmRecheckTimer: leadAction(({ enqueue }) => enqueue.cancel(TIMER_IDS.recheck)),
    recordNurturedActivity: leadAction(({ event, enqueue }) => {
      note(enqueue, `activity while nurtured: ${eventOf(event, 'activity.recorded').activity} (not enough intent to re-engage)`);
    }),
    reengage: leadAction(({ event, context, enqueue }, params: { why: string }) => {
      const at = eventTime(event);
      // A new cycle: no owner, no cadence, and no routing wait carried over from before the hand-back.
      const { owner, cadence, recheckAt, unrouted, ...rest } = { ...context, recheckAt: context.recycle.recheckAt };
      const { recheckAt: _done, ...recycle } = context.recycle;
      const next: LeadContext = {
        ...rest,
        previousOwners: owner ? [...context.previousOwners, owner] : context.previousOwners,
        qualified: false,
        recycle: { ...recycle, reengaged: recycle.reengaged + 1 },
      };
      next.slas = startSlas(next, slaPolicy, 'captured', at);
      // The timers of the new SLAs are raised when the lead enters `open`.
      enqueue.assign(() => next);
      note(enqueue, [`re-engaged: ${params.why}`, ...slaNotes([], next.slas.slice(context.slas.length))].join('; '));
      notify(enqueue, { kind: 'lead.reengaged', to: owner ? [owner] : [], summary: `lead ${context.leadId} re-engaged: ${params.why}` });
    }),
  };
}
