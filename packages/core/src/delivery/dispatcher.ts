/**
 * The dispatcher: takes pending notifications from the outbox, renders them, delivers them through the
 * notifier of their channel, retries retryable failures with backoff and jitter, dead-letters after too
 * many tries or a permanent refusal, and records each delivery in the lead's history.
 *
 * Delivery is at least once: a crash between a delivery and its acknowledgement delivers the message
 * again with the same idempotency key, by which receivers dedupe. Short of a crash, a message goes out
 * once: its lease is renewed before a delivery that starts late in it, so a second dispatcher cannot
 * take it over while the first is still working through a slow batch.
 *
 * @module
 */
import { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import { ConfigError, LeadlineError, type Problem, ValidationError } from '../errors.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../lead/notification-kind.js';
import type { DeliveryResult, Notification, Notifier } from '../notify/notifier.js';
import type { NotificationRoutes } from '../notify/routes.js';
import { pollingLoop } from '../polling-loop.js';
import { type ClaimedMessage, LAST_OUTBOX_INSTANT, type OutboxRecord } from '../store/lead-store.js';
import { retryDelay } from '../time/backoff.js';
import { formatInstant } from '../time/instant.js';
import { parseInput } from '../validation.js';
import { dailyDigests } from './daily-digest.js';
import { type NotificationTemplate, templatesWith } from './templates.js';

const optionsSchema = z.object({
  maxAttempts: z.number().int().min(1).max(100).default(5),
  baseDelayMs: z.number().int().min(1).default(1_000),
  maxDelayMs: z
    .number()
    .int()
    .min(1)
    .default(5 * 60_000),
  maxRetryAfterMs: z
    .number()
    .int()
    .min(1)
    .default(60 * 60_000),
  leaseMs: z.number().int().min(1).default(60_000),
  batchSize: z.number().int().min(1).max(1_000).default(50),
});

/**
 * Options of {@link createDispatcher}.
 *
 * @example
 * ```ts
 * import { createEngine, type DispatcherOptions } from '@leadline/core';
 * import { webhookNotifier } from '@leadline/webhook';
 *
 * const webhook = webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret: process.env.LEADLINE_WEBHOOK_SECRET ?? '' });
 * const options: DispatcherOptions = { engine: createEngine(), notifiers: [webhook], maxAttempts: 5 };
 * ```
 */
export interface DispatcherOptions {
  /** The engine whose outbox is delivered; its store, tenant and clock are used. */
  engine: Engine;
  /**
   * One notifier per channel. A single notifier delivers every message, whatever its channel; with
   * several, the engine's routes must name only their channels (see {@link createDispatcher}).
   */
  notifiers: readonly Notifier[];
  /** Overrides of the default templates, per kind and part. */
  templates?: Partial<Record<NotificationKind, Partial<NotificationTemplate>>>;
  /** Tries before a message is dead-lettered (default 5). */
  maxAttempts?: number;
  /** The first retry's wait (default 1 s); it doubles per try, with jitter, up to `maxDelayMs` (5 min). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * The longest wait a receiver's `Retry-After` may impose (default 1 h). A longer one (a year, or more
   * seconds than a number holds) is waited for this long instead, and the try counts towards
   * `maxAttempts` like any other.
   */
  maxRetryAfterMs?: number;
  /**
   * How long a claimed message stays with this dispatcher (default 60 s). Before each delivery, a lease
   * with less than half of this left is renewed to the whole of it, so one delivery (the notifier's
   * timeout, 10 s for ours, and recording it in the history) must fit in half the lease.
   */
  leaseMs?: number;
  batchSize?: number;
  /** Source of jitter, `[0, 1)`; injectable so tests are deterministic. */
  random?: () => number;
  /**
   * Receives what goes wrong outside a delivery's own outcome, as the engine's `onError` does for timers:
   * - a message the store could not settle (acknowledge, retry, dead-letter, renew), with the
   *   `message`: the rest of the round goes on, and the message, still claimed, comes back when its
   *   lease ends;
   * - a delivery or dead letter the lead's history could not record, with the `message`: a
   *   `LeadlineError` with code `notification_not_recorded` (its `cause` says why); the message is
   *   settled all the same;
   * - a worker round that failed as a whole (`message` undefined: the store was unreachable while
   *   claiming); the worker polls again.
   *
   * By default each goes to `console.error`, as the engine's do. A handler that throws ends the round:
   * `runOnce` rejects with its error.
   */
  onError?: (error: unknown, message: ClaimedMessage | undefined) => void;
}

/**
 * What one round of delivery did.
 *
 * @example
 * ```ts
 * import { createDispatcher, createEngine } from '@leadline/core';
 * import { webhookNotifier } from '@leadline/webhook';
 *
 * const webhook = webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret: process.env.LEADLINE_WEBHOOK_SECRET ?? '' });
 * const dispatcher = createDispatcher({ engine: createEngine(), notifiers: [webhook] });
 * const { delivered, retried, deadLettered } = await dispatcher.runOnce();
 * ```
 */
export interface DispatchRound {
  delivered: number;
  retried: number;
  deadLettered: number;
  /** Messages the store could not settle, each reported to `onError`; they come back when their lease ends. */
  errors: number;
}

/**
 * A running dispatcher.
 *
 * @example
 * ```ts
 * import { createDispatcher, createEngine } from '@leadline/core';
 * import { webhookNotifier } from '@leadline/webhook';
 *
 * const webhook = webhookNotifier({ url: 'https://crm.example.com/hooks/leadline', secret: process.env.LEADLINE_WEBHOOK_SECRET ?? '' });
 * const dispatcher = createDispatcher({ engine: createEngine(), notifiers: [webhook] });
 * dispatcher.start({ pollIntervalMs: 1000 });
 * ```
 */
export interface Dispatcher {
  /**
   * Delivers every message available at `now` (default: the engine clock's now; an instant as epoch ms,
   * else a `ValidationError`). Leases run from the clock's now at each claim, however long the round
   * has taken. One message that fails does not end the round: see `onError`.
   */
  runOnce(now?: number): Promise<DispatchRound>;
  /** Renders a stored message as the notifier receives it. */
  render(message: ClaimedMessage): Notification;
  /**
   * Sends each rep the daily digest of their open leads on `channel` (default `email`), once: a failed
   * digest is reported, not retried, since tomorrow's supersedes it.
   */
  sendDailyDigests(now?: number, options?: { channel?: string }): Promise<{ delivered: number; failed: { to: string[]; error: string }[] }>;
  start(options?: { pollIntervalMs?: number }): void;
  stop(): Promise<void>;
  /** Messages given up (refused for good, or out of attempts), oldest first, with their last error (default: the first 100). */
  deadLetters(options?: { limit?: number }): Promise<OutboxRecord[]>;
  /**
   * Puts a dead message back, available now with its attempts reset, after the messages already waiting;
   * `false` when there is no dead letter with this id. Fix the cause (the receiver, its address) first.
   */
  requeue(id: string): Promise<boolean>;
  /** Deletes a dead message for good; `false` when there is none with this id. */
  discard(id: string): Promise<boolean>;
}

/**
 * Builds a dispatcher. With one notifier, every message goes to it, whatever its channel (`default`
 * included). With several, each message goes to the notifier of its channel, and the engine's routes are
 * checked against them first, so that a routing mistake fails here rather than as dead letters later.
 *
 * @throws ValidationError when an option is invalid or two notifiers share a channel.
 * @throws ConfigError, with several notifiers, naming every kind the routes leave to the `default`
 *   channel when no notifier has it, and every route to a channel no notifier has.
 * @example
 * ```ts
 * import { createDispatcher, createEngine } from '@leadline/core';
 * import { slackNotifier } from '@leadline/slack';
 * import { smtpNotifier } from '@leadline/smtp';
 *
 * const dispatcher = createDispatcher({
 *   engine: createEngine(),
 *   notifiers: [
 *     smtpNotifier({ transport: process.env.SMTP_URL ?? 'smtp://localhost:25', from: 'leads@example.com' }),
 *     slackNotifier({ webhookUrl: process.env.SLACK_WEBHOOK_URL ?? '' }),
 *   ],
 *   templates: { 'sla.breached': { subject: (n) => `Breach: ${n.lead.name}` } },
 * });
 * await dispatcher.runOnce();
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const settings = parseInput(
    optionsSchema,
    {
      maxAttempts: options.maxAttempts,
      baseDelayMs: options.baseDelayMs,
      maxDelayMs: options.maxDelayMs,
      maxRetryAfterMs: options.maxRetryAfterMs,
      leaseMs: options.leaseMs,
      batchSize: options.batchSize,
    },
    'dispatcher options',
  );
  const { engine } = options;
  const { store, tenantId, clock } = engine;
  const random = options.random ?? Math.random;
  const onError =
    options.onError ??
    ((error: unknown, message: ClaimedMessage | undefined) =>
      console.error(message ? `[leadline] notification ${message.id} of lead ${message.leadId} failed` : '[leadline] a dispatcher round failed', error));
  const template = templatesWith(options.templates);
  const byChannel = new Map<string, Notifier>();
  for (const [index, notifier] of options.notifiers.entries()) {
    if (byChannel.has(notifier.channel)) {
      throw new ValidationError('dispatcher options', [
        { path: ['notifiers', index, 'channel'], message: `channel "${notifier.channel}" has two notifiers`, code: 'duplicate_channel' },
      ]);
    }
    byChannel.set(notifier.channel, notifier);
  }
  // One notifier is the whole delivery setup: routing messages between channels means nothing then.
  const only = options.notifiers.length === 1 ? options.notifiers[0] : undefined;
  if (options.notifiers.length > 1) checkRoutes(engine.routes, byChannel);
  const notifierFor = (channel: string) => only ?? byChannel.get(channel);

  function render(message: ClaimedMessage): Notification {
    const input = { kind: message.kind, summary: message.summary, to: message.to, lead: message.lead };
    const parts = template(message.kind);
    return {
      idempotencyKey: message.id,
      kind: message.kind,
      channel: message.channel,
      to: message.to,
      subject: parts.subject(input),
      text: parts.text(input),
      html: parts.html(input),
      lead: message.lead,
      createdAt: formatInstant(message.createdAt),
    };
  }

  async function deliver(notifier: Notifier, notification: Notification): Promise<DeliveryResult> {
    try {
      return await notifier.deliver(notification);
    } catch (error) {
      // A notifier should report failures, not throw them; a throw is taken as worth another try.
      return { status: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Records a delivery or a dead letter in the lead's history. A note that cannot be written (the lead
   * keeps changing, or is gone) must not hold back settling the message: it is reported instead.
   */
  async function note(message: ClaimedMessage, type: 'notification.delivered' | 'notification.dead_lettered', at: number, text: string) {
    try {
      await engine.recordNote(message.leadId, { type, id: `${type}:${message.id}`, at, notes: [text] });
    } catch (error) {
      const what = type === 'notification.delivered' ? 'delivered' : 'dead-lettered';
      const why = error instanceof Error ? error.message : String(error);
      onError(
        new LeadlineError(
          'notification_not_recorded',
          `${message.kind} notification ${message.id} ${what}, but not recorded in the history of lead ${message.leadId}: ${why}`,
          { cause: error },
        ),
        message,
      );
    }
  }

  /** The wait a receiver asked for, within `maxRetryAfterMs`: none when it asked for nothing readable. */
  function retryAfterOf(result: DeliveryResult): number {
    const asked = result.status === 'retry' ? result.retryAfterMs : undefined;
    return asked !== undefined && asked > 0 ? Math.min(asked, settings.maxRetryAfterMs) : 0;
  }

  async function handle(message: ClaimedMessage, now: number, round: DispatchRound): Promise<void> {
    const attempt = message.attempts + 1;
    const notifier = notifierFor(message.channel);
    const to = message.to.join(', ') || 'nobody';
    let result: DeliveryResult;
    try {
      // A template that throws is this message's failed attempt, not the end of the round.
      result = notifier ? await deliver(notifier, render(message)) : { status: 'failed', error: `no notifier for channel "${message.channel}"` };
    } catch (error) {
      result = { status: 'retry', error: `rendering failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    // When the attempt ended: a slow delivery late in a long round is not dated at the round's start.
    const at = Math.max(now, clock.now());
    if (result.status === 'delivered') {
      // History first, then the acknowledgement: a crash in between redelivers, and the note is idempotent.
      await note(
        message,
        'notification.delivered',
        at,
        `${message.kind} notification delivered by ${notifier?.channel ?? message.channel} to ${to} (attempt ${attempt})`,
      );
      await store.ackOutbox(message);
      round.delivered++;
      return;
    }
    if (result.status === 'retry' && attempt < settings.maxAttempts) {
      const wait = retryDelay(attempt, { baseMs: settings.baseDelayMs, maxMs: settings.maxDelayMs }, random, retryAfterOf(result));
      await store.retryOutbox(message, { retryAt: Math.min(at + wait, LAST_OUTBOX_INSTANT), error: result.error });
      round.retried++;
      return;
    }
    const why = result.status === 'retry' ? `gave up after ${attempt} attempts: ${result.error}` : result.error;
    await note(message, 'notification.dead_lettered', at, `${message.kind} notification to ${to} by ${message.channel} not delivered (${why}): dead-lettered`);
    await store.deadLetterOutbox(message, { error: why });
    round.deadLettered++;
  }

  /**
   * The message with at least half a lease ahead for its delivery: as claimed, or renewed to a whole
   * lease from now. `undefined` when it is no longer ours: its lease ran out while earlier messages of
   * the batch were delivered, and another dispatcher claimed it (and delivers it).
   */
  async function holding(message: ClaimedMessage): Promise<ClaimedMessage | undefined> {
    const at = clock.now();
    if (message.leaseUntil - at >= settings.leaseMs / 2) return message;
    return store.renewOutboxLease(message, { leaseUntil: Math.min(at + settings.leaseMs, LAST_OUTBOX_INSTANT) });
  }

  async function runOnce(now: number = clock.now()): Promise<DispatchRound> {
    if (!Number.isSafeInteger(now) || now < 0 || now >= LAST_OUTBOX_INSTANT) {
      throw new ValidationError('dispatch time', [
        { path: ['now'], message: `must be an instant in whole epoch milliseconds, got ${now}`, code: 'invalid_instant' },
      ]);
    }
    const round: DispatchRound = { delivered: 0, retried: 0, deadLettered: 0, errors: 0 };
    for (;;) {
      // `now` says what is due; the lease runs from the clock's now, however long this round has taken.
      const leaseMs = settings.leaseMs + Math.max(0, clock.now() - now);
      const claimed = await store.claimOutbox(tenantId, now, { limit: settings.batchSize, leaseMs });
      if (claimed.length === 0) return round;
      for (const message of claimed) {
        // One message the store cannot settle must not hold back the others. It keeps its claim, so the
        // next claim of this round skips it, and it comes back when the lease ends.
        try {
          const held = await holding(message);
          if (held) await handle(held, now, round);
        } catch (error) {
          round.errors++;
          onError(error, message);
        }
      }
    }
  }

  // A failed claim must not end the worker: the leases bring the messages back.
  const worker = pollingLoop(clock, runOnce, (error) => onError(error, undefined));

  async function sendDailyDigests(now: number = clock.now(), { channel = 'email' }: { channel?: string } = {}) {
    const notifier = byChannel.get(channel);
    if (!notifier) throw new ValidationError('daily digest', [{ path: ['channel'], message: `no notifier for channel "${channel}"`, code: 'unknown_channel' }]);
    const result = { delivered: 0, failed: [] as { to: string[]; error: string }[] };
    for (const digest of await dailyDigests(store, tenantId, now, channel)) {
      const outcome = await deliver(notifier, digest);
      if (outcome.status === 'delivered') result.delivered++;
      else result.failed.push({ to: digest.to, error: outcome.error });
    }
    return result;
  }

  return {
    runOnce,
    render,
    sendDailyDigests,
    start: worker.start,
    stop: worker.stop,
    deadLetters: async (options) => store.deadLetters(tenantId, options?.limit ?? 100),
    requeue: async (id) => store.requeueDeadLetter(tenantId, id, clock.now()),
    discard: async (id) => store.discardDeadLetter(tenantId, id),
  };
}

/**
 * With several notifiers, every route must name a channel one of them has, and every kind with no route
 * goes to `default`, which then needs a notifier too. `daily.digest` is left out: digests are sent on
 * demand to the channel the caller names.
 */
function checkRoutes(routes: NotificationRoutes, byChannel: ReadonlyMap<string, Notifier>): void {
  const channels = [...byChannel.keys()];
  const known = `the notifiers' channels: ${channels.join(', ')}`;
  const problems: Problem[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    if (kind === 'daily.digest') continue;
    const list = routes[kind];
    if (!list) {
      if (byChannel.has('default')) continue;
      problems.push({
        path: [kind],
        message: `has no route, so it would go to the "default" channel, which no notifier has (${known})`,
        code: 'unrouted_kind',
      });
      continue;
    }
    for (const [index, route] of list.entries()) {
      if (byChannel.has(route.channel)) continue;
      problems.push({
        path: [kind, index, 'channel'],
        message: `names channel "${route.channel}", which no notifier has (${known})`,
        code: 'unknown_channel',
      });
    }
  }
  if (problems.length > 0) throw new ConfigError('notification routes for these notifiers (route every kind, or add a notifier for "default")', problems);
}
