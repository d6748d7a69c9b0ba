/**
 * The signature scheme shared by the sender and {@link verifyWebhook}: an HMAC-SHA256, keyed with the
 * shared secret, over `"<unix seconds>.<raw body>"`, sent as `x-leadline-signature: t=<seconds>,v1=<hex>`.
 * The timestamp is inside the signed text, so a captured request cannot be replayed later with a fresh
 * time.
 *
 * @module
 */
import { createHmac } from 'node:crypto';

/**
 * The header that carries the signature.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { SIGNATURE_HEADER } from '@leadline/webhook';
 *
 * declare const request: IncomingMessage; // a request to your webhook endpoint
 * const header = request.headers[SIGNATURE_HEADER];
 * ```
 */
export const SIGNATURE_HEADER = 'x-leadline-signature';

/**
 * The header that carries the notification's idempotency key, the same on every retry and redelivery.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { IDEMPOTENCY_KEY_HEADER } from '@leadline/webhook';
 *
 * declare const request: IncomingMessage; // a request to your webhook endpoint
 * const key = request.headers[IDEMPOTENCY_KEY_HEADER];
 * ```
 */
export const IDEMPOTENCY_KEY_HEADER = 'x-leadline-idempotency-key';

/**
 * What {@link signWebhook} signs.
 *
 * @example
 * ```ts
 * import type { SignWebhookInput } from '@leadline/webhook';
 *
 * const input: SignWebhookInput = { secret: 'whsec_1', body: '{"kind":"sla.breached"}', timestamp: 1_772_442_000 };
 * ```
 */
export interface SignWebhookInput {
  secret: string;
  /** The exact body that goes on the wire. */
  body: string | Uint8Array;
  /** Unix time in seconds. */
  timestamp: number;
}

/**
 * Makes the value of the `x-leadline-signature` header. Senders other than `webhookNotifier` (or a
 * receiver's own tests) can use it to produce requests that `verifyWebhook` accepts.
 *
 * @example
 * ```ts
 * import { signWebhook } from '@leadline/webhook';
 *
 * const body = JSON.stringify({ idempotencyKey: 'lead-7:e4:0:webhook' });
 * const header = signWebhook({ secret: 'whsec_1', body, timestamp: Math.floor(Date.now() / 1000) });
 * // 't=1772442000,v1=5f2b...'
 * ```
 */
export function signWebhook(input: SignWebhookInput): string {
  return `t=${input.timestamp},v1=${signatureOf(input.secret, input.timestamp, input.body)}`;
}

/**
 * The hex HMAC-SHA256 of `"<timestamp>.<body>"`, the body taken as UTF-8 when it is a string.
 *
 * @example
 * ```ts
 * import { signatureOf } from './signature.js';
 *
 * signatureOf('whsec_1', 1_772_442_000, '{}'); // 64 hex characters
 * ```
 */
export function signatureOf(secret: string, timestamp: number, body: string | Uint8Array): string {
  // Two updates instead of one concatenated string: a receiver holding the raw bytes (a Buffer) gets
  // exactly the HMAC of what arrived, with no round trip through a decoder.
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8');
  if (typeof body === 'string') hmac.update(body, 'utf8');
  else hmac.update(body);
  return hmac.digest('hex');
}
