/**
 * Random policy sets for the rules model, as plain data (printable, shrinkable) and the engine
 * policies built from them: 1-3 SLAs (targets by source, warnings by offset or by share, escalation
 * chains with equal and distinct offsets, calendar or business time), an optional cadence (send window,
 * business clock, minimum touches and gap), recycle reasons, and routing over 0-3 reps with capacities
 * and time off.
 */
import {
  cadencePolicy,
  type EscalationAction,
  type LeadPolicies,
  MemoryRepDirectory,
  type RepInput,
  recyclePolicy,
  routingPolicy,
  slaPolicy,
} from '@leadline/core';
import fc from 'fast-check';
import { CALENDAR_NAMES, COMPILED, SEND_WINDOW, WORKING_CLOCKS } from './calendars.js';

export const SLA_TRIGGERS = ['captured', 'assigned', 'replied'] as const;
export const SLA_ENDS = ['touch.logged', 'prospect.replied', 'meeting.booked', 'lead.assigned'] as const;
export type SlaEnd = (typeof SLA_ENDS)[number];

export type WarnSpec = { kind: 'share'; percent: number } | { kind: 'offset'; minutes: number };

export interface EscalationSpec {
  /** Offset from the SLA's start, in the SLA's clock. */
  afterMinutes: number;
  action: EscalationAction;
}

export interface SlaSpec {
  name: string;
  startsOn: (typeof SLA_TRIGGERS)[number];
  endsOn: SlaEnd[];
  withinMinutes: number;
  /** A target for `demo_request` leads, when given. */
  demoWithinMinutes: number | undefined;
  clock: string;
  warn: WarnSpec | undefined;
  escalations: EscalationSpec[];
}

export interface CadenceSpec {
  steps: { channel: 'call' | 'email' | 'social' | 'sms' | 'task'; afterMinutes: number }[];
  clock: string;
  sendWindow: boolean;
  minTouches: number;
  minGapMinutes: number;
  closeAfterMinutes: number;
  extraEveryMinutes: number;
  onExhausted: 'recycle' | 'hold';
  startsOn: 'assigned' | 'captured';
  reenroll: 'once' | 'if_not_active' | 'always';
}

export interface RecycleSpec {
  notReadyRecheckMinutes: number[];
  noResponseRecheckMinutes: number[];
  noBudgetNurtureMinutes: number;
  maxRecycles: number;
}

export interface RepSpec {
  id: string;
  capacity: number | undefined;
  /** Time off from/to, minutes from the model's start. */
  timeOff: { fromMinutes: number; toMinutes: number } | undefined;
}

export interface PolicySpec {
  slas: SlaSpec[];
  cadence: CadenceSpec | undefined;
  recycle: RecycleSpec;
  reps: RepSpec[];
  method: 'round_robin' | 'weighted' | 'least_loaded' | 'spare_capacity';
}

export const RECYCLE_REASONS = ['not_ready', 'no_response', 'no_budget', 'wrong_contact'] as const;
export const REP_IDS = ['ann', 'bob', 'cho'] as const;

const clockName = fc.constantFrom('calendar', 'calendar', ...CALENDAR_NAMES);
const targetMinutes = fc.oneof(fc.constantFrom(5, 15, 30, 60, 120, 240, 480), fc.integer({ min: 1, max: 600 }));

const warnSpec: fc.Arbitrary<WarnSpec> = fc.oneof(
  fc.integer({ min: 1, max: 99 }).map((percent) => ({ kind: 'share' as const, percent })),
  // Offsets past the target too: such a warning never comes.
  fc.integer({ min: 1, max: 720 }).map((minutes) => ({ kind: 'offset' as const, minutes })),
);

const escalationAction = fc.constantFrom<EscalationAction>('notify_owner', 'notify_manager', 'reassign', 'mark_unavailable');

/** Escalation offsets from the target on, each step at the same offset as the last or later. */
function escalations(withinMinutes: number): fc.Arbitrary<EscalationSpec[]> {
  return fc.array(fc.record({ gap: fc.constantFrom(0, 0, 1, 15, 60, 240), action: escalationAction }), { maxLength: 3 }).map((steps) => {
    let offset = withinMinutes;
    return steps.map(({ gap, action }) => {
      offset += gap;
      return { afterMinutes: offset, action };
    });
  });
}

const SLA_NAMES = ['sla_a', 'sla_b', 'sla_c'] as const;

