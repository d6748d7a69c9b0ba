/**
 * `slackNotifier()`: posts each notification to a Slack channel through an incoming webhook, as a Block
 * Kit message with the lead's context.
 *
 * @module
 */
import { ConfigError, type DeliveryResult, type Notification, type Notifier, type Problem } from '@leadline/core/adapter-kit';
// Slack's incoming webhooks are webhooks: the same request, timeout and outcome mapping.
import { isHttpUrl, postForDelivery } from '@leadline/webhook';
import { slackMessageOf } from './slack-message.js';

/**
 * Where to post.
 *
 * @example
 * ```ts
 * import type { SlackNotifierOptions } from '@leadline/slack';
 *
 * const options: SlackNotifierOptions = { webhookUrl: process.env.SLACK_WEBHOOK_URL ?? '' };
 * ```
 */
export interface SlackNotifierOptions {
  /** The incoming webhook's URL. It is a credential: it never appears in a delivery error. */
  webhookUrl: string;
  /** How long to wait for Slack's answer before giving up and asking for a retry. Default 10 000. */
  timeoutMs?: number;
  /** The fetch to use; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A `Notifier` on the `slack` channel. The channel is the one the incoming webhook was made for, so
 * `notification.to` is not used to address the message. 2xx is delivered; 408, 429 (with Slack's
 * `Retry-After`), 5xx, network errors and timeouts are retried; any other status (`invalid_payload`,
 * `channel_not_found`, `channel_is_archived`...) is a permanent failure. Incoming webhooks have no
 * idempotency key, so a redelivery after a crash can show the message twice.
 *
 * @example
 * ```ts
 * import type { Notification } from '@leadline/core';
 * import { slackNotifier } from '@leadline/slack';
 *
 * declare const notification: Notification; // as the dispatcher hands it over
 * const slack = slackNotifier({ webhookUrl: process.env.SLACK_WEBHOOK_URL ?? '' });
 * const result = await slack.deliver(notification); // { status: 'delivered', detail: 'HTTP 200' }
 * ```
 */
export function slackNotifier(options: SlackNotifierOptions): Notifier {
  const timeoutMs = options.timeoutMs ?? 10_000;
  checkOptions(options, timeoutMs);
  const fetch = options.fetch ?? globalThis.fetch;
  return {
    channel: 'slack',
    async deliver(notification: Notification): Promise<DeliveryResult> {
      return postForDelivery({
        url: options.webhookUrl,
        body: JSON.stringify(slackMessageOf(notification)),
        headers: { 'content-type': 'application/json' },
        timeoutMs,
        fetch,
      });
    },
  };
}

function checkOptions(options: SlackNotifierOptions, timeoutMs: number): void {
  const problems: Problem[] = [];
  if (!isHttpUrl(options.webhookUrl)) problems.push({ path: ['webhookUrl'], message: 'must be an http or https URL', code: 'invalid_url' });
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) problems.push({ path: ['timeoutMs'], message: 'must be a positive number of ms', code: 'too_small' });
  if (problems.length > 0) throw new ConfigError('Slack notifier options', problems);
}
