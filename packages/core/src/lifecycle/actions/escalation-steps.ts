/**
 * What each kind of SLA escalation step does, as a table keyed by `ESCALATION_ACTIONS` (lead/context.ts).
 * A new kind of step is a line in that list, with its words, and an entry here; the SLA policy's schema
 * and the machine take it from there.
 *
 * @module
 */
import type { EscalationAction, LeadContext, SlaEscalation } from '../../lead/context.js';
import type { NotifyParams, TeamRequest } from '../requests.js';

/** What an escalation step decides: its notes, and the notification or team request it asks for. */
export interface EscalationStep {
  notes: string[];
  notify?: NotifyParams;
  team?: TeamRequest;
}

/** What a step is decided from: the lead, the step as the policy wrote it, and the words for why. */
export interface EscalationCause {
  context: LeadContext;
  escalation: SlaEscalation;
  why: string;
}

/**
 * Each escalation action's decision.
 *
 * @example
 * ```ts
 * import type { LeadContext, SlaEscalation } from '@leadline/core';
 * import { ESCALATION_STEPS } from './escalation-steps.js';
 *
 * declare const context: LeadContext; // a lead ann owns
 * declare const escalation: SlaEscalation; // the first_touch SLA's step due 30m after its start
 * const step = ESCALATION_STEPS.notify_manager({ context, escalation, why: 'first_touch SLA escalation: manager notified at 30m' });
 * // step.notify: { kind: 'sla.escalated', to: ['ann'], audience: 'manager', summary: ... }
 * ```
 */
export const ESCALATION_STEPS: Record<EscalationAction, (cause: EscalationCause) => EscalationStep> = {
  notify_owner: ({ context, why }) => ({
    notes: [`${why}${context.owner ? `; ${context.owner} notified again` : ''}`],
    notify: { kind: 'sla.escalated', to: context.owner ? [context.owner] : [], summary: `lead ${context.leadId} is still waiting (${why})` },
  }),
  notify_manager: ({ context, why }) => ({
    notes: [`${why}${context.owner ? `; the manager of ${context.owner} notified` : ''}`],
    notify: {
      kind: 'sla.escalated',
      to: context.owner ? [context.owner] : [],
      audience: 'manager',
      summary: `lead ${context.leadId} of ${context.owner ?? 'nobody'} is still waiting (${why})`,
    },
  }),
  reassign: ({ context, escalation, why }) => {
    const recent = context.previousOwners.slice(-(escalation.avoidLast ?? 0));
    const avoid = context.owner ? [context.owner, ...recent] : recent;
    return {
      notes: [`${why}; to be reassigned, not to ${avoid.join(', ') || 'anyone in particular'}`],
      team: { kind: 'reassign', avoid: [...new Set(avoid)], reason: why },
    };
  },
  mark_unavailable: ({ context, why }) =>
    context.owner
      ? { notes: [`${why}; ${context.owner} marked unavailable`], team: { kind: 'mark_unavailable', rep: context.owner, reason: why } }
      : { notes: [`${why}; the lead has no owner to mark unavailable`] },
};
