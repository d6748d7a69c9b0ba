/**
 * SLA outcomes against an independent oracle (model/sla-oracle.ts): random SLA sets (targets by source,
 * warnings by share and by offset, escalation chains with equal and distinct offsets, calendar time and
 * three business calendars) and random event streams (assignment, touches, replies, meetings, snoozes,
 * the prospect out of office, closing), with virtual time advancing through every due timer. The oracle computes every deadline,
 * warning, escalation instant and outcome from the calendars and the event times; the engine's SLA
 * records must match it field by field, and the engine must take exactly the events the oracle says a
 * lead in that state takes.
 *
 * First, the oracle's own business clock (walking Intl wall-clock time) against the library's
 * calendar arithmetic, so that a mismatch in outcomes can be told apart from one in calendars.
 */
import { addBusinessTime, businessTimeBetween, createEngine, EventRejectedError, type LeadEventInput, type SlaRecord, slaPolicy } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALENDAR_NAMES, CALENDARS, COMPILED, WORKING_CLOCKS } from './model/calendars.js';
import { CALL_LIMIT_MS, SEED } from './model/flags.js';
import { MODEL_EPOCH } from './model/harness.js';
import { oracleClock } from './model/oracle-clock.js';
import type { SlaSpec } from './model/policy-spec.js';
import { type ExpectedSla, type OracleEvent, SlaOracle } from './model/sla-oracle.js';
import { describeCase, guarded } from './model/watchdog.js';
import { stamp } from './model/words.js';

const ORACLE_RUNS = Number(process.env.LEADLINE_ORACLE_RUNS ?? 1500);
const CLOCK_RUNS = 3000;

type OracleStep = { kind: 'wait'; minutes: number } | { kind: 'event'; event: OracleEventSpec };
type OracleEventSpec =
  | { type: 'lead.assigned'; owner: string }
  | { type: 'touch.logged'; channel: 'call'; outcome: 'connected' }
  | { type: 'prospect.replied' }
  | { type: 'meeting.booked' }
  | { type: 'lead.snoozed'; untilMinutes: number }
  | { type: 'prospect.out_of_office'; untilMinutes: number }
  | { type: 'lead.converted' }
  | { type: 'lead.disqualified' };

interface OracleCase {
  startMinutes: number;
  source: 'web' | 'demo_request';
  slas: SlaSpec[];
  steps: OracleStep[];
}

const SLA_NAMES = ['sla_a', 'sla_b', 'sla_c'];

const oracleSla: fc.Arbitrary<Omit<SlaSpec, 'name'>> = fc.oneof(fc.constantFrom(5, 30, 60, 240, 480), fc.integer({ min: 1, max: 600 })).chain((withinMinutes) =>
  fc.record({
    startsOn: fc.constantFrom<SlaSpec['startsOn']>('captured', 'captured', 'assigned', 'replied'),
    endsOn: fc.subarray<SlaSpec['endsOn'][number]>(['touch.logged', 'prospect.replied', 'meeting.booked', 'lead.assigned'], { minLength: 1 }),
    withinMinutes: fc.constant(withinMinutes),
    demoWithinMinutes: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined, freq: 3 }),
    clock: fc.constantFrom('calendar', ...CALENDAR_NAMES),
    warn: fc.option(
      fc.oneof(
        fc.integer({ min: 1, max: 99 }).map((percent) => ({ kind: 'share' as const, percent })),
        fc.integer({ min: 1, max: 720 }).map((minutes) => ({ kind: 'offset' as const, minutes })),
      ),
      { nil: undefined, freq: 2 },
    ),
    escalations: fc
      .array(fc.record({ gap: fc.constantFrom(0, 0, 1, 30, 120), action: fc.constantFrom('notify_owner' as const, 'notify_manager' as const) }), {
        maxLength: 3,
      })
      .map((steps) => {
        let offset = withinMinutes;
        return steps.map(({ gap, action }) => {
          offset += gap;
          return { afterMinutes: offset, action };
        });
      }),
  }),
);

