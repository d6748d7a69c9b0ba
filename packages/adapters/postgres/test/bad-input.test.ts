import { type CommitUnit, type StoredLead, ValidationError } from '@leadline/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MalformedRowError, type PostgresStore } from '../src/index.js';
import { DATABASE_URL, pgliteDatabase, serverDatabase, type TestDatabase } from './databases.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');

function lead(leadId: string, extra: Partial<StoredLead> = {}): StoredLead {
  return {
    tenantId: 'acme',
    leadId,
    version: 1,
    eventCount: 1,
    state: 'assigned',
    open: true,
    overdue: false,
    owner: 'ann',
    contactKeys: [`email:${leadId}@example.com`],
    snapshot: { value: { open: { stage: 'assigned' } }, context: { leadId } },
    updatedAt: T0,
    ...extra,
  };
}

function unit(stored: StoredLead, parts: Partial<CommitUnit> = {}): CommitUnit {
  return {
    lead: stored,
    expectedVersion: stored.version - 1,
    timers: {
      upsert: [{ tenantId: stored.tenantId, leadId: stored.leadId, timerId: 'sla:a', dueAt: T0, eventId: 'e/sla', event: { type: 'sla.breached' } }],
      cancel: [],
    },
    firedTimers: [],
    outbox: [],
    history: [
      {
        tenantId: stored.tenantId,
        leadId: stored.leadId,
        seq: 1,
        eventId: `${stored.leadId}/e1`,
        type: 'lead.captured',
        at: T0,
        from: null,
        to: stored.state,
        notes: [],
      },
    ],
    eventIds: [`${stored.leadId}/e1`],
    ...parts,
  };
}

