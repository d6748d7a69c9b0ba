// Migration 4 (namespaced idempotency keys) on PostgreSQL: the plain event ids that processed_events held
// before the engine namespaced them become `intake:`, `event:`, `timer:`, `note:` and `derived:` keys, learnt
// from the history, so that a redelivered event is still recognised after the upgrade.
import { createEngine, leastLoadedRouting } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, PostgresStore } from '../src/index.js';
import { DATABASE_URL, freshSchema, NEEDS_SERVER, pgliteDatabase, serverDatabase, type TestDatabase } from './databases.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const policies = { routing: leastLoadedRouting({ reps: ['ann', 'bob'] }) };

/**
 * History entries and processed ids of a second lead, as the engine before migration 4 wrote them: a
 * timer, a notification note, an escalation's two reassignments (derived from the timer), a caller's
 * `lead.assigned` whose id only looks derived (no entry has the id before `#`), and a caller's id
 * `event:call-9` next to `call-9`, whose key is `event:call-9`.
 */
const LEAD_2: [seq: number, eventId: string, type: string][] = [
  [1, 'form-2', 'lead.captured'],
  [2, 'lead-2/sla:first_touch/v2', 'sla.breached'],
  [3, 'lead-2/sla:first_touch/v3', 'sla.escalated'],
  [4, 'lead-2/sla:first_touch/v3#reassign', 'lead.reassigned'],
  [5, 'lead-2/sla:first_touch/v3#reassign2', 'lead.reassigned'],
  [6, 'notification.delivered:m-1', 'notification.delivered'],
  [7, 'crm-7#route', 'lead.assigned'],
  [8, 'call-9', 'touch.logged'],
  [9, 'event:call-9', 'touch.logged'],
  [10, 'form-3', 'lead.merged'],
  [11, 'form-3#unrouted', 'lead.unrouted'],
];

