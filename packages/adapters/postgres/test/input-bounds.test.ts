// Input without bounds, on every store: the same bad input gets the same typed error from the memory
// store and from PostgreSQL (PGlite), and writes nothing to either. Core refuses it before a store is
// reached (docs/policies.md, "Limits"); before that, some of these were an untyped PostgreSQL error (a NUL,
// a lone surrogate, a fractional millisecond) while the memory store took them.
import { type Clock, createEngine, firstTouchSla, type LeadPolicies, type LeadStore, MemoryStore } from '@leadline/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../src/index.js';
import { pgliteDatabase } from './databases.js';

const database = pgliteDatabase();
afterAll(() => database.close());

const MONDAY_9 = Date.parse('2026-03-02T09:00:00Z');
const mondayClock: Clock = { now: () => MONDAY_9, sleep: async () => {} };
/** As far ahead as a Date goes, so that only the bound on instants can refuse an instant. */
const farClock: Clock = { now: () => 8.64e15, sleep: async () => {} };

const STORES: { name: string; open(): Promise<{ store: LeadStore; close(): Promise<void> }> }[] = [
  { name: 'MemoryStore', open: async () => ({ store: new MemoryStore(), close: async () => {} }) },
  {
    name: 'PostgresStore on PGlite',
    open: async () => {
      const store = await database.createStore();
      return { store, close: () => database.dropStore(store as PostgresStore) };
    },
  },
];

/** What a store holds of the tenant: every lead, and Ada's history, timers and outbox. */
async function contents(store: LeadStore, leadId: string, tenantId = 'default'): Promise<string> {
  return JSON.stringify([
    (await store.listLeads({ tenantId })).map((lead) => lead.leadId),
    (await store.historyOf(tenantId, leadId)).map((entry) => entry.eventId),
    (await store.timersOf(tenantId, leadId)).map((timer) => timer.timerId),
    (await store.pendingOutbox(tenantId, 100)).map((message) => message.id),
  ]);
}

/** How a call ended, as comparable data: the error's class, code and problems, or what it returned. */
function outcomeOf(settled: PromiseSettledResult<unknown>): unknown {
  if (settled.status === 'fulfilled') return { returned: settled.value };
  const error = settled.reason as { name?: string; code?: string; problems?: unknown };
  return { error: error.name, code: error.code, problems: error.problems };
}

interface Case {
  /** The policies, built per store (a config may be what is refused). */
  policies?: () => LeadPolicies;
  clock?: Clock;
  tenantId?: string;
  /** What is done to an engine that holds Ada's lead. */
  run(engine: ReturnType<typeof createEngine>, leadId: string): Promise<unknown>;
}

/** Runs the case on every store: each outcome, and whether the store is as it was before the call. */
async function onEveryStore(bad: Case): Promise<{ outcome: unknown; unchanged: boolean }[]> {
  const results: { outcome: unknown; unchanged: boolean }[] = [];
  for (const { open } of STORES) {
    const { store, close } = await open();
    try {
      let engine: ReturnType<typeof createEngine>;
      try {
        const policies = bad.policies ? bad.policies() : { sla: firstTouchSla({ within: '1h' }) };
        engine = createEngine({ store, policies, clock: bad.clock ?? mondayClock, ...(bad.tenantId === undefined ? {} : { tenantId: bad.tenantId }) });
      } catch (error) {
        // Refused before any engine exists: nothing can have been written.
        results.push({ outcome: outcomeOf({ status: 'rejected', reason: error }), unchanged: true });
        continue;
      }
      const settled = await Promise.allSettled([
        engine.capture({ id: 'form-1', at: MONDAY_9, source: 'web', contact: { email: 'ada@example.com' } }).then(async ({ leadId }) => {
          const before = await contents(store, leadId, engine.tenantId);
          const [result] = await Promise.allSettled([bad.run(engine, leadId)]);
          return { result: result as PromiseSettledResult<unknown>, unchanged: (await contents(store, leadId, engine.tenantId)) === before };
        }),
      ]);
      const [first] = settled;
      if (first?.status === 'fulfilled') results.push({ outcome: outcomeOf(first.value.result), unchanged: first.value.unchanged });
      else results.push({ outcome: outcomeOf(first as PromiseSettledResult<unknown>), unchanged: false });
    } finally {
      await close();
    }
  }
  return results;
}

