/**
 * The lifecycle's guards, over the policies: whether a lead needs qualification, where its worst SLA
 * stands, whether it may enrol in the cadence, whether a timer is still the current one (a timer
 * rescheduled while another worker held its claim comes too early, or for a phase already past, and is
 * dropped), and the recycle policy's say on intent and final reasons.
 *
 * @module
 */
import type { LeadContext } from '../lead/context.js';
import type { MachineEvent } from '../lead/events.js';
import type { CadenceStop, LeadPolicies } from '../policies/types.js';
import { missedStepRule, missedStepsAt } from './cadence-progress.js';
import { eventTime } from './event-time.js';
import { recycleLimitReached } from './recycling.js';
import { type SlaTimerEvent, slaTimerOf, worstSlaStanding } from './sla-clock.js';
import { stepHold } from './step-hold.js';

/** What a guard is given. */
interface GuardArgs {
  context: LeadContext;
  event: MachineEvent;
}

/**
 * The guards of the machine.
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { leadGuards } from './guards.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, guards: leadGuards(policies) });
 * ```
 */
export function leadGuards({ cadence: cadencePolicy, recycle: recyclePolicy, qualification }: LeadPolicies) {
  const missedRule = missedStepRule(cadencePolicy);
  return {
    needsQualification: ({ context }: GuardArgs) => !context.qualified && (qualification?.required(context) ?? false),
    worstSlaIsBreached: ({ context }: GuardArgs) => worstSlaStanding(context) === 'breached',
    worstSlaIsAtRisk: ({ context }: GuardArgs) => worstSlaStanding(context) === 'at_risk',
    worstSlaIsClear: ({ context }: GuardArgs) => worstSlaStanding(context) === 'clear',
    mayEnroll: ({ context }: GuardArgs) => cadencePolicy !== undefined && (cadencePolicy.reenroll !== 'once' || context.cadenceRuns === 0),
    enrollsAtIntake: ({ context }: GuardArgs) => cadencePolicy?.startsOn === 'captured' && (cadencePolicy.reenroll !== 'once' || context.cadenceRuns === 0),
    restartsOnAssignment: () => cadencePolicy?.reenroll === 'always',
    stepTooSoon: ({ context, event }: GuardArgs) => stepHold(cadencePolicy, context, event) !== undefined,
    /** The event stops the cadence when the policy lists it (a bounce is a touch whose outcome says so). */
    cadenceStopsOn: ({ event }: GuardArgs, params: { stop: CadenceStop }) =>
      (cadencePolicy?.stopsOn.includes(params.stop) ?? false) &&
      (params.stop !== 'touch.bounced' || (event.type === 'touch.logged' && event.outcome === 'bounced')),
    cadenceStepIsDue: ({ context, event }: GuardArgs) =>
      context.cadence?.status === 'active' &&
      context.cadence.nextDueAt !== undefined &&
      eventTime(event) >= context.cadence.nextDueAt &&
      // A timer of an earlier enrolment (restarted meanwhile) names another run or step: not this one.
      (event.type !== 'cadence.step_due' || (event.step === context.cadence.nextStep && (event.run === undefined || event.run === context.cadenceRuns))),
    slaTimerIsCurrent: ({ context, event }: GuardArgs) => {
      const fired = event as unknown as SlaTimerEvent & { at: number };
      const sla = context.slas.find((record) => record.name === fired.sla && record.outcome === undefined);
      const current = sla ? slaTimerOf(sla) : undefined;
      return (
        current !== undefined &&
        current.event.type === fired.type &&
        (fired.type !== 'sla.escalated' || (current.event.type === 'sla.escalated' && current.event.step === fired.step)) &&
        fired.at >= current.dueAt
      );
    },
    awayIsOver: ({ context, event }: GuardArgs) => context.awayUntil !== undefined && eventTime(event) >= context.awayUntil,
    snoozeIsOver: ({ context, event }: GuardArgs) => context.snoozedUntil !== undefined && eventTime(event) >= context.snoozedUntil,
    recheckIsDue: ({ context, event }: GuardArgs) => context.recycle.recheckAt !== undefined && eventTime(event) >= context.recycle.recheckAt,
    cadenceEnds: ({ context }: GuardArgs) => context.cadence?.nextIsEnd === true && context.touches >= (cadencePolicy?.minTouches ?? 0),
    cadenceAtEnd: ({ context }: GuardArgs) => context.cadence?.nextIsEnd === true,
    followUpIgnored: ({ context, event }: GuardArgs) => missedStepsAt(context, eventTime(event)) >= missedRule.endAfter,
    ignoredRecycles: () => missedRule.endWith === 'recycle',
    recycleLimitReached: ({ context }: GuardArgs) => recycleLimitReached(context, recyclePolicy),
    recycleOnExhausted: () => cadencePolicy?.onExhausted === 'recycle',
    isIntent: ({ context, event }: GuardArgs) =>
      event.type === 'activity.recorded' && (recyclePolicy?.isIntent({ activity: event.activity, score: event.score }, context, event.at) ?? false),
    recycleCloses: ({ event }: GuardArgs) => event.type === 'lead.recycled' && (recyclePolicy?.closes?.(event.reason) ?? false),
  };
}
