/**
 * Who works the lead: taking an owner (and the SLAs that start with the assignment), changing owners (the
 * old owner's SLAs end, the new owner gets fresh ones), and a lead no rep could take (why, who is told,
 * when routing tries again).
 *
 * @module
 */
import type { LeadEvent, MachineEvent } from '../../lead/events.js';
import type { LeadPolicies } from '../../policies/types.js';
import { formatInstant } from '../../time/instant.js';
import { forgetMissedSteps } from '../cadence-progress.js';
import { timerEvent } from '../event-time.js';
import { closeSlas, startSlas } from '../sla-clock.js';
import { TIMER_IDS } from '../timer-ids.js';
import { eventOf, leadAction, note, notify } from './lead-action.js';
import { changeWithSlas, slaNotes, syncSlaTimers } from './sla-changes.js';

/** Owner and assignment reason, from `lead.assigned` or `lead.reassigned`. */
function ownerOf(event: MachineEvent): Extract<LeadEvent, { type: 'lead.assigned' | 'lead.reassigned' }> {
  return event as Extract<LeadEvent, { type: 'lead.assigned' | 'lead.reassigned' }>;
}

/**
 * The ownership actions of the machine, over the SLA policy (assignment starts SLAs).
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { ownershipActions } from './ownership.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...ownershipActions(policies) } });
 * ```
 */
export function ownershipActions({ sla: slaPolicy }: LeadPolicies) {
  return {
    takeOwner: leadAction(({ event, context, enqueue }) => {
      const { owner, reason, at } = ownerOf(event);
      const change = { owner, unrouted: undefined, cadence: forgetMissedSteps(context.cadence) };
      const notes = changeWithSlas(enqueue, context, change, { eventType: 'lead.assigned', starts: 'assigned', at, policy: slaPolicy });
      note(enqueue, `assigned to ${owner}${reason ? ` (${reason})` : ''}`);
      for (const text of notes) note(enqueue, text);
      notify(enqueue, { kind: 'lead.assigned', to: [owner], summary: `new ${context.source} lead ${context.leadId}` });
    }),
    changeOwner: leadAction(({ event, context, enqueue }) => {
      const { owner, reason, at } = ownerOf(event);
      const previous = context.owner;
      // The SLAs that came with the old owner's assignment end with it; the new owner gets fresh ones.
      const closed = closeSlas(context, at, (sla) => sla.startedBy === 'assigned');
      const slas = startSlas({ ...context, owner, slas: closed }, slaPolicy, 'assigned', at);
      enqueue.assign({
        owner,
        slas,
        previousOwners: previous ? [...context.previousOwners, previous] : context.previousOwners,
        cadence: forgetMissedSteps(context.cadence),
      });
      syncSlaTimers(enqueue, context.slas, slas, at);
      note(enqueue, `reassigned from ${previous ?? 'nobody'} to ${owner}${reason ? ` (${reason})` : ''}`);
      for (const text of slaNotes([], slas.slice(closed.length))) note(enqueue, text);
      notify(enqueue, { kind: 'lead.reassigned', to: [owner], summary: `lead ${context.leadId} reassigned to you` });
    }),
    /** No rep could take the lead: say why, tell the audience once, and try again at `retryAt`. */
    recordUnrouted: leadAction(({ context, event, enqueue }) => {
      const unrouted = eventOf(event, 'lead.unrouted');
      // Always a change (the next try moves on), so the transition is taken and its timer raised.
      enqueue.assign({ unrouted: { since: context.unrouted?.since ?? unrouted.at, attempts: context.unrouted?.attempts ?? 1, retryAt: unrouted.retryAt } });
      note(enqueue, `no rep can take the lead: ${unrouted.reason}; routing again ${formatInstant(unrouted.retryAt)}`);
      if (unrouted.first)
        notify(enqueue, {
          kind: 'lead.unrouted',
          to: unrouted.audience ? [] : unrouted.notify,
          ...(unrouted.audience ? { audience: unrouted.audience } : {}),
          summary: `lead ${context.leadId} has no owner: ${unrouted.reason}`,
        });
      enqueue.raise(timerEvent({ type: 'routing.retry_due' }, unrouted.retryAt, unrouted.at) as never, {
        id: TIMER_IDS.route,
        delay: Math.max(0, unrouted.retryAt - unrouted.at),
      });
    }),
    /** An owner found (or qualification started): no more re-routing. */
    disarmRoutingTimer: leadAction(({ enqueue }) => enqueue.cancel(TIMER_IDS.route)),
    /** The re-routing timer: the engine routes the lead again right after this event. */
    retryRouting: leadAction(({ context, enqueue }) => {
      const attempts = (context.unrouted?.attempts ?? 0) + 1;
      if (context.unrouted) enqueue.assign({ unrouted: { ...context.unrouted, attempts } });
      note(enqueue, `routing again (attempt ${attempts})`);
    }),
  };
}
