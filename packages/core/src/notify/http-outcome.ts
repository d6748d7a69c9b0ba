/**
 * How an HTTP answer maps to a delivery outcome, for every notifier that delivers over HTTP (webhooks,
 * Slack): 2xx is done; 408, 429 and 5xx are worth another try (after `Retry-After` when given); a
 * redirect or another 4xx is refused for good. Pure: the request itself is the adapter's.
 *
 * @module
 */
import type { DeliveryResult } from './notifier.js';

/**
 * Maps an HTTP status to a delivery outcome. Adapters call it with the response they got.
 *
 * @example
 * ```ts
 * import { deliveryResultOf } from '@leadline/core/adapter-kit';
 *
 * deliveryResultOf(429, '7', '', Date.now()); // { status: 'retry', error: 'HTTP 429', retryAfterMs: 7000 }
 * ```
 */
export function deliveryResultOf(status: number, retryAfter: string | null, detail: string, nowMs: number): DeliveryResult {
  const error = detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
  if (status >= 200 && status < 300) return { status: 'delivered', detail: `HTTP ${status}` };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
    return retryAfterMs === undefined ? { status: 'retry', error } : { status: 'retry', error, retryAfterMs };
  }
  if (status >= 300 && status < 400) return { status: 'failed', error: `${error} (redirects are not followed; configure the final URL)` };
  return { status: 'failed', error };
}

/**
 * Reads `Retry-After` as delay-seconds or as an HTTP date (RFC 9110 section 10.2.3); `undefined` when it
 * is absent or unreadable, so that the dispatcher's own backoff applies. Always a safe integer: more
 * seconds than that (`99999999999999999999`) read as `Number.MAX_SAFE_INTEGER` ms, and the dispatcher
 * caps what it waits at its `maxRetryAfterMs`.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from '@leadline/core/adapter-kit';
 *
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('2026-10-21T07:27:00Z')); // 60000
 * ```
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, Number.MAX_SAFE_INTEGER);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
