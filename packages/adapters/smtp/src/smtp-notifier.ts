/**
 * `smtpNotifier()`: delivers notifications as email through nodemailer, with the text and HTML that core
 * rendered and the idempotency key in the headers.
 *
 * @module
 */
import { ConfigError, type DeliveryResult, type Notification, type Notifier } from '@leadline/core/adapter-kit';
import { createTransport, type TransportConfig, type Transporter } from 'nodemailer';
import { messageIdOf } from './message-id.js';
import { smtpResultOf } from './smtp-outcome.js';

/**
 * The header that carries the notification's idempotency key.
 *
 * @example
 * ```ts
 * import { IDEMPOTENCY_KEY_HEADER } from '@leadline/smtp';
 *
 * declare const parsed: { headers: Map<string, unknown> }; // a received email, as mailparser's simpleParser reads it
 * const key = parsed.headers.get(IDEMPOTENCY_KEY_HEADER.toLowerCase());
 * ```
 */
export const IDEMPOTENCY_KEY_HEADER = 'X-Leadline-Idempotency-Key';

/**
 * How to send and as whom.
 *
 * @example
 * ```ts
 * import type { SmtpNotifierOptions } from '@leadline/smtp';
 *
 * const team = new Map([['ann', { email: 'ann@example.com' }]]); // your CRM's users
 * const options: SmtpNotifierOptions = {
 *   transport: { host: 'smtp.example.com', port: 587, auth: { user: 'leadline', pass: process.env.SMTP_PASSWORD ?? '' } },
 *   from: 'Leadline <alerts@example.com>',
 *   addressOf: (rep) => team.get(rep)?.email,
 * };
 * ```
 */
export interface SmtpNotifierOptions {
  /** nodemailer transport options (or a connection URL), or a `Transporter` the application already has. */
  transport: Transporter | TransportConfig | string;
  /** The sender, `'Name <address>'` or `{ name, address }`. */
  from: string | { name: string; address: string };
  /**
   * Maps a recipient of the notification (often a rep id) to an email address; `undefined` skips it.
   * Without it, recipients are used as addresses.
   */
  addressOf?: (recipient: string) => string | undefined;
}

/**
 * A `Notifier` that can also release the connections of a transport it created.
 *
 * @example
 * ```ts
 * import { type SmtpNotifier, smtpNotifier } from '@leadline/smtp';
 *
 * const email: SmtpNotifier = smtpNotifier({ transport: { host: 'smtp.example.com', port: 587, pool: true }, from: 'alerts@example.com' });
 * process.on('SIGTERM', () => email.close());
 * ```
 */
export interface SmtpNotifier extends Notifier {
  /** Closes the transport if this notifier created it; a transport passed in belongs to its owner. */
  close(): void;
}

/**
 * A `Notifier` on the `email` channel. Each email has the subject, a text part and an HTML part (as core
 * rendered and escaped them), an `X-Leadline-Idempotency-Key` header, and a `Message-ID` derived from
 * the key so that a redelivery is the same email. A 4xx reply or a connection failure is retried; a 5xx
 * reply (other than 503) is a permanent failure.
 *
 * @example
 * ```ts
 * import type { Notification } from '@leadline/core';
 * import { smtpNotifier } from '@leadline/smtp';
 *
 * declare const notification: Notification; // as the dispatcher hands it over
 * const email = smtpNotifier({ transport: 'smtps://leadline:secret@smtp.example.com', from: 'Leadline <alerts@example.com>' });
 * const result = await email.deliver(notification); // { status: 'delivered', detail: '250 2.0.0 OK queued' }
 * ```
 */
export function smtpNotifier(options: SmtpNotifierOptions): SmtpNotifier {
  if (!options.from || (typeof options.from === 'object' && !options.from.address)) {
    throw new ConfigError('SMTP notifier options', [{ path: ['from'], message: 'must name the sender address', code: 'too_small' }]);
  }
  const owned = !isTransporter(options.transport);
  const transporter = isTransporter(options.transport) ? options.transport : createTransport(options.transport);
  const addressOf = options.addressOf ?? ((recipient: string) => recipient);
  return {
    channel: 'email',
    async deliver(notification: Notification): Promise<DeliveryResult> {
      const addresses: string[] = [];
      const unknown: string[] = [];
      for (const recipient of notification.to) {
        const address = addressOf(recipient);
        if (address) addresses.push(address);
        else unknown.push(recipient);
      }
      // Retrying cannot conjure an address: without any, the notification fails for good and says why.
      if (addresses.length === 0) {
        return { status: 'failed', error: notification.to.length === 0 ? 'no recipients' : `no email address for ${unknown.join(', ')}` };
      }
      try {
        const info = await transporter.sendMail({
          from: options.from,
          to: addresses,
          subject: notification.subject,
          text: notification.text,
          html: notification.html,
          messageId: messageIdOf(notification.idempotencyKey, options.from),
          headers: { [IDEMPOTENCY_KEY_HEADER]: notification.idempotencyKey },
        });
        const notes = [typeof info.response === 'string' ? info.response : 'sent'];
        if (info.rejected && info.rejected.length > 0) notes.push(`rejected: ${info.rejected.join(', ')}`);
        if (unknown.length > 0) notes.push(`no email address for ${unknown.join(', ')}`);
        return { status: 'delivered', detail: notes.join('; ') };
      } catch (error) {
        return smtpResultOf(error);
      }
    },
    close() {
      if (owned) transporter.close();
    },
  };
}

function isTransporter(transport: SmtpNotifierOptions['transport']): transport is Transporter {
  return typeof transport === 'object' && transport !== null && typeof (transport as Partial<Transporter>).sendMail === 'function';
}
