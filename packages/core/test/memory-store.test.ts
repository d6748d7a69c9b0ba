import { type CommitUnit, DuplicateEventError, MemoryStore, type StoredLead, type TimerRow, VersionConflictError } from '@leadline/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerHeap } from '../src/store/timer-heap.js';

function lead(leadId: string, version: number, tenantId = 'default'): StoredLead {
  return { tenantId, leadId, version, eventCount: version, state: 'new', open: true, overdue: false, snapshot: { value: 'x' }, updatedAt: 0 };
}

function timer(leadId: string, timerId: string, dueAt: number, tenantId = 'default'): TimerRow {
  return { tenantId, leadId, timerId, dueAt, eventId: `${leadId}/${timerId}/${dueAt}`, event: { type: 'sla.breached' } };
}

function unit(stored: StoredLead, timers: TimerRow[] = [], eventIds = [`e-${stored.leadId}-${stored.version}`]): CommitUnit {
  return { lead: stored, expectedVersion: stored.version - 1, timers: { upsert: timers, cancel: [] }, firedTimers: [], outbox: [], history: [], eventIds };
}

describe('MemoryStore', () => {
  it('refuses a stale version or a repeated event id and writes nothing', async () => {
    const store = new MemoryStore();
    await store.commit(unit(lead('a', 1), [timer('a', 'sla', 10)]));
    // The memory store answers at once, so it throws rather than rejects.
    expect(() => store.commit(unit(lead('a', 1), [timer('a', 'other', 5)]))).toThrow(VersionConflictError);
    expect(() => store.commit(unit(lead('a', 2), [timer('a', 'other', 5)], ['e-a-1']))).toThrow(DuplicateEventError);
    expect(await store.timersOf('default', 'a')).toEqual([timer('a', 'sla', 10)]);
    expect((await store.load('default', 'a'))?.version).toBe(1);
  });

  it('claims due timers earliest first, and only due ones, without scanning leads', async () => {
    const store = new MemoryStore();
    const dues = [50, 10, 40, 20, 30];
    for (const [index, dueAt] of dues.entries()) await store.commit(unit(lead(`l${index}`, 1), [timer(`l${index}`, 'sla', dueAt)]));
    const claimed = await store.claimDueTimers('default', 35, { limit: 10, leaseMs: 100 });
    expect(claimed.map((row) => row.dueAt)).toEqual([10, 20, 30]);
    expect(await store.nextDueAt('default')).toBe(40);
  });

  it('never hands one timer to two claimers while the lease holds, and hands it again after', async () => {
    const store = new MemoryStore();
    await store.commit(unit(lead('a', 1), [timer('a', 'sla', 10)]));
    const [first] = await store.claimDueTimers('default', 10, { limit: 10, leaseMs: 100 });
    expect(first).toBeDefined();
    expect(await store.claimDueTimers('default', 109, { limit: 10, leaseMs: 100 })).toEqual([]);
    const [second] = await store.claimDueTimers('default', 110, { limit: 10, leaseMs: 100 });
    expect(second?.claimToken).not.toBe(first?.claimToken);
    // The first claimer's late release is ignored: the claim moved on.
    await store.releaseTimer(first as never);
    expect(await store.timersOf('default', 'a')).toHaveLength(1);
    await store.releaseTimer(second as never);
    expect(await store.timersOf('default', 'a')).toEqual([]);
  });

  it('replaces a timer raised again with the same id, and forgets cancelled ones', async () => {
    const store = new MemoryStore();
    await store.commit(unit(lead('a', 1), [timer('a', 'cadence', 10)]));
    await store.commit(unit(lead('a', 2), [timer('a', 'cadence', 30)]));
    expect(await store.claimDueTimers('default', 20, { limit: 10, leaseMs: 100 })).toEqual([]);
    await store.commit({ ...unit(lead('a', 3)), timers: { upsert: [], cancel: ['cadence'] } });
    expect(await store.claimDueTimers('default', 1000, { limit: 10, leaseMs: 100 })).toEqual([]);
    expect(await store.nextDueAt('default')).toBeUndefined();
  });

  it('keeps tenants apart', async () => {
    const store = new MemoryStore();
    await store.commit(unit(lead('same-id', 1, 'acme'), [timer('same-id', 'sla', 10, 'acme')]));
    await store.commit(unit(lead('same-id', 1, 'globex'), [timer('same-id', 'sla', 20, 'globex')]));
    expect((await store.claimDueTimers('acme', 100, { limit: 10, leaseMs: 1 })).map((row) => row.tenantId)).toEqual(['acme']);
    expect(await store.nextDueAt('globex')).toBe(20);
    expect(await store.listLeads({ tenantId: 'globex' })).toHaveLength(1);
    expect(await store.load('initech', 'same-id')).toBeUndefined();
  });

  it('counts open leads per owner as leads move', async () => {
    const store = new MemoryStore();
    await store.commit(unit({ ...lead('a', 1), owner: 'ann' }));
    await store.commit(unit({ ...lead('b', 1), owner: 'ann' }));
    await store.commit(unit({ ...lead('a', 2), owner: 'bob' }));
    await store.commit(unit({ ...lead('b', 2), owner: 'ann', open: false }));
    expect(await store.ownerLoads('default')).toEqual(
      new Map([
        ['ann', { open: 0, assigned: 2 }],
        ['bob', { open: 1, assigned: 1 }],
      ]),
    );
  });
});

describe('TimerHeap', () => {
  it('pops in order of time, then of insertion', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), (ats) => {
        const heap = new TimerHeap<number>();
        for (const [index, at] of ats.entries()) heap.push(at, index);
        const popped: number[] = [];
        for (let item = heap.pop(); item !== undefined; item = heap.pop()) popped.push(item);
        const expected = ats.map((at, index) => ({ at, index })).sort((x, y) => x.at - y.at || x.index - y.index);
        expect(popped).toEqual(expected.map((entry) => entry.index));
      }),
    );
  });
});
