/**
 * The PostgreSQL schema that holds Leadline's tables. Its name is the one piece of SQL text that
 * cannot be a parameter, so it is checked against a strict pattern before it is ever quoted into a
 * statement.
 *
 * @module
 */
import { ConfigError } from '@leadline/core/adapter-kit';

/**
 * The schema used when none is given.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { DEFAULT_SCHEMA, fromPGlite, migrate } from '@leadline/postgres';
 *
 * await migrate(fromPGlite(new PGlite()), { schema: DEFAULT_SCHEMA });
 * ```
 */
export const DEFAULT_SCHEMA = 'leadline';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates longer identifiers silently, which would make two names one schema. */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * Checks a schema name and returns it quoted for SQL text.
 *
 * @throws ConfigError when the name is not lower-case letters, digits and `_`, or is too long.
 * @example
 * ```ts
 * import { quoteSchema } from '@leadline/postgres';
 *
 * quoteSchema('leadline_test_7f3a'); // '"leadline_test_7f3a"'
 * quoteSchema('Robert"; DROP'); // throws ConfigError
 * ```
 */
export function quoteSchema(schema: string): string {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema) || schema.length > MAX_IDENTIFIER_LENGTH) {
    throw new ConfigError('PostgreSQL schema name', [
      {
        path: ['schema'],
        message: `must match ${SCHEMA_NAME} and be at most ${MAX_IDENTIFIER_LENGTH} characters, got ${JSON.stringify(schema)}`,
        code: 'invalid_schema_name',
      },
    ]);
  }
  return `"${schema}"`;
}
