/**
 * The dispatcher: takes pending notifications from the outbox, renders them, delivers them through the
 * notifier of their channel, retries retryable failures with backoff and jitter, dead-letters after too
 * many tries or a permanent refusal, and records each delivery in the lead's history.
 *
 * Delivery is at least once: a crash between a delivery and its acknowledgement delivers the message
 * again with the same idempotency key, by which receivers dedupe.
 *
 * @module
 */
import { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import { ConfigError, type Problem, ValidationError } from '../errors.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../lead/notification-kind.js';
import type { DeliveryResult, Notification, Notifier } from '../notify/notifier.js';
import type { NotificationRoutes } from '../notify/routes.js';
import { pollingLoop } from '../polling-loop.js';
import type { ClaimedMessage } from '../store/lead-store.js';
import { formatInstant } from '../time/instant.js';
import { parseInput } from '../validation.js';
import { retryDelay } from './backoff.js';
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
  /** How long a claimed message stays with this dispatcher (default 60 s). */
  leaseMs?: number;
  batchSize?: number;
  /** Source of jitter, `[0, 1)`; injectable so tests are deterministic. */
  random?: () => number;
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
  /** Delivers every message available at `now` (default: the engine clock's now). */
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
      leaseMs: options.leaseMs,
      batchSize: options.batchSize,
    },
    'dispatcher options',
  );
  const { engine } = options;
  const { store, tenantId, clock } = engine;
  const random = options.random ?? Math.random;
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

  async function note(message: ClaimedMessage, type: 'notification.delivered' | 'notification.dead_lettered', at: number, text: string) {
    await engine.recordNote(message.leadId, { type, id: `${type}:${message.id}`, at, notes: [text] });
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
    if (result.status === 'delivered') {
      // History first, then the acknowledgement: a crash in between redelivers, and the note is idempotent.
      // A note that cannot be written (the lead keeps changing) must not hold back the acknowledgement.
      await note(
        message,
        'notification.delivered',
        now,
        `${message.kind} notification delivered by ${notifier?.channel ?? message.channel} to ${to} (attempt ${attempt})`,
      ).catch((error: unknown) => console.error(`[leadline] delivery of ${message.id} not recorded in the history`, error));
      await store.ackOutbox(message);
      round.delivered++;
      return;
    }
    if (result.status === 'retry' && attempt < settings.maxAttempts) {
      const wait = retryDelay(attempt, { baseMs: settings.baseDelayMs, maxMs: settings.maxDelayMs }, random, result.retryAfterMs);
      await store.retryOutbox(message, { retryAt: now + wait, error: result.error });
      round.retried++;
      return;
    }
    const why = result.status === 'retry' ? `gave up after ${attempt} attempts: ${result.error}` : result.error;
    await note(
      message,
      'notification.dead_lettered',
      now,
      `${message.kind} notification to ${to} by ${message.channel} not delivered (${why}): dead-lettered`,
    ).catch((error: unknown) => console.error(`[leadline] dead letter of ${message.id} not recorded in the history`, error));
    await store.deadLetterOutbox(message, { error: why });
    round.deadLettered++;
  }

  async function runOnce(now: number = clock.now()): Promise<DispatchRound> {
    const round: DispatchRound = { delivered: 0, retried: 0, deadLettered: 0 };
    for (;;) {
      const claimed = await store.claimOutbox(tenantId, now, { limit: settings.batchSize, leaseMs: settings.leaseMs });
      if (claimed.length === 0) return round;
      for (const message of claimed) await handle(message, now, round);
    }
  }

  // A failed claim or acknowledgement must not end the worker: the leases bring the messages back.
  const worker = pollingLoop(clock, runOnce, (error) => console.error('[leadline] a dispatcher round failed', error));

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
