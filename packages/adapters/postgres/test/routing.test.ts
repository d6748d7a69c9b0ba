// Routed commits on PostgreSQL (migration 3): engines that route at once over one schema, each through
// its own PostgresStore, never pile leads on one rep, because commit_units() checks the chosen rep's
// open leads under a per-owner advisory lock, with the write.
import { type CommitUnit, createEngine, leastLoadedRouting } from '@leadline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, PostgresStore } from '../src/index.js';
import { DATABASE_URL, freshSchema, NEEDS_SERVER, pgliteDatabase, serverDatabase, type TestDatabase } from './databases.js';
import { rawCommit, rawLead } from './raw-commits.js';

const LEADS = 20;

/** Open leads per owner, counted in the table itself: not through the adapter, nor owner_loads. */
async function openPerOwner(database: TestDatabase, schema: string): Promise<Record<string, number>> {
  const { rows } = await database.db.query(
    `SELECT owner, count(*)::integer AS n FROM "${schema}".leads WHERE tenant_id = 'default' AND open GROUP BY owner ORDER BY owner`,
  );
  return Object.fromEntries(rows.map((row) => [String(row.owner), Number(row.n)]));
}

function routedUnit(leadId: string, owner: string, openBefore: number): CommitUnit {
  return rawCommit(rawLead(leadId, { tenantId: 'default', owner }), { eventIds: [`intake:${leadId}`], routedTo: { owner, openBefore } });
}

/**
 * `second` opens a second store on the schema: over the same database for PGlite (one connection in this
 * process), over a pool of its own for a server (what another process would have).
 */
