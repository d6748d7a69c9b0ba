/**
 * Turning what nodemailer reports into a `DeliveryResult`: which SMTP refusals are worth another try and
 * which are final.
 *
 * @module
 */
import type { DeliveryResult } from '@leadline/core/adapter-kit';
import type { NodemailerError } from 'nodemailer';

/**
 * Failures without an SMTP reply that no retry can fix: the message or the configuration is wrong.
 */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS', 'EREQUIRETLS']);

/**
 * A refused login is about the sender's credentials, not this message: until someone fixes them every
 * message would be refused, so they are retried (and end in the dead letter only if nobody does).
 */
const CREDENTIAL_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);

/**
 * Maps a nodemailer error. A 4xx reply and any connection, DNS, TLS or timeout failure is retried; a 5xx
 * reply is permanent, except 503 (nodemailer's `permanent` flag: a bad command sequence, not a refusal of
 * the message) and a refused login.
 *
 * @example
 * ```ts
 * import { smtpResultOf } from './smtp-outcome.js';
 *
 * smtpResultOf(Object.assign(new Error('Mailbox busy'), { responseCode: 450 })); // { status: 'retry', error: 'SMTP 450: Mailbox busy' }
 * ```
 */
export function smtpResultOf(thrown: unknown): DeliveryResult {
  const error = (thrown instanceof Error ? thrown : new Error(String(thrown))) as NodemailerError;
  const message = describe(error);
  if (error.code && CREDENTIAL_CODES.has(error.code)) return { status: 'retry', error: message };
  if (typeof error.responseCode === 'number') {
    const permanent = typeof error.permanent === 'boolean' ? error.permanent : error.responseCode >= 500;
    return permanent ? { status: 'failed', error: message } : { status: 'retry', error: message };
  }
  if (error.code && PERMANENT_CODES.has(error.code)) return { status: 'failed', error: message };
  return { status: 'retry', error: message };
}

function describe(error: NodemailerError): string {
  const reply = error.response ?? error.message;
  if (typeof error.responseCode === 'number') {
    // Replies already start with their code ("550 5.1.1 No such user"); do not say it twice.
    const text = reply.startsWith(String(error.responseCode)) ? reply.slice(String(error.responseCode).length).trim() : reply;
    return `SMTP ${error.responseCode}${error.command ? ` (${error.command})` : ''}: ${text}`;
  }
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
