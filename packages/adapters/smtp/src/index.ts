/**
 * `@leadline/smtp`: delivers Leadline notifications as email through nodemailer.
 *
 * @example
 * ```ts
 * import { smtpNotifier } from '@leadline/smtp';
 * ```
 *
 * @module
 */

export { messageIdOf } from './message-id.js';
export { IDEMPOTENCY_KEY_HEADER, type SmtpNotifier, type SmtpNotifierOptions, smtpNotifier } from './smtp-notifier.js';
