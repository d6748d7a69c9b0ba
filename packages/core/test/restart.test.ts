import { createEngine, firstTouchSla, fixedCadence, MemoryStore } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const policies = {
  sla: firstTouchSla({ within: '5m' }),
  cadence: fixedCadence({
    steps: [
      { channel: 'call', after: '10m' },
      { channel: 'email', after: '1h' },
    ],
    onExhausted: 'hold',
  }),
};

describe('restart: an engine built anew over the same store', () => {
  it('fires the pending timers at their due times, once', async () => {
    const store = new MemoryStore();
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const first = createEngine({ store, clock, policies });
    const { leadId } = await first.capture({ id: 'form-1', at: clock.now(), source: 'demo_request', contact: {} });
    await first.dispatch(leadId, { type: 'lead.assigned', id: 'assign-1', at: clock.now(), owner: 'ann' });
    // The first engine "crashes": it is dropped with its cache and never runs its timers.

    const second = createEngine({ store, clock, policies });
    clock.set('2026-03-02T09:04:00Z');
    expect((await second.runDue()).fired).toBe(0);
    clock.set('2026-03-02T12:00:00Z');
    expect((await second.runDue()).fired).toBe(3);
    expect((await second.runDue()).fired).toBe(0);

    // A third engine finds nothing left to fire: each timer fired once.
    const third = createEngine({ store, clock, policies });
    expect((await third.runDue()).fired).toBe(0);

    const history = (await third.get(leadId)).history;
    const fired = history.filter((entry) => entry.event === 'sla.breached' || entry.event === 'cadence.step_due');
    expect(fired.map((entry) => `${entry.event}@${entry.at}`)).toEqual([
      'sla.breached@2026-03-02T09:05Z',
      'cadence.step_due@2026-03-02T09:10Z',
      'cadence.step_due@2026-03-02T10:00Z',
    ]);
    expect((await third.get(leadId)).deadlines.map((deadline) => deadline.dueAt)).toEqual(['2026-03-03T10:00Z']);
  });

  it('a claimed timer whose engine died is fired by another after the lease ends', async () => {
    const store = new MemoryStore();
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const engine = createEngine({ store, clock, policies, leaseMs: 60_000 });
    const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    clock.set('2026-03-02T09:05:00Z');
    // A worker claims the breach timer and dies before committing.
    const [claimed] = await store.claimDueTimers('default', clock.now(), { limit: 10, leaseMs: 60_000 });
    expect(claimed?.timerId).toBe('sla:first_touch');

    const survivor = createEngine({ store, clock, policies, leaseMs: 60_000 });
    expect((await survivor.runDue()).fired).toBe(0);
    clock.advance('61s');
    expect((await survivor.runDue()).fired).toBe(1);
    const breach = (await survivor.get(leadId)).history.filter((entry) => entry.event === 'sla.breached');
    expect(breach.map((entry) => entry.at)).toEqual(['2026-03-02T09:05Z']);
  });
});
