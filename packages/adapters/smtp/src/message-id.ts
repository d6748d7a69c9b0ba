/**
 * The Message-ID of a notification email, derived from the idempotency key: every retry and every
 * redelivery after a crash carries the same Message-ID, so mail servers and clients that dedupe by it
 * show the email once.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** A domain made only of the characters a Message-ID's right-hand side may hold without quoting. */
const PLAIN_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/**
 * `<leadline.<32 hex>@<domain>>`: a hash of the key on the left, because keys such as
 * `lead-7:e4:0:email` hold characters a Message-ID may not; the sender's domain on the right, as RFC 5322
 * recommends, or `leadline.invalid` when none can be read.
 *
 * @example
 * ```ts
 * import { messageIdOf } from '@leadline/smtp';
 *
 * messageIdOf('lead-7:e4:0:email', 'Leadline <alerts@example.com>'); // '<leadline.3f9a...@example.com>'
 * ```
 */
export function messageIdOf(idempotencyKey: string, from: string | { address: string }): string {
  const hash = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `<leadline.${hash}@${domainOf(from)}>`;
}

function domainOf(from: string | { address: string }): string {
  const text = typeof from === 'string' ? from : from.address;
  // `Name <user@domain>` or a bare `user@domain`.
  const address = /<([^<>]*)>\s*$/.exec(text)?.[1] ?? text;
  const domain = address.slice(address.lastIndexOf('@') + 1).trim();
  return address.includes('@') && PLAIN_DOMAIN.test(domain) ? domain.toLowerCase() : 'leadline.invalid';
}