const oracleEvent: fc.Arbitrary<OracleEventSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('ann', 'bob').map((owner) => ({ type: 'lead.assigned' as const, owner })) },
  { weight: 3, arbitrary: fc.constant({ type: 'touch.logged' as const, channel: 'call' as const, outcome: 'connected' as const }) },
  { weight: 2, arbitrary: fc.constant({ type: 'prospect.replied' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'meeting.booked' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 240, max: 4 * 1440 }))
      .map((untilMinutes) => ({ type: 'lead.snoozed' as const, untilMinutes })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 240, max: 4 * 1440 }))
      .map((untilMinutes) => ({ type: 'prospect.out_of_office' as const, untilMinutes })),
  },
  { weight: 1, arbitrary: fc.constantFrom({ type: 'lead.converted' as const }, { type: 'lead.disqualified' as const }) },
);

const oracleStep: fc.Arbitrary<OracleStep> = fc.oneof(
  { weight: 3, arbitrary: oracleEvent.map((event) => ({ kind: 'event' as const, event })) },
  {
    weight: 3,
    arbitrary: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 120, max: 3 * 1440 })).map((minutes) => ({ kind: 'wait' as const, minutes })),
  },
);

function describeOracleCase(c: OracleCase): string {
  const lines = [`start ${stamp(MODEL_EPOCH + c.startMinutes * 60_000)}, a lead from ${c.source}`];
  for (const sla of c.slas) {
    const warn = sla.warn === undefined ? '' : sla.warn.kind === 'share' ? `, warn at ${sla.warn.percent}%` : `, warn at +${sla.warn.minutes}m`;
    const demo = sla.demoWithinMinutes === undefined ? '' : ` (demo_request: ${sla.demoWithinMinutes}m)`;
    const steps = sla.escalations.length === 0 ? '' : `, escalations: ${sla.escalations.map((step) => `${step.action}@${step.afterMinutes}m`).join(', ')}`;
    lines.push(
      `  sla ${sla.name}: starts on ${sla.startsOn}, ends on ${sla.endsOn.join('|')}, within ${sla.withinMinutes}m${demo} (${sla.clock})${warn}${steps}`,
    );
  }
  c.steps.forEach((step, index) => {
    if (step.kind === 'wait') lines.push(`  ${index + 1}. wait ${step.minutes}m`);
    else {
      const { type, ...fields } = step.event;
      const details = Object.entries(fields).map(([key, value]) => `${key}=${value}`);
      lines.push(`  ${index + 1}. ${type}${details.length > 0 ? ` ${details.join(' ')}` : ''}`);
    }
  });
  return lines.join('\n');
}

const oracleCase: fc.Arbitrary<OracleCase> = fc
  .record({
    startMinutes: fc.integer({ min: 0, max: 7 * 1440 - 1 }),
    source: fc.constantFrom('web', 'demo_request'),
    slas: fc.array(oracleSla, { minLength: 1, maxLength: 3 }).map((slas) => slas.map((sla, index) => ({ name: SLA_NAMES[index] as string, ...sla }))),
    steps: fc.array(oracleStep, { maxLength: 12 }),
  })
  .map((c) => Object.defineProperty(c, fc.toStringMethod, { value: () => `\n${describeOracleCase(c)}`, enumerable: false }));

/** The fields the oracle predicts, from an engine record. */
function actual(sla: SlaRecord): ExpectedSla {
  const record: ExpectedSla = {
    name: sla.name,
    startedAt: sla.startedAt,
    dueAt: sla.dueAt,
    pausedMs: sla.pausedMs,
    escalations: sla.escalations.map((step) => (step.doneAt === undefined ? { at: step.at } : { at: step.at, doneAt: step.doneAt })),
  };
  for (const key of ['warnAt', 'warnedAt', 'breachedAt', 'outcome', 'endedAt', 'elapsedMs', 'pausedAt'] as const) {
    if (sla[key] !== undefined) (record as unknown as Record<string, unknown>)[key] = sla[key];
  }
  return record;
}

