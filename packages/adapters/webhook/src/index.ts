/**
 * `@leadline/webhook`: delivers Leadline notifications as signed JSON webhooks, and `verifyWebhook()` for
 * the receiving side.
 *
 * @example
 * ```ts
 * import { verifyWebhook, webhookNotifier } from '@leadline/webhook';
 * ```
 *
 * @module
 */

export { type DeliveryRequest, isHttpUrl, postForDelivery } from './http-delivery.js';
export { IDEMPOTENCY_KEY_HEADER, SIGNATURE_HEADER, type SignWebhookInput, signWebhook } from './signature.js';
export { type VerifyWebhookInput, type VerifyWebhookResult, verifyWebhook, type WebhookRejection } from './verify-webhook.js';
export { type WebhookNotifierOptions, type WebhookPayload, webhookNotifier } from './webhook-notifier.js';
