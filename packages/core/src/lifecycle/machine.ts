/**
 * The lead lifecycle as an XState v5 machine. While a lead is open three regions run side by side:
 * `stage` (new -> qualifying -> qualified -> assigned -> working), `sla` (the speed-to-lead clock) and
 * `cadence` (the planned touches). Snoozed, recycled, converted and disqualified leave the open state,
 * which cancels every timer the regions hold.
 *
 * The machine never waits itself: deadlines are delayed `raise` actions with an id, which the engine
 * turns into durable timer rows (and `cancel` actions into deletions). `note` actions explain each
 * decision in the lead's history; `notify` actions become outbox messages.
 *
 * This file is the statechart: which event moves the lead where. What each transition does lives in
 * `actions/` by concern (ownership, sla, contact, cadence, snooze, recycle, outcome), and when it may
 * happen in `guards.ts`.
 *
 * @module
 */
import { and, setup } from 'xstate';
import type { MachineEvent } from '../lead/events.js';
import type { CadenceStop, LeadPolicies } from '../policies/types.js';
import { cadenceActions } from './actions/cadence.js';
import { contactActions } from './actions/contact.js';
import { outcomeActions } from './actions/outcome.js';
import { ownershipActions } from './actions/ownership.js';
import { recycleActions } from './actions/recycle.js';
import { slaActions } from './actions/sla.js';
import { snoozeActions } from './actions/snooze.js';
import { leadGuards } from './guards.js';
import { initialContext, type LeadMachineInput } from './initial-context.js';
import type { NotifyParams, TeamRequest } from './requests.js';

/**
 * How many microsteps one event may take before the runner gives up (`RunawayTransitionError`). The
 * longest legitimate chain is a handful of eventless steps (qualifying, the SLA region, an exhausted
 * cadence recycling the lead); a hundred leaves room and still stops a cycle at once.
 *
 * @example
 * ```ts
 * import { type Engine, MAX_MICROSTEPS, RunawayTransitionError } from '@leadline/core';
 *
 * declare const engine: Engine; // createEngine({ policies }), with lead-1 captured
 * try {
 *   await engine.dispatch('lead-1', { type: 'lead.qualified', id: 'q-1', at: new Date() });
 * } catch (error) {
 *   if (error instanceof RunawayTransitionError) console.log(error.maxMicrosteps === MAX_MICROSTEPS); // true: nothing was written
 * }
 * ```
 */
export const MAX_MICROSTEPS = 100;

/** What the prospect and the rep do, recorded in every stage of an open lead. */
const prospectContact = {
  'touch.logged': { actions: 'recordTouch' },
  'prospect.replied': { actions: 'recordReply' },
  'meeting.booked': { actions: 'recordMeeting' },
  'prospect.unsubscribed': { actions: 'recordOptOut' },
  'prospect.out_of_office': { actions: 'recordOutOfOffice' },
  'prospect.back': { guard: 'awayIsOver', actions: 'prospectBack' },
} as const;

/**
 * A lead that awaits an owner: assigned, or left unrouted with the reason and a re-routing timer (the
 * engine routes it again after every event, the timer's included).
 */
const awaitingOwner = {
  'lead.assigned': { target: 'assigned', actions: 'takeOwner' },
  'lead.unrouted': { actions: 'recordUnrouted' },
  'routing.retry_due': { actions: 'retryRouting' },
} as const;

/** An event that stops the cadence, when the policy lists it. */
const stopOn = (stop: CadenceStop, reason: string) =>
  ({
    guard: { type: 'cadenceStopsOn', params: { stop } },
    target: 'stopped',
    actions: { type: 'stopCadence', params: { reason } },
  }) as const;

const cadenceStops = {
  'prospect.replied': stopOn('prospect.replied', 'prospect replied'),
  'meeting.booked': stopOn('meeting.booked', 'meeting booked'),
  'prospect.unsubscribed': stopOn('prospect.unsubscribed', 'prospect unsubscribed'),
  'lead.qualified': stopOn('lead.qualified', 'lead qualified'),
  'touch.logged': stopOn('touch.bounced', 'a touch bounced'),
} as const;

/** A hand-back: closes the lead when the policy says so or at the recycle limit, else nurtures it. */
const handBack = {
  'lead.recycled': [
    { guard: 'recycleCloses', target: '#lead.disqualified', actions: 'closeByRecyclePolicy' },
    { guard: 'recycleLimitReached', target: '#lead.disqualified', actions: 'closeAtRecycleLimit' },
    { target: '#lead.recycled', actions: 'handBack' },
  ],
} as const;

