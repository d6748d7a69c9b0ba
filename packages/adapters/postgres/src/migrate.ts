/**
 * `migrate()`: brings a schema up to the package's latest migration. Safe to run at every start of
 * every process: concurrent runs queue on an advisory lock, and a run with nothing to do changes nothing.
 *
 * @module
 */
import { LeadlineError } from '@leadline/core/adapter-kit';
import type { Database } from './database.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema-name.js';

/**
 * What {@link migrate} did.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { fromPGlite, migrate } from '@leadline/postgres';
 *
 * const db = fromPGlite(new PGlite());
 * const { applied } = await migrate(db); // [1] the first time, [] after that
 * ```
 */
export interface MigrateResult {
  /** Ids of the migrations applied by this run, in order. */
  applied: number[];
  /** The schema's migration after this run. */
  version: number;
}

/**
 * Options of {@link migrate}.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { fromPGlite, migrate } from '@leadline/postgres';
 *
 * await migrate(fromPGlite(new PGlite()), { schema: 'crm_leads' });
 * ```
 */
export interface MigrateOptions {
  /** The schema to create and migrate (default `leadline`): lower-case letters, digits and `_`. */
  schema?: string;
  /** The migrations to apply; the package's own by default (tests and tools may pass others). */
  migrations?: readonly Migration[];
}

/**
 * Creates the schema if needed and applies the migrations it has not seen, in order, in one
 * transaction under a PostgreSQL advisory lock taken for that schema. Running it twice is a no-op.
 *
 * @throws ConfigError for an invalid schema name.
 * @throws LeadlineError (`schema_too_new`) when the schema was migrated by a newer version of this package.
 * @example
 * ```ts
 * import pg from 'pg';
 * import { fromPool, migrate } from '@leadline/postgres';
 *
 * const db = fromPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * const { applied, version } = await migrate(db, { schema: 'leadline' });
 * ```
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const s = quoteSchema(schema);
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.id - b.id);
  const latest = migrations[migrations.length - 1]?.id ?? 0;
  return db.transaction(async (tx) => {
    // Every process runs migrate() at start; the lock makes them take turns, and the later ones find
    // nothing left to do. Taken before CREATE SCHEMA, which is not safe to race.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`leadline.migrate:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query(`SELECT id FROM ${s}.schema_migrations ORDER BY id`);
    const seen = new Set(rows.map((row) => Number(row.id)));
    const newest = Math.max(0, ...seen);
    if (newest > latest) {
      throw new LeadlineError(
        'schema_too_new',
        `Schema "${schema}" is at migration ${newest}, newer than this version of @leadline/postgres knows (${latest}); upgrade the package`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (seen.has(migration.id)) continue;
      for (const statement of migration.statements(s)) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.schema_migrations (id, name) VALUES ($1, $2)`, [migration.id, migration.name]);
      applied.push(migration.id);
    }
    return { applied, version: Math.max(newest, ...applied) };
  });
}
