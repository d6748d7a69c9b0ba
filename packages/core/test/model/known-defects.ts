/**
 * The reproductions of the defects the rules-correctness work is fixing, as model cases: every model
 * test runs them first (fast-check `examples`), so each one is checked on every run whatever the seed.
 * Most are a Monday 09:00 intake; each says which rule it breaks.
 */
import fc from 'fast-check';
import { describeModelCase, type ModelCase } from './harness.js';
import type { PolicySpec, SlaSpec } from './policy-spec.js';

const noRecycling = { notReadyRecheckMinutes: [], noResponseRecheckMinutes: [], noBudgetNurtureMinutes: 0, maxRecycles: 2 };

function sla(name: string, withinMinutes: number, more: Partial<SlaSpec> = {}): SlaSpec {
  return {
    name,
    startsOn: 'captured',
    endsOn: ['touch.logged'],
    withinMinutes,
    demoWithinMinutes: undefined,
    clock: 'calendar',
    warn: undefined,
    escalations: [],
    ...more,
  };
}

function policies(slas: SlaSpec[], reps: PolicySpec['reps'] = [{ id: 'ann', capacity: undefined, timeOff: undefined }]): PolicySpec {
  return { slas, cadence: undefined, recycle: noRecycling, reps, method: 'round_robin' };
}

function named(c: ModelCase): ModelCase {
  return Object.defineProperty(c, fc.toStringMethod, { value: () => `\n${describeModelCase(c)}`, enumerable: false });
}

const MONDAY_9 = 9 * 60;
const capture = { kind: 'capture' as const, source: 'web' as const, timeZone: undefined };

/** (1) Two SLAs that both warn, one breaching: due at 09:30 (b warns), 09:48 (a warns), 10:00 (a breaches). */
export const TWO_WARNING_SLAS: ModelCase = named({
  startMinutes: MONDAY_9,
  policy: policies([sla('sla_a', 60, { warn: { kind: 'share', percent: 80 } }), sla('sla_b', 120, { warn: { kind: 'offset', minutes: 30 } })]),
  steps: [capture, { kind: 'wait', minutes: 61 }],
  asyncStore: false,
  drainMinutes: 0,
});

/** (2) Two escalation steps at the same offset: both must run. */
export const SAME_OFFSET_ESCALATIONS: ModelCase = named({
  startMinutes: MONDAY_9,
  policy: policies([
    sla('sla_a', 5, {
      escalations: [
        { afterMinutes: 10, action: 'notify_owner' },
        { afterMinutes: 10, action: 'notify_manager' },
      ],
    }),
  ]),
  steps: [capture, { kind: 'wait', minutes: 15 }],
  asyncStore: false,
  drainMinutes: 0,
});

/** (3) A lead no rep can take (the only rep is at capacity): it must say why and get a re-routing deadline. */
export const UNROUTABLE_LEAD: ModelCase = named({
  startMinutes: MONDAY_9,
  policy: policies([sla('sla_a', 60)], [{ id: 'ann', capacity: 0, timeOff: undefined }]),
  steps: [capture, { kind: 'wait', minutes: 5 }],
  asyncStore: false,
  drainMinutes: 0,
});

/** (5a) A caller's event id equal to the derived id of the lead's pending SLA timer. */
export const CALLER_ID_OF_A_TIMER: ModelCase = named({
  startMinutes: MONDAY_9,
  policy: policies([sla('sla_a', 5)]),
  steps: [
    capture,
    { kind: 'event', lead: 0, event: { type: 'activity.recorded', activity: 'webinar' }, id: { kind: 'timer', index: 0 }, beforeCaptureMinutes: undefined },
    { kind: 'wait', minutes: 10 },
  ],
  asyncStore: false,
  drainMinutes: 0,
});

/** (5b) An event dated before the lead's capture. */
export const EVENT_BEFORE_CAPTURE: ModelCase = named({
  startMinutes: MONDAY_9,
  policy: policies([sla('sla_a', 5)]),
  steps: [
    capture,
    {
      kind: 'event',
      lead: 0,
      event: { type: 'touch.logged', channel: 'call', outcome: 'connected' },
      id: { kind: 'fresh' },
      beforeCaptureMinutes: 30,
    },
  ],
  asyncStore: false,
  drainMinutes: 0,
});

