/**
 * The `Notifier` port: delivers one rendered notification on one channel (a webhook, email, Slack) and
 * says how it went, so that the dispatcher knows whether to retry.
 *
 * @module
 */
import type { LeadBrief } from '../lead/lead-brief.js';
import type { NotificationKind } from '../lead/notification-kind.js';

export type { LeadBrief };

/**
 * A notification ready to deliver: who to, about what, rendered as text and HTML.
 *
 * @example
 * ```ts
 * import type { Notification } from '@leadline/core';
 *
 * const notification: Notification = {
 *   idempotencyKey: 'lead-7:e1:0:email',
 *   kind: 'lead.assigned',
 *   channel: 'email',
 *   to: ['ann@example.com'],
 *   subject: 'New lead',
 *   text: '...',
 *   html: '<p>...</p>',
 *   lead: { leadId: 'lead-7', name: 'Ada Lovelace', source: 'demo_request', state: 'assigned', activities: [] },
 *   createdAt: '2026-03-02T09:00:00Z',
 * };
 * ```
 */
export interface Notification {
  /** Stable across retries and redeliveries: receivers dedupe by it. */
  idempotencyKey: string;
  kind: NotificationKind;
  /** The channel this delivery goes through, e.g. `email`, `slack`, `webhook`. */
  channel: string;
  /** Recipients as the channel understands them (rep ids mapped to addresses by the notifier or the app). */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The lead it is about; absent for a daily digest, which lists its leads in `leads`. */
  lead?: LeadBrief;
  /** A daily digest's leads, the overdue ones first. */
  leads?: LeadBrief[];
  /** When the decision that produced it was made (ISO-8601). */
  createdAt: string;
}

/**
 * How a delivery went: delivered; failed but worth another try (optionally not before `retryAfterMs`);
 * or failed for good (a permanent refusal such as HTTP 400).
 *
 * @example
 * ```ts
 * import type { DeliveryResult } from '@leadline/core';
 *
 * const result: DeliveryResult = { status: 'retry', error: 'HTTP 503', retryAfterMs: 30_000 };
 * ```
 */
export type DeliveryResult =
  | { status: 'delivered'; detail?: string }
  | { status: 'retry'; error: string; retryAfterMs?: number }
  | { status: 'failed'; error: string };

/**
 * Delivers notifications on one channel. Implementations must not throw for delivery failures; they
 * report them. A thrown error is treated as a retryable failure.
 *
 * @example
 * ```ts
 * import type { Notifier } from '@leadline/core';
 *
 * const log: Notifier = {
 *   channel: 'log',
 *   deliver: async (notification) => {
 *     console.log(notification.text);
 *     return { status: 'delivered' };
 *   },
 * };
 * ```
 */
export interface Notifier {
  readonly channel: string;
  deliver(notification: Notification): Promise<DeliveryResult>;
}
