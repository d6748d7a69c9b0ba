/**
 * How a lead's fate is decided: qualified (with the SLAs that start on qualification), converted to an
 * opportunity, or disqualified. Leaving the funnel ends every SLA still running (breached if it had).
 *
 * @module
 */
import type { LeadPolicies } from '../../policies/types.js';
import { closeSlas } from '../sla-clock.js';
import { eventOf, leadAction, note } from './lead-action.js';
import { changeWithSlas } from './sla-changes.js';

/**
 * The outcome actions of the machine, over the SLA policy (qualification starts SLAs).
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { outcomeActions } from './outcome.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...outcomeActions(policies) } });
 * ```
 */
export function outcomeActions({ sla: slaPolicy }: LeadPolicies) {
  return {
    markQualified: leadAction(({ event, context, enqueue }) => {
      const qualified = eventOf(event, 'lead.qualified');
      const cause = { eventType: 'lead.qualified', starts: 'qualified', at: qualified.at, policy: slaPolicy } as const;
      const notes = changeWithSlas(enqueue, context, { qualified: true }, cause);
      note(enqueue, `qualified${qualified.by ? ` by ${qualified.by}` : ''}${qualified.note ? `: ${qualified.note}` : ''}`);
      for (const text of notes) note(enqueue, text);
    }),
    /** The lead leaves the funnel for good; SLAs still running end (breached if they had). */
    disqualify: leadAction(({ context, event, enqueue }, params: { where: string }) => {
      const { reason, at } = eventOf(event, 'lead.disqualified');
      enqueue.assign({ disqualifiedReason: reason, slas: closeSlas(context, at) });
      note(enqueue, `disqualified${params.where}: ${reason}`);
    }),
    convert: leadAction(({ context, event, enqueue }, params: { where: string }) => {
      const { opportunityId, at } = eventOf(event, 'lead.converted');
      enqueue.assign({ convertedAt: at, slas: closeSlas(context, at) });
      note(enqueue, `converted${params.where}${opportunityId ? ` to opportunity ${opportunityId}` : ''}`);
    }),
  };
}