function show(value: unknown): string {
  return typeof value === 'number' && value > 1e12 ? stamp(value) : JSON.stringify(value);
}

/** The fields where the engine and the oracle differ, in words. */
function differences(expected: ExpectedSla[], got: ExpectedSla[]): string[] {
  const lines: string[] = [];
  for (let index = 0; index < Math.max(expected.length, got.length); index++) {
    const want = expected[index];
    const have = got[index];
    if (!want || !have) {
      lines.push(
        `record #${index + 1}: oracle ${want ? `${want.name} from ${stamp(want.startedAt)}` : 'none'}, engine ${have ? `${have.name} from ${stamp(have.startedAt)}` : 'none'}`,
      );
      continue;
    }
    const keys = new Set([...Object.keys(want), ...Object.keys(have)].filter((key) => key !== 'escalations'));
    for (const key of keys) {
      const a = (want as unknown as Record<string, unknown>)[key];
      const b = (have as unknown as Record<string, unknown>)[key];
      if (a !== b) lines.push(`${want.name} #${index + 1} ${key}: oracle ${show(a)}, engine ${show(b)}`);
    }
    for (let step = 0; step < Math.max(want.escalations.length, have.escalations.length); step++) {
      const a = want.escalations[step];
      const b = have.escalations[step];
      if (a?.at !== b?.at || a?.doneAt !== b?.doneAt)
        lines.push(
          `${want.name} #${index + 1} escalation ${step + 1}: oracle at ${show(a?.at)} done ${show(a?.doneAt)}, engine at ${show(b?.at)} done ${show(b?.doneAt)}`,
        );
    }
  }
  return lines;
}

async function runOracleCase(c: OracleCase): Promise<{ problems: string[]; trace: string[]; history: string[] }> {
  describeCase(describeOracleCase(c));
  const start = MODEL_EPOCH + c.startMinutes * 60_000;
  const clock = new VirtualClock(start);
  const sla = slaPolicy(
    {
      slas: c.slas.map((definition) => ({
        name: definition.name,
        startsOn: definition.startsOn,
        endsOn: definition.endsOn,
        within: `${definition.withinMinutes}m`,
        targets: definition.demoWithinMinutes === undefined ? [] : [{ when: { source: 'demo_request' }, within: `${definition.demoWithinMinutes}m` }],
        clock: definition.clock,
        ...(definition.warn === undefined ? {} : { warnAt: definition.warn.kind === 'share' ? `${definition.warn.percent}%` : `${definition.warn.minutes}m` }),
        escalations: definition.escalations.map((step) => ({ after: `${step.afterMinutes}m`, action: step.action })),
      })),
    },
    WORKING_CLOCKS,
  );
  const problems: string[] = [];
  const trace: string[] = [];
  const engine = createEngine({ policies: { sla }, clock, newLeadId: () => 'lead-1', onError: (error) => problems.push(`a timer failed: ${String(error)}`) });
  const run = <T>(label: string, call: () => Promise<T>) => guarded(label, CALL_LIMIT_MS, call);
  const advanceTo = async (target: number) => {
    for (;;) {
      const next = await run('nextDueAt', () => engine.nextDueAt());
      if (next === undefined || next > target) break;
      clock.set(Math.max(clock.now(), next));
      await run('runDue', () => engine.runDue(clock.now()));
    }
    clock.set(Math.max(clock.now(), target));
  };
  const { leadId } = await run('capture', () => engine.capture({ id: 'intake-1', at: start, source: c.source, contact: {} }));
  const oracle = new SlaOracle(c.slas, c.source, start);
  for (const [index, step] of c.steps.entries()) {
    if (step.kind === 'wait') {
      await advanceTo(clock.now() + step.minutes * 60_000);
      trace.push(`${index + 1}. [${stamp(clock.now())}] waited ${step.minutes}m`);
      continue;
    }
    const now = clock.now();
    oracle.advanceTo(now);
    if (step.event.type === 'prospect.replied' && oracle.snoozed) {
      trace.push(`${index + 1}. [${stamp(now)}] prospect.replied skipped: the lead is snoozed`);
      continue;
    }
    const event =
      step.event.type === 'lead.snoozed' || step.event.type === 'prospect.out_of_office'
        ? { type: step.event.type, until: now + step.event.untilMinutes * 60_000 }
        : step.event;
    const expected = oracle.takes(event);
    let taken: boolean;
    try {
      const reason = event.type === 'lead.disqualified' ? { reason: 'spam' } : {};
      await run(`dispatch ${event.type}`, () => engine.dispatch(leadId, { ...event, ...reason, id: `event-${index + 1}`, at: now } as LeadEventInput));
      taken = true;
    } catch (error) {
      if (!(error instanceof EventRejectedError)) throw error;
      taken = false;
    }
    trace.push(`${index + 1}. [${stamp(now)}] ${event.type} ${taken ? 'taken' : 'refused'}`);
    if (taken !== expected)
      problems.push(
        `step ${index + 1}: the engine ${taken ? 'took' : 'refused'} ${event.type}; the oracle says a lead in its state ${expected ? 'takes' : 'refuses'} it`,
      );
    if (taken) oracle.apply(event as OracleEvent, now);
    await advanceTo(now);
  }
  await advanceTo(clock.now() + 5 * 1440 * 60_000);
  oracle.advanceTo(clock.now());
  const view = await run('get', () => engine.get(leadId));
  problems.push(...differences(oracle.expected(), view.lead.slas.map(actual)));
  return { problems, trace, history: view.history.map((entry) => entry.text) };
}

