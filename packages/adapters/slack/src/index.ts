/**
 * `@leadline/slack`: delivers Leadline notifications to a Slack channel through an incoming webhook, as
 * Block Kit messages that carry the lead's context.
 *
 * @example
 * ```ts
 * import { slackNotifier } from '@leadline/slack';
 * ```
 *
 * @module
 */

export { escapeMrkdwn } from './mrkdwn.js';
export { type SlackBlock, type SlackMessage, type SlackText, slackMessageOf } from './slack-message.js';
export { type SlackNotifierOptions, slackNotifier } from './slack-notifier.js';