const slaSpec: fc.Arbitrary<Omit<SlaSpec, 'name'>> = targetMinutes.chain((withinMinutes) =>
  fc.record({
    startsOn: fc.constantFrom<SlaSpec['startsOn']>('captured', 'captured', 'assigned', 'replied'),
    endsOn: fc.subarray([...SLA_ENDS], { minLength: 1 }),
    withinMinutes: fc.constant(withinMinutes),
    demoWithinMinutes: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined, freq: 3 }),
    clock: clockName,
    warn: fc.option(warnSpec, { nil: undefined, freq: 2 }),
    escalations: escalations(withinMinutes),
  }),
);

const cadenceSpec: fc.Arbitrary<CadenceSpec> = fc.record({
  steps: fc
    .array(fc.record({ channel: fc.constantFrom('call', 'email', 'social', 'sms', 'task'), gap: fc.constantFrom(0, 30, 60, 240, 1440) }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((steps) => {
      let offset = 0;
      return steps.map(({ channel, gap }, index) => {
        if (index > 0) offset += gap;
        return { channel, afterMinutes: offset };
      });
    }),
  clock: fc.constantFrom('calendar', 'calendar', 'emea'),
  sendWindow: fc.boolean(),
  minTouches: fc.integer({ min: 0, max: 3 }),
  minGapMinutes: fc.constantFrom(0, 0, 60),
  closeAfterMinutes: fc.constantFrom(60, 1440),
  extraEveryMinutes: fc.constantFrom(240, 1440),
  onExhausted: fc.constantFrom('recycle', 'hold'),
  startsOn: fc.constantFrom('assigned', 'assigned', 'captured'),
  reenroll: fc.constantFrom('once', 'if_not_active', 'always'),
});

const recycleSpec: fc.Arbitrary<RecycleSpec> = fc.record({
  notReadyRecheckMinutes: fc.constantFrom([], [1440], [1440, 4320]),
  noResponseRecheckMinutes: fc.constantFrom([], [2880]),
  noBudgetNurtureMinutes: fc.constantFrom(0, 1440),
  maxRecycles: fc.integer({ min: 0, max: 2 }),
});

const repSpecs: fc.Arbitrary<RepSpec[]> = fc.subarray([...REP_IDS]).chain((ids) =>
  fc.tuple(
    ...ids.map((id) =>
      fc.record({
        id: fc.constant(id),
        capacity: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined, freq: 2 }),
        timeOff: fc.option(
          fc.record({ from: fc.integer({ min: 0, max: 3 * 1440 }), length: fc.integer({ min: 30, max: 3 * 1440 }) }).map(({ from, length }) => ({
            fromMinutes: from,
            toMinutes: from + length,
          })),
          { nil: undefined, freq: 3 },
        ),
      }),
    ),
  ),
);

/** Random policy sets. */
export const policySpec: fc.Arbitrary<PolicySpec> = fc.record({
  slas: fc.array(slaSpec, { minLength: 1, maxLength: 3 }).map((slas) => slas.map((sla, index) => ({ name: SLA_NAMES[index] as string, ...sla }))),
  cadence: fc.option(cadenceSpec, { nil: undefined, freq: 3 }),
  recycle: recycleSpec,
  reps: repSpecs,
  method: fc.constantFrom('round_robin', 'weighted', 'least_loaded', 'spare_capacity'),
});

const minutes = (value: number) => `${value}m`;

/**
 * The engine's policies and rep directory for a spec; `start` anchors rep time off. Zero reps is no
 * directory at all (an empty directory is a configuration error): routing then finds nobody.
 */