const capture = (input: unknown) => (engine: ReturnType<typeof createEngine>) => engine.capture(input as never);
const dispatch = (event: Record<string, unknown>) => (engine: ReturnType<typeof createEngine>, leadId: string) =>
  engine.dispatch(leadId, { at: MONDAY_9, ...event } as never);
const bob = { id: 'form-2', at: MONDAY_9, source: 'web', contact: { email: 'bob@example.com' } };

const CASES: [string, Case, string][] = [
  ['an intake id with NUL', { run: capture({ ...bob, id: 'form\u00002' }) }, 'id'],
  ['a lead id with CR/LF', { run: capture({ ...bob, leadId: 'lead\r\n2' }) }, 'leadId'],
  ['a contact name with a lone surrogate', { run: capture({ ...bob, contact: { name: 'Bob \ud800' } }) }, 'contact.name'],
  ['an attribute value with NUL', { run: capture({ ...bob, attributes: { plan: 'pro\u0000' } }) }, 'attributes.plan'],
  ['101 attributes', { run: capture({ ...bob, attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, i])) }) }, 'attributes'],
  [
    'a __proto__ attribute',
    { run: capture(JSON.parse(`{"id":"form-2","at":${MONDAY_9},"source":"web","contact":{},"attributes":{"__proto__":"x"}}`)) },
    'attributes.__proto__',
  ],
  ['a capture at 8.64e15', { clock: farClock, run: capture({ ...bob, at: 8.64e15 - 1 }) }, 'at'],
  ['an event id with NUL', { run: dispatch({ type: 'touch.logged', id: 'call\u00001', channel: 'call', outcome: 'connected' }) }, 'id'],
  ['an owner with CR/LF', { run: dispatch({ type: 'lead.assigned', id: 'a1', owner: 'ann\r\nX-Injected: 1' }) }, 'owner'],
  ['a note with NUL', { run: dispatch({ type: 'touch.logged', id: 't1', channel: 'call', outcome: 'connected', note: 'left\u0000voicemail' }) }, 'note'],
  ['an activity with a lone surrogate', { run: dispatch({ type: 'activity.recorded', id: 'v1', activity: 'pricing \udc00' }) }, 'activity'],
  ['a snooze until 8.64e15', { clock: farClock, run: dispatch({ type: 'lead.snoozed', id: 's1', until: 8.64e15 }) }, 'until'],
  ['a meeting at 8e15', { run: dispatch({ type: 'meeting.booked', id: 'm1', meetingAt: 8e15 }) }, 'meetingAt'],
  ['an SLA within 0.5ms', { policies: () => ({ sla: firstTouchSla({ within: '0.5ms' }) }), run: capture(bob) }, 'within'],
  ['an SLA within 99999999999999999999w', { policies: () => ({ sla: firstTouchSla({ within: '99999999999999999999w' }) }), run: capture(bob) }, 'within'],
];

describe('bad input on every store', () => {
  it.each(CASES)('%s: the same typed error at its path from the memory store and PGlite, and nothing written', async (_name, bad, path) => {
    const [memory, postgres] = (await onEveryStore(bad)) as [{ outcome: { problems: { path: (string | number)[] }[] }; unchanged: boolean }, unknown];
    expect(memory.outcome).toMatchObject({ error: expect.stringMatching(/^(ValidationError|ConfigError)$/) });
    expect(memory.outcome.problems.map((problem) => problem.path.join('.'))).toEqual([path]);
    expect(postgres).toEqual(memory);
    expect(memory.unchanged).toBe(true);
  });

  // createEngine checks its tenantId with tenantIdSchema (validation.ts): a NUL never reaches a store,
  // where PostgreSQL would answer with an untyped error and the memory store would take it.
  it('a tenant id with NUL: the same ValidationError at tenantId from every store', async () => {
    const outcomes = await onEveryStore({ tenantId: 'acme\u0000', run: async () => undefined });
    expect(outcomes[0]?.outcome).toMatchObject({ error: 'ValidationError' });
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});