function namespacedEventIds(name: string, open: () => TestDatabase) {
  describe(`namespaced event ids on ${name}`, () => {
    const database = open();
    afterAll(() => database.close());

    it('rewrites the plain ids of a schema at migration 3 into namespaced keys, and the engine recognises redeliveries', async () => {
      const schema = freshSchema();
      const s = `"${schema}"`;
      const sql = (text: string, params?: unknown[]) => database.db.query(text, params);
      try {
        await migrate(database.db, { schema, migrations: MIGRATIONS.filter((migration) => migration.id <= 3) });
        const clock = new VirtualClock(T0);
        const store = new PostgresStore({ db: database.db, schema });
        // The lead itself (its snapshot, history and timers) as any engine writes it; only the ids it
        // remembered differ between versions, and those are written below as the old engine did.
        const before = createEngine({ store, clock, policies });
        await before.capture({ id: 'form-1', leadId: 'lead-1', at: T0, source: 'web', contact: { email: 'ada@example.com' } });
        clock.advance('1m');
        await before.dispatch('lead-1', { type: 'touch.logged', id: 'call-1', at: clock.now(), channel: 'call', outcome: 'voicemail' });
        const { rows: history } = await sql(`SELECT event_id, type FROM ${s}.history WHERE lead_id = 'lead-1' ORDER BY seq`);
        expect(history).toEqual([
          { event_id: 'form-1', type: 'lead.captured' },
          { event_id: 'form-1#route', type: 'lead.assigned' },
          { event_id: 'call-1', type: 'touch.logged' },
        ]);
        await sql(`DELETE FROM ${s}.processed_events`);
        for (const [seq, eventId, type] of LEAD_2) {
          await sql(
            `INSERT INTO ${s}.history (tenant_id, lead_id, seq, event_id, type, at, from_state, to_state, notes)
             VALUES ('default', 'lead-2', $1, $2, $3, $4, NULL, 'assigned', '[]'::jsonb)`,
            [seq, eventId, type, T0 + seq],
          );
        }
        const old: [eventId: string, leadId: string][] = [
          ['form-1', 'lead-1'],
          ['form-1#route', 'lead-1'],
          ['call-1', 'lead-1'],
          ...LEAD_2.map(([, eventId]): [string, string] => [eventId, 'lead-2']),
          // Applied to lead-2, but with no history entry.
          ['lost-1', 'lead-2'],
        ];
        for (const [eventId, leadId] of old) {
          await sql(`INSERT INTO ${s}.processed_events (tenant_id, event_id, lead_id) VALUES ('default', $1, $2)`, [eventId, leadId]);
        }
        // Another tenant's ids are its own: the same id there has its own history.
        await sql(
          `INSERT INTO ${s}.history (tenant_id, lead_id, seq, event_id, type, at, from_state, to_state, notes)
           VALUES ('other', 'lead-1', 1, 'call-1', 'lead.captured', $1, NULL, 'new', '[]'::jsonb)`,
          [T0],
        );
        await sql(`INSERT INTO ${s}.processed_events (tenant_id, event_id, lead_id) VALUES ('other', 'call-1', 'lead-1')`);

        // Migration 4 rewrites the ids; 5 (timer dead letters) comes after it and leaves them alone.
        expect(await migrate(database.db, { schema })).toEqual({ applied: [4, 5], version: 5 });

        const { rows } = await sql(`SELECT tenant_id, event_id, lead_id FROM ${s}.processed_events ORDER BY tenant_id, event_id`);
        expect(rows.map((row) => `${row.tenant_id} ${row.event_id} ${row.lead_id}`)).toEqual(
          [
            'default derived:intake:form-1#route lead-1',
            'default derived:intake:form-3#unrouted lead-2',
            'default derived:timer:lead-2/sla:first_touch/v3#reassign lead-2',
            'default derived:timer:lead-2/sla:first_touch/v3#reassign2 lead-2',
            'default event:call-1 lead-1',
            'default event:call-9 lead-2',
            'default event:crm-7#route lead-2',
            'default event:event:call-9 lead-2',
            'default event:lost-1 lead-2',
            'default intake:form-1 lead-1',
            'default intake:form-2 lead-2',
            'default intake:form-3 lead-2',
            'default note:notification.delivered:m-1 lead-2',
            'default timer:lead-2/sla:first_touch/v2 lead-2',
            'default timer:lead-2/sla:first_touch/v3 lead-2',
            'other intake:call-1 lead-1',
          ].sort(),
        );
        // The primary key is back, under its name.
        const { rows: keys } = await sql(
          `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '${s}.processed_events'::regclass AND contype = 'p'`,
        );
        expect(keys).toEqual([{ conname: 'processed_events_pkey', def: 'PRIMARY KEY (tenant_id, event_id)' }]);
        await expect(sql(`INSERT INTO ${s}.processed_events (tenant_id, event_id, lead_id) VALUES ('default', 'event:call-1', 'lead-3')`)).rejects.toThrow(
          /processed_events_pkey/,
        );

        // An engine of this version over the upgraded schema: the intake and the touch are redeliveries.
        const after = createEngine({ store: new PostgresStore({ db: database.db, schema }), clock, policies });
        const lead = await after.get('lead-1');
        await expect(after.capture({ id: 'form-1', at: T0, source: 'web', contact: { email: 'ada@example.com' } })).resolves.toMatchObject({
          leadId: 'lead-1',
          outcome: 'duplicate',
          version: lead.version,
        });
        await expect(
          after.dispatch('lead-1', { type: 'touch.logged', id: 'call-1', at: T0 + 60_000, channel: 'call', outcome: 'voicemail' }),
        ).resolves.toMatchObject({ leadId: 'lead-1', applied: false, version: lead.version });
        // A new event still applies, remembered under its key.
        clock.advance('1m');
        await expect(
          after.dispatch('lead-1', { type: 'touch.logged', id: 'call-2', at: clock.now(), channel: 'call', outcome: 'connected' }),
        ).resolves.toMatchObject({ applied: true, version: lead.version + 1 });
        expect(await store.eventLead('default', 'event:call-2')).toBe('lead-1');
      } finally {
        await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });
  });
}

namespacedEventIds('PGlite', pgliteDatabase);

if (DATABASE_URL) {
  const url = DATABASE_URL;
  namespacedEventIds('a PostgreSQL server', () => serverDatabase(url));
} else {
  describe.skip(`namespaced event ids on a PostgreSQL server (${NEEDS_SERVER})`, () => {
    it('rewrites the plain ids of a schema at migration 3 into namespaced keys', () => {});
  });
}
