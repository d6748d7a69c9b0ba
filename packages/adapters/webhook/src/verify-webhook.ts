/**
 * `verifyWebhook()`: what a receiver calls before trusting a Leadline webhook. It proves the body came
 * from someone holding the shared secret and was signed recently, so a captured request replayed later
 * is refused.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@leadline/core/adapter-kit';
import { signatureOf } from './signature.js';

/**
 * What {@link verifyWebhook} checks.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import type { VerifyWebhookInput } from '@leadline/webhook';
 *
 * declare const request: IncomingMessage; // a request to your webhook endpoint
 * declare const rawBody: string; // its body, as it arrived
 * const input: VerifyWebhookInput = { secret: process.env.LEADLINE_WEBHOOK_SECRET ?? '', body: rawBody, signatureHeader: request.headers['x-leadline-signature'] };
 * ```
 */
export interface VerifyWebhookInput {
  secret: string;
  /** The raw request body exactly as received: parsing and re-serializing JSON changes the bytes. */
  body: string | Uint8Array;
  /** The `x-leadline-signature` header as the server framework gives it (missing is `malformed`). */
  signatureHeader: string | readonly string[] | null | undefined;
  /** How far the signed time may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Now, in epoch milliseconds. Defaults to the wall clock. */
  now?: number;
}

/**
 * Why a webhook was refused: the header cannot be read (`malformed`), the signature does not match the
 * body and secret (`bad_signature`), or it was signed outside the tolerance window (`stale`: a replay,
 * or a badly skewed clock).
 *
 * @example
 * ```ts
 * import type { WebhookRejection } from '@leadline/webhook';
 *
 * const reason: WebhookRejection = 'stale';
 * ```
 */
export type WebhookRejection = 'malformed' | 'bad_signature' | 'stale';

/**
 * The verdict of {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * import type { VerifyWebhookResult } from '@leadline/webhook';
 *
 * const verdict: VerifyWebhookResult = { ok: false, reason: 'bad_signature' };
 * ```
 */
export type VerifyWebhookResult = { ok: true } | { ok: false; reason: WebhookRejection };

const HEX_SIGNATURE = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * Checks a webhook's `x-leadline-signature` header against its raw body and the shared secret, in
 * constant time, and refuses a timestamp outside the tolerance window. Several `v1=` entries are
 * accepted (any one may match), so a sender can sign with an old and a new secret while rotating.
 *
 * @example
 * ```ts
 * import type { IncomingMessage, ServerResponse } from 'node:http';
 * import { verifyWebhook } from '@leadline/webhook';
 *
 * const secret = process.env.LEADLINE_WEBHOOK_SECRET ?? '';
 *
 * export function onWebhook(request: IncomingMessage, rawBody: string, response: ServerResponse): void {
 *   const verdict = verifyWebhook({ secret, body: rawBody, signatureHeader: request.headers['x-leadline-signature'] });
 *   if (!verdict.ok) {
 *     response.writeHead(401).end(verdict.reason);
 *     return;
 *   }
 *   const notification = JSON.parse(rawBody);
 *   response.writeHead(200).end();
 * }
 * ```
 */
export function verifyWebhook(input: VerifyWebhookInput): VerifyWebhookResult {
  const toleranceSeconds = input.toleranceSeconds ?? 300;
  if (!input.secret) throw new ConfigError('webhook verification', [{ path: ['secret'], message: 'must be a non-empty string', code: 'too_small' }]);
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new ConfigError('webhook verification', [{ path: ['toleranceSeconds'], message: 'must be a non-negative number', code: 'too_small' }]);
  }
  const parsed = parseSignatureHeader(input.signatureHeader);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signatureOf(input.secret, parsed.timestamp, input.body), 'hex');
  // Every candidate is compared, even after a match, so the time taken says nothing about which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  if (!matched) return { ok: false, reason: 'bad_signature' };
  // Only a genuine signature makes its timestamp trustworthy, so staleness is judged after the match.
  const nowSeconds = (input.now ?? Date.now()) / 1000;
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  return { ok: true };
}

function parseSignatureHeader(header: VerifyWebhookInput['signatureHeader']): { timestamp: number; signatures: string[] } | undefined {
  if (header === null || header === undefined) return undefined;
  // A header sent twice arrives as an array from node:http; HTTP says the two mean their comma-joined value.
  const value = typeof header === 'string' ? header : header.join(',');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return undefined;
    const key = part.slice(0, at).trim();
    const field = part.slice(at + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !UNIX_SECONDS.test(field)) return undefined;
      timestamp = Number(field);
    } else if (key === 'v1') {
      if (!HEX_SIGNATURE.test(field)) return undefined;
      signatures.push(field);
    }
    // Other schemes (v2...) are skipped, so a future sender can add one without breaking today's receivers.
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}
