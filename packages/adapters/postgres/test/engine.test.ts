import { type CommitUnit, createEngine, firstTouchSla } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { pgliteDatabase } from './databases.js';

const database = pgliteDatabase();
afterAll(() => database.close());
const policies = { sla: firstTouchSla({ within: '5m' }) };

describe('the engine on PostgresStore (PGlite)', () => {
  it('lead arrives Mon 09:00, no touch: the first-touch SLA breaches once at 09:05, and an engine built anew does not fire it again', async () => {
    const store = await database.createStore();
    try {
      const clock = new VirtualClock('2026-03-02T09:00:00Z');
      const engine = createEngine({ store, clock, policies });
      const { leadId, outcome } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'demo_request', contact: { email: 'ada@example.com' } });
      expect(outcome).toBe('created');
      expect(await engine.nextDueAt()).toBe(Date.parse('2026-03-02T09:05:00Z'));

      clock.set('2026-03-02T09:04:59Z');
      expect((await engine.runDue()).fired).toBe(0);
      clock.set('2026-03-02T09:05:00Z');
      expect((await engine.runDue()).fired).toBe(1);
      expect((await engine.runDue()).fired).toBe(0);

      // Another process, after a restart: a new store over the same database, a new engine.
      const restarted = createEngine({ store: new PostgresStore({ db: database.db, schema: store.schema }), clock, policies });
      clock.advance('1d');
      expect((await restarted.runDue()).fired).toBe(0);
      const view = await restarted.get(leadId);
      const breaches = view.history.filter((entry) => entry.event === 'sla.breached');
      expect(breaches).toHaveLength(1);
      expect(breaches[0]?.text).toMatch(/first_touch SLA breached at 2026-03-02T09:05Z/);
      expect((await store.load('default', leadId))?.overdue).toBe(true);

      // The same form delivered again is the same lead; the same person again is merged into it.
      expect((await restarted.capture({ id: 'form-1', at: clock.now(), source: 'demo_request', contact: { email: 'ada@example.com' } })).outcome).toBe(
        'duplicate',
      );
      const merged = await restarted.capture({ id: 'form-2', at: clock.now(), source: 'webinar', contact: { email: 'ADA@example.com' } });
      expect(merged).toMatchObject({ leadId, outcome: 'merged' });
      expect((await store.historyOf('default', leadId)).map((entry) => entry.type)).toEqual(['lead.captured', 'sla.breached', 'lead.merged']);
    } finally {
      await database.dropStore(store);
    }
  });
});

describe('the outbox on PostgresStore (PGlite)', () => {
  it('gives a message back with every field it was written with, those without a column of their own too', async () => {
    const store = await database.createStore();
    try {
      const at = Date.parse('2026-03-02T09:05:00Z');
      const message = {
        id: 'l1:e1:0:email',
        tenantId: 'acme',
        leadId: 'l1',
        kind: 'sla.breached',
        channel: 'email',
        to: ['ann'],
        summary: 'first_touch SLA breached',
        lead: {
          leadId: 'l1',
          name: 'Ada Lovelace',
          source: 'demo_request',
          state: 'assigned',
          activities: [{ activity: 'visited /pricing', at: '2026-03-02T08:55Z' }],
        },
        createdAt: at,
      } as CommitUnit['outbox'][number];
      await store.commit({
        lead: {
          tenantId: 'acme',
          leadId: 'l1',
          version: 1,
          eventCount: 1,
          state: 'assigned',
          open: true,
          overdue: true,
          owner: 'ann',
          snapshot: {},
          updatedAt: at,
        },
        expectedVersion: 0,
        timers: { upsert: [], cancel: [] },
        firedTimers: [],
        outbox: [message],
        history: [],
        eventIds: ['e1'],
      });
      expect(await store.pendingOutbox('acme', 10)).toEqual([{ ...message, attempts: 0, availableAt: at }]);
      const [claimed] = await store.claimOutbox('acme', at, { limit: 1, leaseMs: 1000 });
      expect(claimed).toMatchObject({ ...message, attempts: 0 });
    } finally {
      await database.dropStore(store);
    }
  });
});