function routing(name: string, open: () => TestDatabase, second: (database: TestDatabase) => TestDatabase) {
  describe(`routed commits on ${name}`, () => {
    const database = open();
    const other = second(database);
    afterAll(async () => {
      if (other !== database) await other.close();
      await database.close();
    });
    const withSchema = async (test: (schema: string) => Promise<void>, upTo?: number) => {
      const schema = freshSchema();
      try {
        await migrate(database.db, { schema, migrations: MIGRATIONS.filter((migration) => upTo === undefined || migration.id <= upTo) });
        await test(schema);
      } finally {
        await database.db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    };

    it(`two engines over two stores split ${LEADS} concurrent captures 10:10 between two reps`, () =>
      withSchema(async (schema) => {
        const policies = { routing: leastLoadedRouting({ reps: ['ann', 'bob'] }) };
        const engines = [
          createEngine({ store: new PostgresStore({ db: database.db, schema }), policies }),
          createEngine({ store: new PostgresStore({ db: other.db, schema }), policies }),
        ];
        const results = await Promise.all(
          Array.from({ length: LEADS }, (_, index) =>
            (engines[index % 2] as (typeof engines)[number]).capture({ id: `form-${index}`, at: Date.now(), source: 'web', contact: {} }),
          ),
        );
        expect(results.map((result) => result.outcome)).toEqual(results.map(() => 'created'));
        expect(await openPerOwner(database, schema)).toEqual({ ann: LEADS / 2, bob: LEADS / 2 });
      }));

    it('two engines capturing one lead each at the same moment, ten times: after every round both reps hold as many', () =>
      withSchema(async (schema) => {
        // Both engines read the same loads before either commits, and so choose the same rep: only the
        // store's check at commit sends the second one elsewhere. Each engine alone cannot see it (the
        // 20-capture test above splits 10:10 even without the check, by each engine's own in-flight count).
        const policies = { routing: leastLoadedRouting({ reps: ['ann', 'bob'] }) };
        const engines = [
          createEngine({ store: new PostgresStore({ db: database.db, schema }), policies }),
          createEngine({ store: new PostgresStore({ db: other.db, schema }), policies }),
        ];
        for (let round = 1; round <= LEADS / 2; round++) {
          await Promise.all(engines.map((engine, index) => engine.capture({ id: `form-${round}-${index}`, at: Date.now(), source: 'web', contact: {} })));
          expect(await openPerOwner(database, schema)).toEqual({ ann: round, bob: round });
        }
      }));

    it('eight stores committing a lead each to ann at 0 open leads, all at once: one is written, seven refused', () =>
      withSchema(async (schema) => {
        // Eight calls of commit_units() in flight together on a server: the per-owner advisory lock
        // makes them count one after another.
        const stores = Array.from({ length: 8 }, (_, index) => new PostgresStore({ db: (index % 2 === 0 ? database : other).db, schema }));
        const outcomes = await Promise.allSettled(stores.map((store, index) => store.commit(routedUnit(`l${index}`, 'ann', 0))));
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'assignment_conflict', owner: 'ann' });
        }
        expect(await openPerOwner(database, schema)).toEqual({ ann: 1 });
      }));

    it('commits of one call routed to one rep are checked in turn: the second is refused, the others written', () =>
      withSchema(async (schema) => {
        // One store, units submitted in the same turn: they leave together in one commit_units() call.
        const store = new PostgresStore({ db: database.db, schema });
        const outcomes = await Promise.allSettled([
          store.commit(routedUnit('a', 'ann', 0)),
          store.commit(routedUnit('b', 'ann', 0)),
          store.commit(routedUnit('c', 'bob', 0)),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'assignment_conflict', leadId: 'b', owner: 'ann' });
        expect(await store.load('default', 'b')).toBeUndefined();
        expect(await store.eventLead('default', 'intake:b')).toBeUndefined();
        expect(await openPerOwner(database, schema)).toEqual({ ann: 1, bob: 1 });
      }));

    it('upgrades a schema at migration 2 with leads in it: the replaced commit_units() counts the owners they hold', () =>
      withSchema(async (schema) => {
        const store = new PostgresStore({ db: database.db, schema });
        // commit_units() of migration 2 does not know routedTo: it writes the unit, whoever holds what.
        await store.commit(routedUnit('a', 'ann', 0));
        await store.commit(routedUnit('b', 'ann', 0));
        expect(await migrate(database.db, { schema, migrations: MIGRATIONS.filter((migration) => migration.id <= 3) })).toEqual({ applied: [3], version: 3 });
        await expect(store.commit(routedUnit('c', 'ann', 1))).rejects.toMatchObject({ code: 'assignment_conflict', leadId: 'c', owner: 'ann' });
        await store.commit(routedUnit('c', 'ann', 2));
        expect(await openPerOwner(database, schema)).toEqual({ ann: 3 });
      }, 2));

    it('a routed commit with a routedTo it cannot check is a ValidationError, and writes nothing', () =>
      withSchema(async (schema) => {
        const store = new PostgresStore({ db: database.db, schema });
        for (const [path, routedTo] of [
          ['routedTo.owner', { owner: '', openBefore: 0 }],
          ['routedTo.openBefore', { owner: 'ann', openBefore: -1 }],
          ['routedTo.openBefore', { owner: 'ann', openBefore: 0.5 }],
        ] as const) {
          const error = await store.commit({ ...routedUnit('a', 'ann', 0), routedTo }).catch((caught: unknown) => caught);
          expect(error).toMatchObject({ code: 'validation_failed' });
          expect((error as { problems: { path: (string | number)[] }[] }).problems.map((problem) => problem.path.join('.'))).toContainEqual(path);
        }
        expect(await store.load('default', 'a')).toBeUndefined();
      }));
  });
}

routing('PGlite', pgliteDatabase, (database) => database);

if (DATABASE_URL) {
  const url = DATABASE_URL;
  routing(
    'a PostgreSQL server',
    () => serverDatabase(url),
    () => serverDatabase(url, 4),
  );
} else {
  describe.skip(`routed commits on a PostgreSQL server (${NEEDS_SERVER})`, () => {
    it(`two engines over two pools split ${LEADS} concurrent captures 10:10`, () => {});
  });
}