/** The way out of the funnel, defined once for open, snoozed and nurtured leads; `where` is for the note. */
const closing = (where: '' | ' while snoozed' | ' from nurture') =>
  ({
    'lead.disqualified': { target: '#lead.disqualified', actions: { type: 'disqualify', params: { where } } },
    'lead.converted': { target: '#lead.converted', actions: { type: 'convert', params: { where } } },
  }) as const;

/** A re-enrolment after a reassignment, from a cadence that ran out or was stopped. */
const reenrollOnReassign = { 'lead.reassigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' } } as const;

/**
 * Builds the lead lifecycle machine for a policy set.
 *
 * @example
 * ```ts
 * import { captureInputSchema, createLeadMachine, firstTouchSla } from '@leadline/core';
 * import { initialTransition } from 'xstate';
 *
 * const machine = createLeadMachine({ sla: firstTouchSla({ within: '5m' }) });
 * const lead = captureInputSchema.parse({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'demo_request', contact: { email: 'ada@example.com' } });
 * const [snapshot, actions] = initialTransition(machine, { leadId: 'l1', tenantId: 'default', lead });
 * ```
 */
export function createLeadMachine(policies: LeadPolicies = {}) {
  return setup({
    types: {
      context: {} as ReturnType<typeof initialContext>,
      events: {} as MachineEvent,
      input: {} as LeadMachineInput,
    },
    actions: {
      /** Explains a decision in the history entry of the event being applied. */
      note: (_args, _params: { text: string }) => {},
      /** Asks for a notification; the engine puts it in the outbox. */
      notify: (_args, _params: NotifyParams) => {},
      /** Asks the engine, which has the team at hand, to reassign the lead or mark a rep unavailable. */
      team: (_args, _params: TeamRequest) => {},
      ...ownershipActions(policies),
      ...slaActions(),
      ...contactActions(policies),
      ...cadenceActions(policies),
      ...snoozeActions(policies),
      ...recycleActions(policies),
      ...outcomeActions(policies),
    },
    guards: leadGuards(policies),
  }).createMachine({
    id: 'lead',
    // A cycle of eventless transitions must fail loudly, not grow memory until the process dies.
    options: { maxIterations: MAX_MICROSTEPS },
    context: ({ input }) => initialContext(input, policies),
    initial: 'open',
    on: {
      'lead.merged': { actions: 'recordMerge' },
      'activity.recorded': { actions: 'recordActivity' },
    },
    states: {
      open: {
        type: 'parallel',
        tags: ['open'],
        entry: 'armSlaTimers',
        exit: 'disarmSlaTimers',
        on: {
          'lead.snoozed': { target: 'snoozed', actions: 'snooze' },
          ...handBack,
          ...closing(''),
        },
        states: {
          stage: {
            initial: 'new',
            states: {
              // Touches, replies and meetings are recorded here, in the stage region: XState runs a
              // parallel state's own handler only when no region handles the event, and the SLA and
              // cadence regions react to these events too.
              new: {
                tags: ['awaiting-owner'],
                always: { guard: 'needsQualification', target: 'qualifying' },
                exit: 'disarmRoutingTimer',
                on: { ...prospectContact, ...awaitingOwner },
              },
              qualifying: {
                on: {
                  ...prospectContact,
                  'lead.qualified': { target: 'qualified', actions: 'markQualified' },
                },
              },
              qualified: {
                tags: ['awaiting-owner'],
                exit: 'disarmRoutingTimer',
                on: { ...prospectContact, ...awaitingOwner },
              },
              assigned: {
                on: { ...prospectContact, 'touch.logged': { target: 'working', actions: 'recordTouch' }, 'lead.reassigned': { actions: 'changeOwner' } },
              },
              working: {
                on: { ...prospectContact, 'lead.reassigned': { actions: 'changeOwner' } },
              },
            },
          },
          // The SLAs themselves are data (context.slas), each with one timer `sla:<name>`; this region
          // shows where they stand together: clear, at risk (a warning fired) or breached.
          sla: {
            initial: 'clear',
            on: {
              'sla.warning': { guard: 'slaTimerIsCurrent', actions: 'slaTimer' },
              'sla.breached': { guard: 'slaTimerIsCurrent', actions: 'slaTimer' },
              'sla.escalated': { guard: 'slaTimerIsCurrent', actions: 'slaTimer' },
            },
            // One guard per state: the region is where the worst open SLA stands, so exactly one target
            // holds at a time and the eventless transitions come to rest after one step.
            states: {
              clear: {
                always: [
                  { guard: 'worstSlaIsBreached', target: 'breached' },
                  { guard: 'worstSlaIsAtRisk', target: 'at_risk' },
                ],
              },
              at_risk: {
                always: [
                  { guard: 'worstSlaIsBreached', target: 'breached' },
                  { guard: 'worstSlaIsClear', target: 'clear' },
                ],
              },
              breached: {
                always: [
                  { guard: 'worstSlaIsAtRisk', target: 'at_risk' },
                  { guard: 'worstSlaIsClear', target: 'clear' },
                ],
              },
            },
          },
          cadence: {
            initial: 'idle',
            states: {
              idle: {
                always: { guard: 'enrollsAtIntake', target: 'active', actions: 'enrollCadence' },
                on: {
                  'lead.assigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' },
                  'lead.reassigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' },
                },
              },
              active: {
                entry: 'armStepTimer',
                exit: 'disarmStepTimer',
                on: {
                  'cadence.step_due': [
                    // An owner who ignores every reminder ends the cadence first: reminders never go on forever.
                    {
                      guard: and(['cadenceStepIsDue', 'followUpIgnored', 'ignoredRecycles', 'recycleLimitReached']),
                      target: '#lead.disqualified',
                      actions: 'endIgnoredCadence',
                    },
                    { guard: and(['cadenceStepIsDue', 'followUpIgnored', 'ignoredRecycles']), target: '#lead.recycled', actions: 'endIgnoredCadence' },
                    { guard: and(['cadenceStepIsDue', 'followUpIgnored']), target: 'stopped', actions: 'endIgnoredCadence' },
                    // A step timer that fires before its step is due (it was rescheduled while a worker held
                    // it) matches none of these: the engine drops it, and the current timer will come.
                    { guard: and(['cadenceStepIsDue', 'stepTooSoon']), target: 'active', reenter: true, actions: 'postponeStep' },
                    { guard: and(['cadenceStepIsDue', 'cadenceEnds']), target: 'exhausted', actions: 'exhaustCadence' },
                    { guard: and(['cadenceStepIsDue', 'cadenceAtEnd']), target: 'active', reenter: true, actions: 'extendCadence' },
                    { guard: 'cadenceStepIsDue', target: 'active', reenter: true, actions: 'touchDue' },
                  ],
                  ...cadenceStops,
                  'prospect.out_of_office': { target: 'paused', actions: 'pauseForOutOfOffice' },
                  'lead.reassigned': { guard: 'restartsOnAssignment', target: 'active', reenter: true, actions: 'enrollCadence' },
                },
              },
              paused: {
                // The prospect's return (`prospect.back`) is timed by the stage region, which also resumes the SLAs.
                on: {
                  'prospect.back': { guard: 'awayIsOver', target: 'active', actions: { type: 'resumeCadence', params: { why: 'back in office' } } },
                  ...cadenceStops,
                },
              },
              exhausted: {
                always: { guard: 'recycleOnExhausted', target: '#lead.recycled', actions: 'recycleUnanswered' },
                on: reenrollOnReassign,
              },
              stopped: { on: reenrollOnReassign },
            },
          },
          hist: { type: 'history', history: 'deep' },
        },
      },
      snoozed: {
        entry: 'armSnoozeTimer',
        exit: 'disarmSnoozeTimer',
        on: {
          'snooze.ended': { guard: 'snoozeIsOver', target: '#lead.open.hist', actions: { type: 'resume', params: { why: 'snooze ended' } } },
          'prospect.replied': { target: '#lead.open.hist', actions: { type: 'resume', params: { why: 'prospect replied' } } },
          ...handBack,
          ...closing(' while snoozed'),
        },
      },
      recycled: {
        tags: ['nurture'],
        entry: 'armRecheckTimer',
        exit: 'disarmRecheckTimer',
        on: {
          'recycle.recheck_due': { guard: 'recheckIsDue', target: 'open', actions: { type: 'reengage', params: { why: 're-check date reached' } } },
          'activity.recorded': [
            {
              guard: 'isIntent',
              target: 'open',
              actions: ['recordEngagement', { type: 'reengage', params: ({ event }) => ({ why: `new intent: ${event.activity}` }) }],
            },
            { actions: ['recordEngagement', 'recordNurturedActivity'] },
          ],
          'lead.merged': {
            target: 'open',
            actions: ['countMerge', { type: 'reengage', params: ({ event }) => ({ why: `new inquiry from ${event.source}` }) }],
          },
          ...closing(' from nurture'),
        },
      },
      converted: { type: 'final', tags: ['terminal'] },
      disqualified: { type: 'final', tags: ['terminal'] },
    },
  });
}

/** The machine type for a policy set. */
export type LeadMachine = ReturnType<typeof createLeadMachine>;
