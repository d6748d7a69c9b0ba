import { createEngine, type LeadStore, MemoryStore, slaPolicy } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

describe('a timer rescheduled while a worker holds it', () => {
  it('is dropped when it fires, instead of applying a deadline that moved', async () => {
    const store = new MemoryStore();
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const policies = { sla: slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '5m' }] }) };
    const other = createEngine({ store, clock, policies });
    const { leadId } = await other.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    await other.dispatch(leadId, { type: 'lead.assigned', id: 'to-ann', at: clock.now(), owner: 'ann' });

    // Worker A claims the breach timer at 09:05 and stalls before it loads the lead.
    let resume: () => void = () => {};
    const stalled = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let claimed = false;
    const slow = new Proxy(store, {
      get(target, property) {
        const member = Reflect.get(target, property, target);
        if (typeof member !== 'function') return member;
        if (property === 'claimDueTimers') {
          return async (...args: unknown[]) => {
            const timers = await member.apply(target, args);
            claimed = timers.length > 0;
            return timers;
          };
        }
        if (property === 'load') return async (...args: unknown[]) => (claimed ? stalled : Promise.resolve()).then(() => member.apply(target, args));
        return member.bind(target);
      },
    }) as LeadStore;
    const workerA = createEngine({ store: slow, clock, policies });
    clock.set('2026-03-02T09:05:00Z');
    const firing = workerA.runDue();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(claimed).toBe(true);

    // Meanwhile the lead goes to bob, whose follow-up SLA starts afresh: due 09:10, same timer id.
    await other.dispatch(leadId, { type: 'lead.reassigned', id: 'to-bob', at: clock.now(), owner: 'bob' });
    resume();
    expect(await firing).toEqual({ fired: 1 });

    let view = await other.get(leadId);
    expect(view.history.filter((entry) => entry.event === 'sla.breached')).toEqual([]);
    expect(view.deadlines).toEqual([{ timerId: 'sla:follow_up', event: 'sla.breached', dueAt: '2026-03-02T09:10Z' }]);
    clock.set('2026-03-02T09:10:00Z');
    await other.runDue();
    view = await other.get(leadId);
    expect(view.history.filter((entry) => entry.event === 'sla.breached').map((entry) => entry.at)).toEqual(['2026-03-02T09:10Z']);
  });
});
