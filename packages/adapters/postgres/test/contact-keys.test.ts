// Migration 2 (contact keys and contact touches) on PostgreSQL: the upgrade of a schema with email dedupe
// keys, the GIN index the lookup uses, and what the store refuses to write or read.
import { type CommitUnit, ValidationError } from '@leadline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MalformedRowError, MIGRATIONS, migrate, PostgresStore } from '../src/index.js';
import { queriesFor, textArray } from '../src/queries.js';
import { DATABASE_URL, freshSchema, pgliteDatabase, serverDatabase, type TestDatabase } from './databases.js';
import { rawLead as lead, T0, rawCommit as unit } from './raw-commits.js';

function contactKeys(name: string, open: () => TestDatabase) {
  describe(`contact keys on ${name}`, () => {
    const database = open();
    afterAll(() => database.close());
    const withSchema = async (test: (schema: string) => Promise<void>) => {
      const schema = freshSchema();
      try {
        await test(schema);
      } finally {
        await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    };

    it('turns the dedupe keys of a schema at migration 1 into email keys, held since the lead was last updated', () =>
      withSchema(async (schema) => {
        await migrate(database.db, { schema, migrations: MIGRATIONS.filter((migration) => migration.id === 1) });
        for (const [leadId, key, updatedAt] of [
          ['newer', 'ada@example.com', T0 + 1000],
          ['older', 'ada@example.com', T0],
          ['none', null, T0],
        ] as const) {
          await database.db.query(
            `INSERT INTO "${schema}".leads (tenant_id, lead_id, version, event_count, state, open, overdue, dedupe_key, snapshot, updated_at)
             VALUES ('acme', $1, 1, 1, 'assigned', true, false, $2, '{}'::jsonb, $3)`,
            [leadId, key, updatedAt],
          );
        }
        expect(await migrate(database.db, { schema, migrations: MIGRATIONS.filter((migration) => migration.id <= 2) })).toEqual({ applied: [2], version: 2 });
        const store = new PostgresStore({ db: database.db, schema });
        expect((await store.findByContactKeys('acme', ['email:ada@example.com']))?.leadId).toBe('older');
        expect((await store.load('acme', 'newer'))?.contactKeys).toEqual(['email:ada@example.com']);
        expect((await store.load('acme', 'none'))?.contactKeys).toBeUndefined();
        // The upgraded commit_units() writes keys, and clears them for a terminal lead.
        await store.commit(unit(lead('older', { version: 2, state: 'converted', open: false, updatedAt: T0 + 2000 })));
        expect((await store.findByContactKeys('acme', ['email:ada@example.com']))?.leadId).toBe('newer');
      }));

    it('finds leads by contact key through the GIN index', () =>
      withSchema(async (schema) => {
        await migrate(database.db, { schema });
        const store = new PostgresStore({ db: database.db, schema });
        // Rows written straight to the table: the plan is the point here, not the commits.
        await database.db.query(
          `INSERT INTO "${schema}".leads (tenant_id, lead_id, version, event_count, state, open, overdue, contact_keys, contact_keys_since, snapshot, updated_at)
           SELECT 'acme', 'l' || n, 1, 1, 'assigned', true, false, ARRAY['email:p' || n || '@example.com', 'phone:+4930' || (100000 + n)], n, '{}'::jsonb, n
           FROM generate_series(1, 2000) AS n`,
        );
        await database.db.query(`ANALYZE "${schema}".leads`);
        const { rows } = await database.db.query(`EXPLAIN ${queriesFor(`"${schema}"`).findByContactKeys}`, ['acme', textArray(['phone:+4930100017'])]);
        const plan = rows.map((row) => String(row['QUERY PLAN'])).join('\n');
        expect(plan).toContain('leads_by_contact_key');
        expect((await store.findByContactKeys('acme', ['email:nobody@example.com', 'phone:+4930100017']))?.leadId).toBe('l17');
      }));

    it('refuses contact keys and touches it cannot store, and writes nothing', () =>
      withSchema(async (schema) => {
        await migrate(database.db, { schema });
        const store = new PostgresStore({ db: database.db, schema });
        const refusals: [string, CommitUnit][] = [
          ['lead.contactKeys', unit(lead('l1', { contactKeys: ['email:a@example.com', ''] }))],
          ['contactTouches.0.channel', unit(lead('l1'), { contactTouches: [{ keys: ['email:a@example.com'], channel: 'fax' as never, at: T0 }] })],
          ['contactTouches.0.at', unit(lead('l1'), { contactTouches: [{ keys: ['email:a@example.com'], channel: 'call', at: Number.NaN }] })],
          ['contactTouches.0.keys', unit(lead('l1'), { contactTouches: [{ keys: [42 as never], channel: 'call', at: T0 }] })],
        ];
        for (const [path, refused] of refusals) {
          const error = await store.commit(refused).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).problems.map((problem) => problem.path.join('.'))).toContainEqual(path);
        }
        expect(await store.load('acme', 'l1')).toBeUndefined();
        expect(await store.lastContactTouches('acme', ['email:a@example.com'])).toEqual({});
      }));

    it('refuses a contact touch row with an unknown channel when read, naming it', () =>
      withSchema(async (schema) => {
        await migrate(database.db, { schema });
        const store = new PostgresStore({ db: database.db, schema });
        await database.db.query(
          `INSERT INTO "${schema}".contact_touches (tenant_id, contact_key, channel, last_at) VALUES ('acme', 'email:a@example.com', 'fax', $1)`,
          [T0],
        );
        const error = await Promise.resolve(store.lastContactTouches('acme', ['email:a@example.com'])).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(MalformedRowError);
        expect((error as Error).message).toMatch(/contact_touches .* channel "fax": column channel must be one of call, email/);
      }));
  });
}

contactKeys('PGlite', pgliteDatabase);
if (DATABASE_URL) {
  const url = DATABASE_URL;
  contactKeys('a PostgreSQL server', () => serverDatabase(url));
}