export function buildPolicies(spec: PolicySpec, start: number, tenantId = 'default'): { policies: LeadPolicies; reps: MemoryRepDirectory | undefined } {
  const sla = slaPolicy(
    {
      slas: spec.slas.map((definition) => ({
        name: definition.name,
        startsOn: definition.startsOn,
        endsOn: definition.endsOn,
        within: minutes(definition.withinMinutes),
        targets: definition.demoWithinMinutes === undefined ? [] : [{ when: { source: 'demo_request' }, within: minutes(definition.demoWithinMinutes) }],
        clock: definition.clock,
        ...(definition.warn === undefined
          ? {}
          : { warnAt: definition.warn.kind === 'share' ? `${definition.warn.percent}%` : minutes(definition.warn.minutes) }),
        escalations: definition.escalations.map((step) => ({ after: minutes(step.afterMinutes), action: step.action })),
      })),
    },
    WORKING_CLOCKS,
  );
  const policies: LeadPolicies = {
    sla,
    recycle: recyclePolicy({
      reasons: {
        not_ready: { recheck: spec.recycle.notReadyRecheckMinutes.map(minutes) },
        no_response: { recheck: spec.recycle.noResponseRecheckMinutes.map(minutes) },
        no_budget: { nurtureFor: minutes(spec.recycle.noBudgetNurtureMinutes) },
        wrong_contact: { closes: true },
      },
      maxRecycles: spec.recycle.maxRecycles,
      reengageOn: { activities: ['pricing_page_visit'] },
    }),
    routing: routingPolicy({ pools: [{ name: 'team', reps: 'directory', method: spec.method }], respectCapacity: true, workingHours: 'ignore' }),
  };
  if (spec.cadence) {
    const cadence = spec.cadence;
    policies.cadence = cadencePolicy(
      {
        steps: cadence.steps.map((step) => ({ channel: step.channel, after: minutes(step.afterMinutes) })),
        clock: cadence.clock,
        ...(cadence.sendWindow ? { sendWindow: { timeZone: SEND_WINDOW.timeZone, weekly: SEND_WINDOW.weekly } } : {}),
        minTouches: cadence.minTouches,
        minGap: minutes(cadence.minGapMinutes),
        closeAfter: minutes(cadence.closeAfterMinutes),
        extraEvery: minutes(cadence.extraEveryMinutes),
        onExhausted: cadence.onExhausted,
        startsOn: cadence.startsOn,
        reenroll: cadence.reenroll,
      },
      COMPILED,
    );
  }
  const reps: RepInput[] = spec.reps.map((rep) => ({
    id: rep.id,
    manager: 'maria',
    ...(rep.capacity === undefined ? {} : { capacity: rep.capacity }),
    ...(rep.timeOff === undefined ? {} : { timeOff: [{ from: start + rep.timeOff.fromMinutes * 60_000, to: start + rep.timeOff.toMinutes * 60_000 }] }),
  }));
  return { policies, reps: reps.length === 0 ? undefined : new MemoryRepDirectory({ [tenantId]: reps }) };
}

/** The policy set in words, for counterexamples. */
export function describePolicies(spec: PolicySpec): string[] {
  const lines: string[] = [];
  for (const sla of spec.slas) {
    const warn = sla.warn === undefined ? '' : sla.warn.kind === 'share' ? `, warn at ${sla.warn.percent}%` : `, warn at +${sla.warn.minutes}m`;
    const demo = sla.demoWithinMinutes === undefined ? '' : ` (demo_request: ${sla.demoWithinMinutes}m)`;
    const steps = sla.escalations.length === 0 ? '' : `, escalations: ${sla.escalations.map((step) => `${step.action}@${step.afterMinutes}m`).join(', ')}`;
    lines.push(
      `sla ${sla.name}: starts on ${sla.startsOn}, ends on ${sla.endsOn.join('|')}, within ${sla.withinMinutes}m${demo} (${sla.clock})${warn}${steps}`,
    );
  }
  if (spec.cadence) {
    const c = spec.cadence;
    lines.push(
      `cadence: ${c.steps.map((step) => `${step.channel}@${step.afterMinutes}m`).join(', ')} (${c.clock}${c.sendWindow ? ', send window Mon-Fri 08-18' : ''}); ` +
        `starts on ${c.startsOn}, min touches ${c.minTouches}, min gap ${c.minGapMinutes}m, close after ${c.closeAfterMinutes}m, extra every ${c.extraEveryMinutes}m, ` +
        `on exhausted ${c.onExhausted}, reenroll ${c.reenroll}`,
    );
  } else lines.push('cadence: none');
  const r = spec.recycle;
  lines.push(
    `recycle: not_ready re-check [${r.notReadyRecheckMinutes.join(', ')}]m, no_response re-check [${r.noResponseRecheckMinutes.join(', ')}]m, ` +
      `no_budget nurture ${r.noBudgetNurtureMinutes}m, wrong_contact closes, max ${r.maxRecycles} recycles`,
  );
  const reps = spec.reps.map((rep) => {
    const parts = [
      rep.capacity === undefined ? undefined : `capacity ${rep.capacity}`,
      rep.timeOff && `off +${rep.timeOff.fromMinutes}m..+${rep.timeOff.toMinutes}m`,
    ];
    const extra = parts.filter(Boolean).join(', ');
    return extra ? `${rep.id} (${extra})` : rep.id;
  });
  lines.push(`routing: ${spec.method} over ${spec.reps.length} reps${reps.length > 0 ? `: ${reps.join(', ')}` : ''}`);
  return lines;
}
