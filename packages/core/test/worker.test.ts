import {
  createDispatcher,
  createEngine,
  firstTouchSla,
  type LeadStore,
  MemoryStore,
  type Notifier,
  slaPolicy,
  systemClock,
  ValidationError,
} from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

describe('the polling worker', () => {
  it('fires timers as the clock moves, and stops cleanly', async () => {
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const engine = createEngine({ clock, policies: { sla: firstTouchSla({ within: '5m' }) } });
    const { leadId } = await engine.capture({ id: 'f1', at: clock.now(), source: 'web', contact: {} });
    engine.start({ pollIntervalMs: 60_000 });
    await settle();
    clock.advance('4m');
    await settle();
    expect((await engine.get(leadId)).regions?.sla).toBe('clear');
    clock.advance('1m');
    await settle();
    expect((await engine.get(leadId)).regions?.sla).toBe('breached');
    await engine.stop();
    await engine.stop(); // stopping twice is harmless
  });

  it('runs on the system clock too', async () => {
    const engine = createEngine({ store: new MemoryStore(), clock: systemClock() });
    engine.start({ pollIntervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await engine.stop();
  });

  it('refuses a non-positive poll interval', () => {
    expect(() => createEngine().start({ pollIntervalMs: 0 })).toThrow(/pollIntervalMs: must be a positive number of ms/);
    const notifier: Notifier = { channel: 'email', deliver: async () => ({ status: 'delivered' }) };
    const dispatcher = createDispatcher({ engine: createEngine(), notifiers: [notifier] });
    expect(() => dispatcher.start({ pollIntervalMs: Number.NaN })).toThrow(ValidationError);
  });

  it('reports a timer that fails to fire and retries it after its lease', async () => {
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const store = new MemoryStore();
    const failures: string[] = [];
    const engine = createEngine({
      store,
      clock,
      leaseMs: 60_000,
      policies: { sla: firstTouchSla({ within: '5m' }) },
      onError: (_error, timer) => failures.push(timer?.timerId ?? 'round'),
    });
    const { leadId } = await engine.capture({ id: 'f1', at: clock.now(), source: 'web', contact: {} });
    const commit = store.commit.bind(store);
    let failOnce = true;
    (store as LeadStore).commit = async (unit) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('disk full');
      }
      return commit(unit);
    };
    clock.advance('5m');
    expect((await engine.runDue()).fired).toBe(0);
    expect(failures).toEqual(['sla:first_touch']);
    clock.advance('1m');
    expect((await engine.runDue()).fired).toBe(1);
    expect((await engine.get(leadId)).history.filter((entry) => entry.event === 'sla.breached').map((entry) => entry.at)).toEqual(['2026-03-02T09:05Z']);
  });
});

/** Lets the worker's pending promise callbacks run. */
async function settle() {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

const followUp = slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h' }] });

describe('the polling worker after a failed round', () => {
  it('a worker whose claim fails once keeps running and fires the timer at its next round', async () => {
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const store = new MemoryStore();
    const failures: string[] = [];
    let fail = true;
    const flaky = new Proxy(store, {
      get(target, property) {
        const member = Reflect.get(target, property, target);
        if (typeof member !== 'function') return member;
        if (property === 'claimDueTimers' && fail) {
          return () => {
            fail = false;
            throw new Error('db down');
          };
        }
        return member.bind(target);
      },
    }) as LeadStore;
    const engine = createEngine({
      store: flaky,
      clock,
      policies: { sla: followUp },
      onError: (error, timer) => failures.push(`${timer?.timerId ?? 'round'}: ${(error as Error).message}`),
    });
    const { leadId } = await engine.capture({ id: 'f1', at: clock.now(), source: 'web', contact: {} });
    await engine.dispatch(leadId, { type: 'lead.assigned', id: 'a1', at: clock.now(), owner: 'ann' });
    engine.start({ pollIntervalMs: 60_000 });
    clock.advance('1h');
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    clock.advance('1m');
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    await engine.stop();
    expect(failures[0]).toBe('round: db down');
    expect((await engine.get(leadId)).regions?.sla).toBe('breached');
  });
});

describe('leases of a long runDue', () => {
  it('run from the clock at each claim, not from the now the call started with', async () => {
    const inner = new MemoryStore();
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const leases: number[] = [];
    // Each commit takes two minutes of the clock, longer than the 30 s lease.
    const slow = new Proxy(inner, {
      get(target, property) {
        const member = Reflect.get(target, property, target);
        if (typeof member !== 'function') return member;
        if (property === 'claimDueTimers')
          return (...args: Parameters<MemoryStore['claimDueTimers']>) => {
            const claimed = member.apply(target, args) as ReturnType<MemoryStore['claimDueTimers']>;
            for (const timer of claimed) leases.push(timer.leaseUntil - clock.now());
            return claimed;
          };
        if (property === 'commit')
          return (...args: unknown[]) => {
            clock.advance('2m');
            return member.apply(target, args);
          };
        return member.bind(target);
      },
    }) as LeadStore;
    const engine = createEngine({ store: slow, clock, batchSize: 1, leaseMs: 30_000, policies: { sla: firstTouchSla({ within: '5m' }) } });
    const start = clock.now();
    await engine.capture({ id: 'form-1', at: start, source: 'web', contact: {} });
    await engine.capture({ id: 'form-2', at: start, source: 'web', contact: {} });
    clock.set(start + 10 * 60_000);
    expect(await engine.runDue()).toEqual({ fired: 2 });
    // The second claim came after the first firing's two minutes: its lease still has 30 s from then.
    expect(leases).toEqual([30_000, 30_000]);
  });
});
