/**
 * Where the tests get their databases: PGlite in this process always, and the PostgreSQL server named
 * by DATABASE_URL when it is set. Every test works in a schema of its own, dropped afterwards, so runs
 * never collide (not even two CI runs on one server).
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, fromPGlite, fromPool, migrate, PostgresStore } from '../src/index.js';

/** The server to test against, if any. */
export const DATABASE_URL = process.env.DATABASE_URL;

/** The name tests that need a server get when there is none, so the skip says how to run them. */
export const NEEDS_SERVER = 'set DATABASE_URL to run against a PostgreSQL server';

/** A schema name no other test or run uses. */
export function freshSchema(): string {
  return `leadline_test_${randomBytes(6).toString('hex')}`;
}

/** A database and a way to give each test a migrated schema of its own. */
export interface TestDatabase {
  db: Database;
  /** A fresh, migrated store in a schema of its own. */
  createStore(): Promise<PostgresStore>;
  /** Drops the store's schema. */
  dropStore(store: PostgresStore): Promise<void>;
  close(): Promise<void>;
}

function withSchemas(db: Database, close: () => Promise<void>): TestDatabase {
  return {
    db,
    async createStore() {
      const schema = freshSchema();
      await migrate(db, { schema });
      return new PostgresStore({ db, schema });
    },
    async dropStore(store) {
      await db.query(`DROP SCHEMA IF EXISTS "${store.schema}" CASCADE`);
    },
    close,
  };
}

/** PGlite in memory: starting one costs about 2-3 s, so a test file shares one and separates tests by schema. */
export function pgliteDatabase(): TestDatabase {
  const pglite = new PGlite();
  return withSchemas(fromPGlite(pglite), () => pglite.close());
}

/** The server at DATABASE_URL, through a node-postgres pool. */
export function serverDatabase(url: string, max = 8): TestDatabase & { pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  return { ...withSchemas(fromPool(pool), () => pool.end()), pool };
}

/** PGlite always, and the server when DATABASE_URL names one: the databases a `describe.each` runs on. */
export function testDatabases(): [string, () => TestDatabase][] {
  const url = DATABASE_URL;
  const databases: [string, () => TestDatabase][] = [['PGlite', pgliteDatabase]];
  if (url) databases.push(['the server', () => serverDatabase(url)]);
  return databases;
}
