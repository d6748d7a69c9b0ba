/**
 * `MemoryAccountDirectory`: the in-memory `AccountDirectory`, validated at construction.
 *
 * @module
 */
import { z } from 'zod';
import { parseInput } from '../validation.js';
import { type Account, type AccountInput, accountSchema } from './account.js';
import type { AccountDirectory } from './account-directory.js';

const accountsSchema = z.record(z.string().min(1), z.array(accountSchema));

/**
 * Accounts per tenant, in memory, indexed by domain.
 *
 * @throws ValidationError when an account is invalid.
 * @example
 * ```ts
 * import { MemoryAccountDirectory } from '@leadline/core';
 *
 * const accounts = new MemoryAccountDirectory({ default: [{ id: 'acc-1', domain: 'acme.com', owner: 'ann', customer: true }] });
 * ```
 */
export class MemoryAccountDirectory implements AccountDirectory {
  private readonly byDomain = new Map<string, Map<string, Account>>();

  constructor(accounts: Record<string, AccountInput[]> = {}) {
    for (const [tenantId, list] of Object.entries(parseInput(accountsSchema, accounts, 'account directory'))) {
      this.byDomain.set(tenantId, new Map(list.map((account) => [account.domain, account])));
    }
  }

  findByDomain(tenantId: string, domain: string): Account | undefined {
    return this.byDomain.get(tenantId)?.get(domain.toLowerCase());
  }
}
