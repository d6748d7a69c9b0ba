import { AssignmentConflictError, createEngine, leastLoadedRouting, MemoryStore, type OwnerLoad } from '@leadline/core';
import { describe, expect, it } from 'vitest';
import { asyncStore } from './stores.js';

const at = Date.parse('2026-03-02T09:00:00Z');

function captures(count: number) {
  return Array.from({ length: count }, (_, index) => ({ id: `form-${index}`, at, source: 'chat', contact: { email: `p${index}@example.com` } }));
}

async function ownersOf(store: MemoryStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const lead of store.listLeads({ tenantId: 'default' })) if (lead.owner) counts[lead.owner] = (counts[lead.owner] ?? 0) + 1;
  return counts;
}

describe('least-loaded routing under concurrent captures', () => {
  it('20 captures at once on one engine split 10:10, counting assignments still in flight', async () => {
    const memory = new MemoryStore();
    // Every store call answers through a promise, as a database does: the captures interleave.
    const engine = createEngine({ store: asyncStore(memory).store, policies: { routing: leastLoadedRouting({ reps: ['ann', 'bob'] }) } });
    await Promise.all(captures(20).map((input) => engine.capture(input)));
    expect(await ownersOf(memory)).toEqual({ ann: 10, bob: 10 });
  });

  it('two engines over one store split 20 concurrent captures evenly: the store checks the chosen rep at commit', async () => {
    const memory = new MemoryStore();
    const routing = leastLoadedRouting({ reps: ['ann', 'bob'] });
    const a = createEngine({ store: asyncStore(memory).store, policies: { routing } });
    const b = createEngine({ store: asyncStore(memory).store, policies: { routing } });
    await Promise.all(captures(20).map((input, index) => (index % 2 === 0 ? a : b).capture(input)));
    expect(await ownersOf(memory)).toEqual({ ann: 10, bob: 10 });
  });

  it('the memory store refuses a routed commit when the rep gained leads since routing looked', () => {
    const store = new MemoryStore();
    const loads: Map<string, OwnerLoad> = store.ownerLoads('default');
    expect(loads.get('ann')).toBeUndefined();
    const lead = (leadId: string) => ({
      lead: {
        tenantId: 'default',
        leadId,
        version: 1,
        eventCount: 1,
        state: 'assigned' as const,
        open: true,
        overdue: false,
        owner: 'ann',
        snapshot: {},
        updatedAt: at,
      },
      expectedVersion: 0,
      timers: { upsert: [], cancel: [] },
      firedTimers: [],
      outbox: [],
      history: [],
      eventIds: [`intake:${leadId}`],
      routedTo: { owner: 'ann', openBefore: 0 },
    });
    store.commit(lead('l1'));
    expect(() => store.commit(lead('l2'))).toThrow(AssignmentConflictError);
    expect(store.load('default', 'l2')).toBeUndefined();
  });
});
