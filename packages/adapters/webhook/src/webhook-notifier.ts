/**
 * `webhookNotifier()`: delivers each notification as a signed JSON POST to the embedding application's
 * endpoint, so any system can react to an SLA breach or an assignment.
 *
 * @module
 */
import { ConfigError, type DeliveryResult, type Notification, type Notifier, type Problem } from '@leadline/core/adapter-kit';
import { isHttpUrl, postForDelivery } from './http-delivery.js';
import { IDEMPOTENCY_KEY_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.js';

/**
 * How to reach the receiver.
 *
 * @example
 * ```ts
 * import type { WebhookNotifierOptions } from '@leadline/webhook';
 *
 * const options: WebhookNotifierOptions = { url: 'https://crm.example.com/hooks/leadline', secret: process.env.LEADLINE_WEBHOOK_SECRET ?? '' };
 * ```
 */
export interface WebhookNotifierOptions {
  /** The receiver's endpoint (http or https). */
  url: string;
  /** The shared secret the receiver verifies with `verifyWebhook`. */
  secret: string;
  /** How long to wait for the answer, body included, before giving up and asking for a retry. Default 10 000. */
  timeoutMs?: number;
  /** Extra headers (an API key, a tenant id). They cannot replace the content type, the key or the signature. */
  headers?: Record<string, string>;
  /** The fetch to use; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

const RESERVED_HEADERS = new Set(['content-type', IDEMPOTENCY_KEY_HEADER, SIGNATURE_HEADER]);

/**
 * The JSON body of a webhook: the notification without its channel and rendered HTML.
 *
 * @example
 * ```ts
 * import type { WebhookPayload } from '@leadline/webhook';
 *
 * declare const rawBody: string; // the request's body, as it arrived
 * const payload: WebhookPayload = JSON.parse(rawBody);
 * if (payload.kind === 'sla.breached') console.log(`page ${payload.lead?.owner ?? 'the sales manager'}`);
 * ```
 */
export type WebhookPayload = Pick<Notification, 'idempotencyKey' | 'kind' | 'to' | 'subject' | 'text' | 'lead' | 'leads' | 'createdAt'>;

/**
 * A `Notifier` on the `webhook` channel. Each attempt is signed afresh (a new timestamp), while the
 * idempotency key stays the same, so the receiver can both refuse replays and dedupe redeliveries.
 * 2xx is delivered; 408, 429, 5xx, network errors and timeouts are retried (with `Retry-After` when the
 * receiver sends one); any other status is a permanent failure.
 *
 * @example
 * ```ts
 * import type { Notification } from '@leadline/core';
 * import { webhookNotifier } from '@leadline/webhook';
 *
 * declare const notification: Notification; // as the dispatcher hands it over
 * const webhook = webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret: process.env.LEADLINE_WEBHOOK_SECRET ?? '' });
 * const result = await webhook.deliver(notification); // { status: 'delivered', detail: 'HTTP 204' }
 * ```
 */
export function webhookNotifier(options: WebhookNotifierOptions): Notifier {
  const timeoutMs = options.timeoutMs ?? 10_000;
  checkOptions(options, timeoutMs);
  const fetch = options.fetch ?? globalThis.fetch;
  // Header names are case-insensitive: a caller's `Content-Type` would otherwise be sent next to ours.
  const extraHeaders = Object.fromEntries(Object.entries(options.headers ?? {}).filter(([name]) => !RESERVED_HEADERS.has(name.toLowerCase())));
  return {
    channel: 'webhook',
    async deliver(notification: Notification): Promise<DeliveryResult> {
      const body = JSON.stringify(payloadOf(notification));
      const now = Date.now();
      const signature = signWebhook({ secret: options.secret, body, timestamp: Math.floor(now / 1000) });
      return postForDelivery({
        url: options.url,
        body,
        headers: {
          ...extraHeaders,
          'content-type': 'application/json',
          [IDEMPOTENCY_KEY_HEADER]: notification.idempotencyKey,
          [SIGNATURE_HEADER]: signature,
        },
        timeoutMs,
        fetch,
      });
    },
  };
}

function payloadOf(notification: Notification): WebhookPayload {
  // Listed field by field so that whatever core adds to Notification later is not published by accident.
  const { idempotencyKey, kind, to, subject, text, lead, leads, createdAt } = notification;
  // A digest carries `leads` instead of `lead`; JSON leaves out whichever is undefined.
  return { idempotencyKey, kind, to, subject, text, lead, leads, createdAt };
}

function checkOptions(options: WebhookNotifierOptions, timeoutMs: number): void {
  const problems: Problem[] = [];
  if (!isHttpUrl(options.url)) problems.push({ path: ['url'], message: 'must be an http or https URL', code: 'invalid_url' });
  if (typeof options.secret !== 'string' || options.secret.length === 0) {
    problems.push({ path: ['secret'], message: 'must be a non-empty string', code: 'too_small' });
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) problems.push({ path: ['timeoutMs'], message: 'must be a positive number of ms', code: 'too_small' });
  if (problems.length > 0) throw new ConfigError('webhook notifier options', problems);
}
