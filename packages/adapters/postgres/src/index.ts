/**
 * `@leadline/postgres`: Leadline's `LeadStore` on PostgreSQL, through a node-postgres pool or PGlite,
 * with its migrations. Several worker processes may share one database.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { fromPool, migrate, PostgresStore } from '@leadline/postgres';
 *
 * const db = fromPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(db);
 * const store = new PostgresStore({ db });
 * ```
 *
 * @module
 */

/** Raised by this store and by the engine for a row that is not what the store writes; defined in core. */
export { MalformedRowError } from '@leadline/core/adapter-kit';
export type { Database, SqlClient, SqlRow } from './database.js';
export { fromPGlite, type PGliteLike } from './from-pglite.js';
export { fromPool, type PoolClientLike, type PoolLike } from './from-pool.js';
export { type MigrateOptions, type MigrateResult, migrate } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { DEFAULT_SCHEMA, quoteSchema } from './schema-name.js';
