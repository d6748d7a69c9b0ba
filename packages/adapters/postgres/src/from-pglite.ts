/**
 * `fromPGlite`: PGlite (PostgreSQL compiled to WebAssembly, in this process) as a {@link Database}:
 * the embedded option, with no server to run. Typed by shape, so this package never imports PGlite.
 *
 * @module
 */
import type { Database, SqlClient, SqlRow } from './database.js';

/**
 * What the store uses of a `PGlite` instance.
 *
 * @example
 * ```ts
 * import type { PGliteLike } from '@leadline/postgres';
 * import { PGlite } from '@electric-sql/pglite';
 * const pglite: PGliteLike = new PGlite();
 * ```
 */
export interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }>;
  transaction<T>(work: (tx: { query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }> }) => Promise<T>): Promise<T>;
}

/**
 * Wraps a PGlite database. PGlite runs one statement at a time and its `transaction` holds the
 * database for the whole callback, so a transaction here is PGlite's own.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { fromPGlite, migrate, PostgresStore } from '@leadline/postgres';
 *
 * const db = fromPGlite(new PGlite('./leads-data')); // or new PGlite() for memory only
 * await migrate(db);
 * const store = new PostgresStore({ db });
 * ```
 */
export function fromPGlite(pglite: PGliteLike): Database {
  return {
    query: (text, params) => pglite.query(text, params),
    transaction: <T>(work: (tx: SqlClient) => Promise<T>) => pglite.transaction((tx) => work({ query: (text, params) => tx.query(text, params) })),
  };
}