function badInput(name: string, open: () => TestDatabase) {
  describe(`bad input on ${name}`, () => {
    const database = open();
    let store: PostgresStore;
    const stores: PostgresStore[] = [];
    beforeEach(async () => {
      store = await database.createStore();
      stores.push(store);
    });
    afterAll(async () => {
      for (const each of stores) await database.dropStore(each);
      await database.close();
    });
    const sql = (text: string, params?: unknown[]) => database.db.query(text.replaceAll('$schema', `"${store.schema}"`), params);

    it('a lead row whose snapshot is not an object is refused when read, naming the lead', async () => {
      await store.commit(unit(lead('l1')));
      // The table's CHECK keeps the store from writing such a row; a hand edit that drops it does not.
      await expect(sql(`UPDATE $schema.leads SET snapshot = '"not an object"'`)).rejects.toMatchObject({ code: '23514' });
      await sql('ALTER TABLE $schema.leads DROP CONSTRAINT leads_snapshot_check');
      await sql(`UPDATE $schema.leads SET snapshot = '"not an object"' WHERE lead_id = 'l1'`);

      const error = await Promise.resolve(store.load('acme', 'l1')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MalformedRowError);
      expect(error).toMatchObject({ code: 'malformed_row', table: 'leads', tenantId: 'acme', key: 'lead "l1"' });
      expect((error as Error).message).toBe(
        'Malformed row in leads for tenant "acme", lead "l1": column snapshot must be a JSON object, got string "not an object"',
      );
      await expect(store.listLeads({ tenantId: 'acme' })).rejects.toBeInstanceOf(MalformedRowError);
      await expect(store.findByContactKeys('acme', ['email:l1@example.com'])).rejects.toBeInstanceOf(MalformedRowError);
    });

    it('a lead row with an unknown state or a broken version is refused when read', async () => {
      await store.commit(unit(lead('l1')));
      await store.commit(unit(lead('l2')));
      await sql(`UPDATE $schema.leads SET state = 'zombie' WHERE lead_id = 'l1'`);
      await expect(store.load('acme', 'l1')).rejects.toThrow(/lead "l1": column state must be one of new, .*, got string "zombie"/);
      await expect(sql(`UPDATE $schema.history SET notes = '{"not": "a list"}' WHERE lead_id = 'l2'`)).rejects.toMatchObject({ code: '23514' });
      await sql('ALTER TABLE $schema.history DROP CONSTRAINT history_notes_check');
      await sql(`UPDATE $schema.history SET notes = '{"not": "a list"}' WHERE lead_id = 'l2'`);
      await expect(store.historyOf('acme', 'l2')).rejects.toThrow(/history .* lead "l2" entry 1: column notes must be a JSON array of strings/);
    });

    it('a commit with a snapshot that is not an object, or rows of another lead or tenant, is refused and writes nothing', async () => {
      const refusals: [string, CommitUnit][] = [
        ['snapshot', unit(lead('l1', { snapshot: 'oops' }))],
        ['snapshot', unit(lead('l1', { snapshot: [1, 2] }))],
        [
          'timers.upsert.0',
          unit(lead('l1'), {
            timers: { upsert: [{ tenantId: 'globex', leadId: 'l1', timerId: 't', dueAt: T0, eventId: 'x', event: { type: 'sla.breached' } }], cancel: [] },
          }),
        ],
        [
          'history.0',
          unit(lead('l1'), { history: [{ tenantId: 'acme', leadId: 'other', seq: 1, eventId: 'e', type: 't', at: T0, from: null, to: 'new', notes: [] }] }),
        ],
        [
          'timers.upsert.0.dueAt',
          unit(lead('l1'), {
            timers: {
              upsert: [{ tenantId: 'acme', leadId: 'l1', timerId: 't', dueAt: Number.NaN, eventId: 'x', event: { type: 'sla.breached' } }],
              cancel: [],
            },
          }),
        ],
      ];
      for (const [path, refused] of refusals) {
        const error = await store.commit(refused).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).problems.map((problem) => problem.path.join('.'))).toContainEqual(
          path.startsWith('snapshot') ? 'lead.snapshot' : path,
        );
      }
      expect(await store.load('acme', 'l1')).toBeUndefined();
      expect(await store.timersOf('acme', 'l1')).toEqual([]);
      expect(await store.timersOf('globex', 'l1')).toEqual([]);
      expect(await store.eventLead('acme', 'l1/e1')).toBeUndefined();
    });

    it('one bad unit among commits sent together fails alone', async () => {
      const results = await Promise.allSettled([
        store.commit(unit(lead('a'))),
        // A history entry that clashes with itself: the database refuses it, not the checks.
        store.commit(unit(lead('b'), { history: [unit(lead('b')).history[0], unit(lead('b')).history[0]] as CommitUnit['history'] })),
        store.commit(unit(lead('c'))),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.listLeads({ tenantId: 'acme' })).map((row) => row.leadId)).toEqual(['a', 'c']);
      expect(await store.eventLead('acme', 'b/e1')).toBeUndefined();
    });

    it('an unknown tenant has no data: every read answers empty, never another tenant rows', async () => {
      await store.commit(
        unit(lead('l1'), {
          outbox: [
            {
              id: 'm1',
              tenantId: 'acme',
              leadId: 'l1',
              kind: 'sla.breached',
              to: ['ann'],
              summary: 'breach',
              createdAt: T0,
            } as CommitUnit['outbox'][number],
          ],
        }),
      );
      const tenant = 'initech';
      expect(await store.load(tenant, 'l1')).toBeUndefined();
      expect(await store.eventLead(tenant, 'l1/e1')).toBeUndefined();
      expect(await store.claimDueTimers(tenant, T0 + 1e9, { limit: 10, leaseMs: 1000 })).toEqual([]);
      expect(await store.nextDueAt(tenant)).toBeUndefined();
      expect(await store.timersOf(tenant, 'l1')).toEqual([]);
      expect(await store.historyOf(tenant, 'l1')).toEqual([]);
      expect(await store.pendingOutbox(tenant, 10)).toEqual([]);
      expect(await store.claimOutbox(tenant, T0 + 1e9, { limit: 10, leaseMs: 1000 })).toEqual([]);
      expect(await store.deadLetters(tenant, 10)).toEqual([]);
      expect(await store.findByContactKeys(tenant, ['email:l1@example.com'])).toBeUndefined();
      expect(await store.lastContactTouches(tenant, ['email:l1@example.com'])).toEqual({});
      expect(await store.ownerLoads(tenant)).toEqual(new Map());
      expect(await store.listLeads({ tenantId: tenant })).toEqual([]);
      // ... and acme's data is still acme's, untouched by the claims above.
      expect(await store.timersOf('acme', 'l1')).toHaveLength(1);
      expect((await store.claimDueTimers('acme', T0, { limit: 10, leaseMs: 1000 })).map((timer) => timer.leadId)).toEqual(['l1']);
      expect((await store.claimOutbox('acme', T0, { limit: 10, leaseMs: 1000 })).map((message) => message.id)).toEqual(['m1']);
    });
  });
}

badInput('PGlite', pgliteDatabase);
if (DATABASE_URL) {
  const url = DATABASE_URL;
  badInput('a PostgreSQL server', () => serverDatabase(url));
}
