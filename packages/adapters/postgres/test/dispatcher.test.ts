// The dispatcher on PostgreSQL: what the server's `bigint` columns and its many connections do to the
// outbox. On PGlite always, and on the server at DATABASE_URL when it is set.
import { createDispatcher, createEngine, type Engine, type Notifier, systemClock } from '@leadline/core';
import { deliveryResultOf } from '@leadline/core/adapter-kit';
import { VirtualClock } from '@leadline/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/index.js';
import { DATABASE_URL, NEEDS_SERVER, pgliteDatabase, serverDatabase, type TestDatabase } from './databases.js';

const databases: { name: string; open: () => TestDatabase }[] = [{ name: 'PGlite', open: pgliteDatabase }];
if (DATABASE_URL) {
  const url = DATABASE_URL;
  databases.push({ name: 'a PostgreSQL server', open: () => serverDatabase(url) });
} else {
  describe.skip(`the dispatcher on a PostgreSQL server (${NEEDS_SERVER})`, () => {
    it('delivers through the outbox', () => {});
  });
}

for (const { name, open } of databases) {
  describe(`the dispatcher on ${name}`, () => {
    const database = open();
    afterAll(() => database.close());

    it('Retry-After: 99999999999999999999 at 09:00 is one retry parked until 10:00, and the round goes on', async () => {
      const store = await database.createStore();
      try {
        const clock = new VirtualClock('2026-03-02T09:00:00Z');
        const engine = createEngine({ store, clock });
        const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
        await engine.dispatch(leadId, { type: 'lead.assigned', id: 'assign-1', at: clock.now(), owner: 'ann' });
        await engine.dispatch(leadId, { type: 'lead.reassigned', id: 'reassign-1', at: clock.now(), owner: 'bob' });
        const got: string[] = [];
        const receiver: Notifier = {
          channel: 'default',
          deliver: async (n) => {
            got.push(n.kind);
            return n.kind === 'lead.assigned' ? deliveryResultOf(503, '99999999999999999999', '', clock.now()) : { status: 'delivered' };
          },
        };
        const dispatcher = createDispatcher({ engine, notifiers: [receiver] });
        expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 1, deadLettered: 0, errors: 0 });
        expect(got).toEqual(['lead.assigned', 'lead.reassigned']);
        expect((await store.pendingOutbox('default', 10)).map((m) => [m.kind, m.attempts, m.availableAt - clock.now()])).toEqual([
          ['lead.assigned', 1, 3_600_000],
        ]);
        expect(await dispatcher.runOnce()).toMatchObject({ delivered: 0, retried: 0 });
      } finally {
        await database.dropStore(store);
      }
    });

    it('two dispatchers, 30 messages, a 400 ms receiver, a 2 s lease: each message is delivered once', { timeout: 60_000 }, async () => {
      const store = await database.createStore();
      try {
        const clock = systemClock();
        // Two processes: each its own store object over the database.
        const first = createEngine({ store, clock });
        const second = createEngine({ store: new PostgresStore({ db: database.db, schema: store.schema }), clock });
        for (let index = 0; index < 30; index++) {
          const { leadId } = await first.capture({ id: `form-${index}`, at: clock.now(), source: 'web', contact: {} });
          await first.dispatch(leadId, { type: 'lead.assigned', id: `assign-${index}`, at: clock.now(), owner: 'ann' });
        }
        const deliveries = await deliverWithTwoDispatchers([first, second], { leaseMs: 2_000, deliveryMs: 400 });
        expect(deliveries.size).toBe(30);
        expect([...deliveries.values()].filter((count) => count > 1)).toEqual([]);
      } finally {
        await database.dropStore(store);
      }
    });
  });
}

/** Runs a dispatcher per engine until the outbox is empty; how often each message was delivered. */
async function deliverWithTwoDispatchers(engines: readonly Engine[], { leaseMs, deliveryMs }: { leaseMs: number; deliveryMs: number }) {
  const deliveries = new Map<string, number>();
  const slow: Notifier = {
    channel: 'default',
    deliver: async (n) => {
      await new Promise((resolve) => setTimeout(resolve, deliveryMs));
      deliveries.set(n.idempotencyKey, (deliveries.get(n.idempotencyKey) ?? 0) + 1);
      return { status: 'delivered' };
    },
  };
  const dispatchers = engines.map((engine) => createDispatcher({ engine, notifiers: [slow], leaseMs }));
  for (const dispatcher of dispatchers) dispatcher.start({ pollIntervalMs: 20 });
  const store = engines[0]?.store;
  while (store && (await store.pendingOutbox('default', 1)).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
  return deliveries;
}
