/**
 * The little the store needs from a PostgreSQL driver: run one parameterised statement, and run work
 * in a transaction. A node-postgres `Pool` (through `fromPool`) and PGlite (through `fromPGlite`) both
 * fit, and so does any driver an application wraps in a few lines.
 *
 * @module
 */

/**
 * One row as the driver returns it: column name to value.
 *
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 *
 * const row: SqlRow = { lead_id: 'l1', version: 3 };
 * ```
 */
export type SqlRow = Record<string, unknown>;

/**
 * Runs one statement with positional parameters (`$1`, `$2`, ...). Values are never spliced into the
 * text.
 *
 * @example
 * ```ts
 * import type { SqlClient } from '@leadline/postgres';
 *
 * declare const client: SqlClient;
 * const { rows } = await client.query('SELECT version FROM leadline.leads WHERE tenant_id = $1 AND lead_id = $2', ['acme', 'l1']);
 * ```
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }>;
}

/**
 * A database: statements on their own (each its own transaction), or several in one transaction.
 *
 * @example
 * ```ts
 * import { type Database, fromPool } from '@leadline/postgres';
 * import pg from 'pg';
 *
 * const db: Database = fromPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await db.transaction(async (tx) => {
 *   await tx.query('SELECT pg_advisory_xact_lock($1)', [42]);
 * });
 * ```
 */
export interface Database extends SqlClient {
  /** Runs `work` between BEGIN and COMMIT on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}
