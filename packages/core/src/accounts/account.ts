/**
 * An existing account (a customer or a prospect company the CRM already knows), found at intake by the
 * lead's email domain, so that its owner gets the lead instead of a stranger.
 *
 * @module
 */
import { z } from 'zod';

/**
 * zod schema of an account.
 *
 * @example
 * ```ts
 * import { accountSchema } from '@leadline/core';
 *
 * accountSchema.parse({ id: 'acc-1', domain: 'acme.com', name: 'ACME', owner: 'ann', customer: true });
 * ```
 */
export const accountSchema = z.strictObject({
  id: z.string().trim().min(1).max(200),
  /** The company's email domain, lower case. */
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain such as acme.com'),
  name: z.string().min(1).max(200).optional(),
  owner: z.string().min(1).max(200).optional(),
  customer: z.boolean().default(false),
});

/** An account as written by the caller. */
export type AccountInput = z.input<typeof accountSchema>;
/** An account after validation. */
export type Account = z.output<typeof accountSchema>;

/** Webmail domains: a lead from one says nothing about the company. */
const PERSONAL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.ru',
  'yandex.ru',
  'qq.com',
  '163.com',
]);

/**
 * The company domain of an email, or `undefined` for personal webmail addresses.
 *
 * @example
 * ```ts
 * import { companyDomainOf } from '@leadline/core';
 *
 * companyDomainOf('Ada@ACME.com'); // 'acme.com'
 * companyDomainOf('ada@gmail.com'); // undefined
 * ```
 */
export function companyDomainOf(email: string | undefined): string | undefined {
  const domain = email?.split('@')[1]?.trim().toLowerCase();
  return domain && !PERSONAL_DOMAINS.has(domain) ? domain : undefined;
}
