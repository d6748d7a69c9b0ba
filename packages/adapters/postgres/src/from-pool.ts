/**
 * `fromPool`: a node-postgres `Pool` as a {@link Database}. Typed by shape, so this package never
 * imports `pg`: the application brings the driver (and its version).
 *
 * @module
 */
import type { Database, SqlClient, SqlRow } from './database.js';

/**
 * A pooled connection, as node-postgres' `PoolClient` has it.
 *
 * @example
 * ```ts
 * import type { PoolClientLike } from '@leadline/postgres';
 * import pg from 'pg';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const client: PoolClientLike = await pool.connect();
 * ```
 */
export interface PoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }>;
  /** Returns the connection to the pool; `true` or an error destroys it instead. */
  release(destroy?: boolean | Error): void;
}

/**
 * What the store uses of node-postgres' `Pool`.
 *
 * @example
 * ```ts
 * import type { PoolLike } from '@leadline/postgres';
 * import pg from 'pg';
 * const pool: PoolLike = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: SqlRow[] }>;
  connect(): Promise<PoolClientLike>;
}

/**
 * Wraps a node-postgres pool. Single statements go through `pool.query`; a transaction checks out one
 * connection for BEGIN, the work and COMMIT (or ROLLBACK).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { fromPool, migrate, PostgresStore } from '@leadline/postgres';
 *
 * const db = fromPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(db, { schema: 'leadline' });
 * const store = new PostgresStore({ db, schema: 'leadline' });
 * ```
 */
export function fromPool(pool: PoolLike): Database {
  return {
    query: (text, params) => pool.query(text, params),
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const tx: SqlClient = { query: (text, params) => client.query(text, params) };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          // A connection that cannot roll back is in an unknown state: destroy it, not reuse it.
          client.release(rollbackError instanceof Error ? rollbackError : true);
        }
        throw error;
      }
    },
  };
}