describe('the independent oracle', () => {
  it(`counts business time like the library's calendars (${CLOCK_RUNS} runs)`, () => {
    const oracles = Object.fromEntries(CALENDARS.map((spec) => [spec.name, oracleClock(spec)]));
    fc.assert(
      fc.property(
        fc.constantFrom(...CALENDAR_NAMES),
        fc.integer({ min: MODEL_EPOCH - 7 * 86_400_000, max: MODEL_EPOCH + 35 * 86_400_000 }),
        fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 40 * 60 })).map((minutes) => minutes * 60_000),
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        (name, start, ms, span) => {
          const oracle = oracles[name];
          const calendar = COMPILED[name];
          if (!oracle || !calendar) throw new Error(`no calendar ${name}`);
          expect(stamp(addBusinessTime(calendar, start, ms)), `add ${ms / 60_000}m from ${stamp(start)} in ${name}`).toBe(stamp(oracle.add(start, ms)));
          expect(businessTimeBetween(calendar, start, start + span), `between ${stamp(start)} and ${stamp(start + span)} in ${name}`).toBe(
            oracle.between(start, start + span),
          );
        },
      ),
      { numRuns: CLOCK_RUNS, seed: SEED },
    );
  }, 120_000);
});

describe(`SLA outcomes against the oracle (${ORACLE_RUNS} runs, seed ${SEED})`, () => {
  it('match on random SLA sets and event streams, field by field', async () => {
    await fc.assert(
      fc.asyncProperty(oracleCase, async (c) => {
        const { problems, trace, history } = await runOracleCase(c);
        if (problems.length > 0)
          throw new Error(
            [
              'the engine and the oracle disagree:',
              ...problems.map((line) => `- ${line}`),
              'as run:',
              ...trace.map((line) => `  ${line}`),
              'history:',
              ...history.map((line) => `  ${line}`),
            ].join('\n'),
          );
      }),
      { numRuns: ORACLE_RUNS, seed: SEED },
    );
  }, 180_000);
});