/**
 * (6, found by the model and the oracle) An SLA met while it is paused because the prospect is out of
 * office is called met late, though it never breached: its deadline from before the pause still stands.
 */
export const MET_WHILE_AWAY: ModelCase = named({
  startMinutes: MONDAY_9,
  policy: policies([sla('sla_a', 5, { endsOn: ['touch.logged'] })]),
  steps: [
    capture,
    { kind: 'event', lead: 0, event: { type: 'prospect.out_of_office', untilMinutes: 240 }, id: { kind: 'fresh' }, beforeCaptureMinutes: undefined },
    { kind: 'wait', minutes: 120 },
    { kind: 'event', lead: 0, event: { type: 'touch.logged', channel: 'email', outcome: 'sent' }, id: { kind: 'fresh' }, beforeCaptureMinutes: undefined },
  ],
  asyncStore: false,
  drainMinutes: 0,
});

/**
 * (7, found by the model) A cadence timer claimed in the same round as an escalation that reassigns the
 * lead (the cadence re-enrolls, `reenroll: 'always'`) is applied, stale, as the new cadence's first step,
 * and the new step's own timer is replaced without firing. docs/engine.md: the old timer's event should
 * match no transition and be dropped. (Thursday 01:09Z; steps in business hours of `emea`.)
 */
export const STALE_CADENCE_TIMER: ModelCase = named({
  startMinutes: 3 * 1440 + 69,
  policy: {
    ...policies(
      [sla('sla_a', 471, { startsOn: 'assigned', endsOn: ['lead.assigned'], escalations: [{ afterMinutes: 471, action: 'reassign' }] })],
      [
        { id: 'ann', capacity: undefined, timeOff: undefined },
        { id: 'bob', capacity: undefined, timeOff: undefined },
      ],
    ),
    cadence: {
      steps: [
        { channel: 'call', afterMinutes: 0 },
        { channel: 'call', afterMinutes: 60 },
        { channel: 'call', afterMinutes: 60 },
      ],
      clock: 'emea',
      sendWindow: false,
      minTouches: 0,
      minGapMinutes: 0,
      closeAfterMinutes: 60,
      extraEveryMinutes: 240,
      onExhausted: 'recycle',
      startsOn: 'assigned',
      reenroll: 'always',
    },
  },
  steps: [capture, { kind: 'wait', minutes: 471 }],
  asyncStore: false,
  drainMinutes: 0,
});

/**
 * (8, found by `pnpm test:deep` after 8,867 runs) Two reassignments at one offset re-enroll the cadence
 * twice in one round (`reenroll: 'always'`); the first re-enrolment's step timer, claimed meanwhile,
 * names the same step at the same instant as the second's, and was applied in its place.
 */
export const STALE_CADENCE_TIMER_SAME_STEP: ModelCase = named({
  startMinutes: 0,
  policy: {
    ...policies(
      [
        sla('sla_a', 30, {
          endsOn: ['prospect.replied'],
          escalations: [
            { afterMinutes: 30, action: 'reassign' },
            { afterMinutes: 30, action: 'reassign' },
          ],
        }),
      ],
      [
        { id: 'ann', capacity: undefined, timeOff: undefined },
        { id: 'bob', capacity: undefined, timeOff: undefined },
        { id: 'cho', capacity: undefined, timeOff: undefined },
      ],
    ),
    cadence: {
      steps: [{ channel: 'call', afterMinutes: 0 }],
      clock: 'calendar',
      sendWindow: false,
      minTouches: 0,
      minGapMinutes: 0,
      closeAfterMinutes: 60,
      extraEveryMinutes: 240,
      onExhausted: 'recycle',
      startsOn: 'assigned',
      reenroll: 'always',
    },
  },
  steps: [capture, { kind: 'wait', minutes: 240 }],
  asyncStore: false,
  drainMinutes: 0,
});

/** Every reproduction, run first by each model test. */
export const KNOWN_DEFECT_CASES: readonly ModelCase[] = [
  TWO_WARNING_SLAS,
  SAME_OFFSET_ESCALATIONS,
  UNROUTABLE_LEAD,
  CALLER_ID_OF_A_TIMER,
  EVENT_BEFORE_CAPTURE,
  MET_WHILE_AWAY,
  STALE_CADENCE_TIMER,
  STALE_CADENCE_TIMER_SAME_STEP,
];
