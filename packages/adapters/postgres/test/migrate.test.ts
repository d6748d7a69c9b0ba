import { ConfigError, LeadlineError } from '@leadline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, PostgresStore } from '../src/index.js';
import { DATABASE_URL, freshSchema, NEEDS_SERVER, pgliteDatabase, serverDatabase, type TestDatabase } from './databases.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');

function migrations(name: string, open: () => TestDatabase) {
  describe(`migrate() on ${name}`, () => {
    const database = open();
    afterAll(() => database.close());

    it('creates the schema on the first run; a second run is a no-op that keeps the data', async () => {
      const schema = freshSchema();
      try {
        const first = await migrate(database.db, { schema });
        expect(first).toEqual({ applied: MIGRATIONS.map((migration) => migration.id), version: MIGRATIONS.length });
        const store = new PostgresStore({ db: database.db, schema });
        await store.commit({
          lead: { tenantId: 'acme', leadId: 'l1', version: 1, eventCount: 1, state: 'new', open: true, overdue: false, snapshot: { value: {} }, updatedAt: T0 },
          expectedVersion: 0,
          timers: { upsert: [], cancel: [] },
          firedTimers: [],
          outbox: [],
          history: [],
          eventIds: ['form-1'],
        });

        const second = await migrate(database.db, { schema });
        expect(second).toEqual({ applied: [], version: MIGRATIONS.length });
        const { rows } = await database.db.query(`SELECT id FROM "${schema}".schema_migrations ORDER BY id`);
        expect(rows.map((row) => Number(row.id))).toEqual(MIGRATIONS.map((migration) => migration.id));
        expect(await store.load('acme', 'l1')).toMatchObject({ version: 1 });
      } finally {
        await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });

    it('refuses a schema migrated by a newer version of the package, and changes nothing', async () => {
      const schema = freshSchema();
      try {
        await migrate(database.db, { schema });
        await database.db.query(`INSERT INTO "${schema}".schema_migrations (id, name) VALUES (999, 'from the future')`);
        const refused = await migrate(database.db, { schema }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(LeadlineError);
        expect(refused).toMatchObject({ code: 'schema_too_new' });
        expect((refused as Error).message).toContain(`migration 999, newer than this version of @leadline/postgres knows (${MIGRATIONS.length})`);
      } finally {
        await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });

    it('refuses a schema name that is not a plain identifier before sending anything', async () => {
      for (const schema of ['Leadline', 'lead-line', 'x"; DROP SCHEMA public; --', '', 'a'.repeat(64)]) {
        await expect(migrate(database.db, { schema })).rejects.toBeInstanceOf(ConfigError);
        expect(() => new PostgresStore({ db: database.db, schema })).toThrow(ConfigError);
      }
    });
  });
}

migrations('PGlite', pgliteDatabase);

if (DATABASE_URL) {
  const url = DATABASE_URL;
  migrations('a PostgreSQL server', () => serverDatabase(url));

  describe('migrate() from several processes at once', () => {
    const database = serverDatabase(url, 6);
    afterAll(() => database.close());

    it('applies each migration once while the others wait on the advisory lock', async () => {
      const schema = freshSchema();
      try {
        const runs = await Promise.all(Array.from({ length: 6 }, () => migrate(database.db, { schema })));
        expect(runs.flatMap((run) => run.applied)).toEqual(MIGRATIONS.map((migration) => migration.id));
        expect(new Set(runs.map((run) => run.version))).toEqual(new Set([MIGRATIONS.length]));
      } finally {
        await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    });
  });
} else {
  describe.skip(`migrate() on a PostgreSQL server (${NEEDS_SERVER})`, () => {
    it('is a no-op the second time, and takes turns between processes', () => {});
  });
}
