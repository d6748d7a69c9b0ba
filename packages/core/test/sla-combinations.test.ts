import {
  captureInputSchema,
  createEngine,
  createLeadMachine,
  leastLoadedRouting,
  MAX_MICROSTEPS,
  MemoryRepDirectory,
  RunawayTransitionError,
  slaPolicy,
} from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { MachineRunner } from '../src/engine/machine-runner.js';

const MINUTE = 60_000;
const at = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);

/** Two SLAs that both warn before either breaches: the combination that used to loop forever. */
const twoWarningSlas = slaPolicy({
  slas: [
    { name: 'a', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h', warnAt: '80%' },
    { name: 'b', startsOn: 'captured', endsOn: ['touch.logged'], within: '2h', warnAt: '30m' },
  ],
});

describe('several SLAs on one lead', () => {
  it('lead arrives Mon 09:00 with two SLAs; both warn (09:30, 09:48), a breaches at 10:00: the region shows the worst, b stays at risk', async () => {
    const engine = createEngine({ policies: { sla: twoWarningSlas } });
    const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'demo_request', contact: { email: 'ada@example.com' } });
    await engine.runDue(at('09:30'));
    expect((await engine.get(leadId)).regions?.sla).toBe('at_risk');
    await engine.runDue(at('09:48'));
    expect((await engine.get(leadId)).regions?.sla).toBe('at_risk');
    await engine.runDue(at('10:00'));
    const view = await engine.get(leadId);
    expect(view.regions?.sla).toBe('breached');
    expect(view.lead.slas.map((sla) => [sla.name, sla.warnedAt, sla.breachedAt])).toEqual([
      ['a', at('09:48'), at('10:00')],
      ['b', at('09:30'), undefined],
    ]);
    // A touch at 10:10 ends both: a met late, b met; the region is clear again.
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: at('10:10'), channel: 'call', outcome: 'connected' });
    const after = await engine.get(leadId);
    expect(after.regions?.sla).toBe('clear');
    expect(after.lead.slas.map((sla) => sla.outcome)).toEqual(['met_late', 'met']);
  });

  it('goes from breached back to at risk when the breached SLA is met and another has only warned', async () => {
    const engine = createEngine({
      policies: {
        sla: slaPolicy({
          slas: [
            { name: 'a', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h', warnAt: '30m' },
            { name: 'b', startsOn: 'captured', endsOn: ['prospect.replied'], within: '3h', warnAt: '90m' },
          ],
        }),
      },
    });
    const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'demo_request', contact: {} });
    await engine.runDue(at('10:40'));
    expect((await engine.get(leadId)).regions?.sla).toBe('breached');
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: at('10:41'), channel: 'call', outcome: 'voicemail' });
    expect((await engine.get(leadId)).regions?.sla).toBe('at_risk');
  });
});

describe('escalation steps at one offset', () => {
  it('lead arrives Mon 09:00, untouched: at 16h the manager is notified and then the lead is reassigned, in the written order', async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: new MemoryRepDirectory({
        default: [
          { id: 'ann', manager: 'maria' },
          { id: 'bob', manager: 'maria' },
        ],
      }),
      policies: {
        routing: leastLoadedRouting({ reps: ['ann', 'bob'] }),
        sla: slaPolicy({
          slas: [
            {
              name: 'follow_up',
              startsOn: 'assigned',
              endsOn: ['touch.logged'],
              within: '8h',
              escalations: [
                { after: '16h', action: 'notify_manager' },
                { after: '16h', action: 'reassign' },
              ],
            },
          ],
        }),
      },
    });
    const lead = await t.capture({ source: 'demo_request' });
    expect((await t.lead(lead)).owner).toBe('ann');
    await t.advance('16h');
    const view = await t.lead(lead);
    const escalations = view.history.filter((entry) => entry.event === 'sla.escalated');
    expect(escalations.map((entry) => [entry.at, entry.notes[0]])).toEqual([
      ['2026-03-03T01:00Z', expect.stringMatching(/manager notified at 16h; the manager of ann notified/)],
      ['2026-03-03T01:00Z', expect.stringMatching(/reassigned at 16h; to be reassigned/)],
    ]);
    expect(view.owner).toBe('bob');
  });

  it('runs three steps at one offset, each once', async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      policies: {
        sla: slaPolicy({
          slas: [
            {
              name: 'first_touch',
              startsOn: 'captured',
              endsOn: ['touch.logged'],
              within: '5m',
              escalations: [
                { after: '10m', action: 'notify_owner' },
                { after: '10m', action: 'notify_manager' },
                { after: '10m', action: 'notify_owner' },
              ],
            },
          ],
        }),
      },
    });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('1d');
    const steps = (await t.lead(lead)).lead.slas[0]?.escalations.map((step) => step.doneAt);
    expect(steps).toEqual([at('09:10'), at('09:10'), at('09:10')]);
  });
});

describe('a runaway transition', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is refused with a typed error naming the state and the event, past the microstep bound', () => {
    // A machine whose eventless transitions never come to rest, run by the engine's runner.
    const cyclic = createMachine({
      id: 'lead',
      options: { maxIterations: MAX_MICROSTEPS },
      context: { leadId: 'lead-1' },
      initial: 'idle',
      states: { idle: { on: { go: 'ping' } }, ping: { always: 'pong' }, pong: { always: 'ping' } },
    });
    const runner = new MachineRunner(cyclic as never);
    const [idle] = runner.initial({ leadId: 'lead-1' } as never);
    let error: unknown;
    try {
      runner.transition(idle, { type: 'go' } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RunawayTransitionError);
    expect(error).toMatchObject({ code: 'runaway_transition', leadId: 'lead-1', eventType: 'go', state: '"idle"', maxMicrosteps: MAX_MICROSTEPS });
  });

  it('writes nothing: the lead keeps its version, history and timers', async () => {
    const engine = createEngine({ policies: { sla: twoWarningSlas } });
    const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'demo_request', contact: {} });
    const before = await engine.get(leadId);
    vi.spyOn(MachineRunner.prototype, 'transition').mockImplementation(() => {
      throw new RunawayTransitionError(leadId, 'touch.logged', '{}', MAX_MICROSTEPS);
    });
    await expect(
      engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: at('09:01'), channel: 'call', outcome: 'connected' }),
    ).rejects.toBeInstanceOf(RunawayTransitionError);
    vi.restoreAllMocks();
    const after = await engine.get(leadId);
    expect(after.version).toBe(before.version);
    expect(after.history).toEqual(before.history);
    expect(after.deadlines).toEqual(before.deadlines);
    expect(await engine.store.eventLead('default', 'call-1')).toBeUndefined();
  });
});

describe('the exported machine in a plain XState actor', () => {
  it('runs its timers on an XState clock: warnings and breaches fire at their own instants', () => {
    const machine = createLeadMachine({ sla: twoWarningSlas });
    const clock = new SimulatedClock();
    const lead = captureInputSchema.parse({ id: 'form-1', at: at('09:00'), source: 'demo_request', contact: {} });
    const actor = createActor(machine, { input: { leadId: 'lead-1', tenantId: 'default', lead }, clock });
    actor.start();
    clock.increment(30 * MINUTE);
    expect(actor.getSnapshot().context.slas[1]?.warnedAt).toBe(at('09:30'));
    clock.increment(18 * MINUTE);
    clock.increment(12 * MINUTE);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toMatchObject({ open: { sla: 'breached' } });
    expect(snapshot.context.slas.map((sla) => sla.breachedAt)).toEqual([at('10:00'), undefined]);
    actor.stop();
  });
});
