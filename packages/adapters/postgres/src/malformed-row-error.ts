/**
 * `MalformedRowError`: a row read from the database is not what the store writes (edited by hand, or
 * written by another program), so the store refuses to hand it to the engine rather than guess.
 *
 * @module
 */
import { LeadlineError } from '@leadline/core/adapter-kit';

/**
 * A stored row failed the store's checks when read. Nothing is written in response; the message names
 * the table, the tenant, the row's key and what is wrong, so that someone can repair it.
 *
 * @example
 * ```ts
 * import { MalformedRowError, type PostgresStore } from '@leadline/postgres';
 *
 * declare const store: PostgresStore;
 * try {
 *   await store.load('acme', 'lead-7');
 * } catch (error) {
 *   if (error instanceof MalformedRowError) console.error(error.table, error.key, error.problem);
 * }
 * ```
 */
export class MalformedRowError extends LeadlineError {
  /** The table the row came from, e.g. `leads`. */
  readonly table: string;
  readonly tenantId: string;
  /** The row's key within the tenant, e.g. the lead id. */
  readonly key: string;
  /** What is wrong with it. */
  readonly problem: string;

  constructor(table: string, tenantId: string, key: string, problem: string) {
    super('malformed_row', `Malformed row in ${table} for tenant "${tenantId}", ${key}: ${problem}`);
    this.table = table;
    this.tenantId = tenantId;
    this.key = key;
    this.problem = problem;
  }
}
