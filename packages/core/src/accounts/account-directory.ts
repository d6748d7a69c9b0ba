/**
 * The `AccountDirectory` port: looks up existing accounts (customers, known companies) by domain at
 * intake.
 *
 * @module
 */
import type { MaybePromise } from '../store/lead-store.js';
import type { Account } from './account.js';

/**
 * Where the engine finds existing accounts.
 *
 * @example
 * ```ts
 * import { createEngine, MemoryAccountDirectory } from '@leadline/core';
 *
 * const engine = createEngine({ accounts: new MemoryAccountDirectory({ default: [{ id: 'acc-1', domain: 'acme.com', owner: 'ann', customer: true }] }) });
 * ```
 */
export interface AccountDirectory {
  /** The account with this company domain, if any. */
  findByDomain(tenantId: string, domain: string): MaybePromise<Account | undefined>;
}
