/**
 * One HTTP POST turned into a `DeliveryResult`: what counts as done, what is worth another try and what
 * is refused for good. The mapping itself is core's `deliveryResultOf`; this is the request, with its
 * timeout, shared by the HTTP notifiers (the Slack adapter posts through it too).
 *
 * @module
 */
import { type DeliveryResult, deliveryResultOf } from '@leadline/core/adapter-kit';

/**
 * What {@link postForDelivery} needs: where, what, and how long to wait.
 *
 * @example
 * ```ts
 * import type { DeliveryRequest } from '@leadline/webhook';
 *
 * const request: DeliveryRequest = { url: 'https://crm.example.com/hooks/leadline', body: '{}', headers: {}, timeoutMs: 10_000, fetch };
 * ```
 */
export interface DeliveryRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
}

/** Enough of the receiver's answer to tell a person why it refused, without flooding the history. */
const MAX_DETAIL_CHARS = 200;

/**
 * The most of an answer's body a delivery reads: enough for the reason of a refusal, and no more
 * whatever the receiver sends (a 500 with a 200 MB error page once cost a dispatcher 619 MB). Past
 * it the body is cancelled, which closes the connection.
 */
const MAX_BODY_BYTES = 4 * 1024;

/**
 * POSTs `body` and maps the answer: 2xx is delivered; 408, 429, 5xx, network errors and timeouts are
 * retried (honouring `Retry-After`); anything else, including a redirect, is refused for good. Never
 * throws for a delivery failure.
 *
 * @example
 * ```ts
 * import { postForDelivery } from '@leadline/webhook';
 *
 * const url = 'https://crm.example.com/hooks/leadline';
 * const result = await postForDelivery({ url, body: JSON.stringify({ kind: 'lead.assigned' }), headers: { 'content-type': 'application/json' }, timeoutMs: 10_000, fetch });
 * if (result.status === 'retry') console.log(result.retryAfterMs);
 * ```
 */
export async function postForDelivery(request: DeliveryRequest): Promise<DeliveryResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  try {
    const response = await request.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
      // A message about a lead goes only where it was configured to go, never on to wherever a redirect
      // points; the receiver's real URL belongs in the configuration, so a redirect is reported instead.
      redirect: 'manual',
    });
    // Reading the body under the same timeout frees the connection and gives the reason for a refusal.
    const detail = await readDetail(response);
    return deliveryResultOf(response.status, response.headers.get('retry-after'), detail, Date.now());
  } catch (error) {
    if (timedOut) return { status: 'retry', error: `timed out after ${request.timeoutMs}ms` };
    return { status: 'retry', error: `network error: ${describeNetworkError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

async function readDetail(response: Response): Promise<string> {
  // A success's body does not matter, but reading a short one lets the connection be reused.
  const bytes = await readAtMost(response, MAX_BODY_BYTES);
  if (response.status >= 200 && response.status < 300) return '';
  const flat = new TextDecoder().decode(bytes).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS)}...` : flat;
}

/** The first `limit` bytes of the body (a multi-byte character cut at the end decodes as U+FFFD); the rest is never read. */
async function readAtMost(response: Response, limit: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  const kept = new Uint8Array(limit);
  let length = 0;
  try {
    while (length < limit) {
      const { done, value } = await reader.read();
      if (done) return kept.subarray(0, length);
      const part = value.subarray(0, limit - length);
      kept.set(part, length);
      length += part.length;
    }
    return kept;
  } finally {
    // Ends the body (and, before its end, the connection) rather than leaving it to a garbage collection.
    await reader.cancel().catch(() => {});
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports every connection failure as "fetch failed"; the useful part (ECONNREFUSED...) is the cause.
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}

/**
 * Whether a value is an absolute http or https URL: what a notifier checks in its options at
 * construction, so that a typo fails when the app starts rather than at the first delivery.
 *
 * @example
 * ```ts
 * import { isHttpUrl } from '@leadline/webhook';
 *
 * isHttpUrl('https://hooks.example.com/leadline'); // true
 * isHttpUrl('ftp://example.com'); // false
 * ```
 */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
