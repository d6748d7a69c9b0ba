import {
  createDispatcher,
  createEngine,
  type DeliveryResult,
  type Engine,
  LeadlineError,
  type LeadStore,
  MemoryRepDirectory,
  MemoryStore,
  type Notification,
  type Notifier,
  type OutboxRecord,
  slaPolicy,
  systemClock,
  ValidationError,
} from '@leadline/core';
import { deliveryResultOf } from '@leadline/core/adapter-kit';
import { createTimeline, describeNotifier } from '@leadline/core/testing';
import { describe, expect, it, vi } from 'vitest';

/** A notifier that answers from a script and remembers what it got. */
function scripted(channel: string, answers: DeliveryResult['status'][] = []) {
  const got: Notification[] = [];
  const notifier: Notifier = {
    channel,
    async deliver(notification) {
      got.push(notification);
      const status = answers.shift() ?? 'delivered';
      if (status === 'delivered') return { status };
      return status === 'retry' ? { status, error: 'HTTP 503' } : { status, error: 'HTTP 400' };
    },
  };
  return { notifier, got };
}

const sla = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '5m' }] });
const reps = () => new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria' }] });

async function breachedLead(options: Partial<Parameters<typeof createTimeline>[0]> = {}) {
  const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps: reps(), policies: { sla }, ...options });
  const lead = await t.capture({
    source: 'demo_request',
    campaign: 'spring',
    contact: { name: '<script>alert(1)</script>', company: 'ACME', email: 'ada@acme.example' },
  });
  await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
  await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
  await t.advance('5m');
  return { t, lead };
}

describe('the dispatcher', () => {
  it("routes a breach to Slack and to the manager by email, with the lead's context, escaped", async () => {
    const { t, lead } = await breachedLead({
      notificationRoutes: { 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }], 'lead.assigned': [{ channel: 'email' }] },
    });
    const slack = scripted('slack');
    const email = scripted('email');
    // Several notifiers: the kinds this test does not route need a `default` one.
    const round = await createDispatcher({ engine: t.engine, notifiers: [slack.notifier, email.notifier, scripted('default').notifier] }).runOnce();
    expect(round).toEqual({ delivered: 3, retried: 0, deadLettered: 0, errors: 0 });
    expect(slack.got.map((n) => [n.kind, n.to])).toEqual([['sla.breached', ['ann']]]);
    expect(email.got.map((n) => [n.kind, n.to])).toEqual([
      ['lead.assigned', ['ann']],
      ['sla.breached', ['maria']],
    ]);
    const breach = email.got[1] as Notification;
    expect(breach.lead).toMatchObject({ source: 'demo_request', campaign: 'spring', owner: 'ann', activities: [{ activity: 'pricing_page_visit' }] });
    expect(breach.lead?.sla).toMatchObject({ name: 'first_touch', timeLeft: '0s' });
    expect(breach.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(breach.html).not.toContain('<script>');
    expect(breach.text).toMatch(/Source: demo_request \/ spring/);
    await t.expectNote(lead, /sla.breached notification delivered by email to maria \(attempt 1\)/);
  });

  it('retries retryable failures with backoff, the same key each time, and delivers', async () => {
    const { t, lead } = await breachedLead({ notificationRoutes: { 'sla.breached': [{ channel: 'webhook' }] } });
    const webhook = scripted('webhook', ['retry', 'retry', 'delivered']);
    const dispatcher = createDispatcher({
      engine: t.engine,
      notifiers: [webhook.notifier, scripted('default').notifier],
      baseDelayMs: 1000,
      random: () => 0.5,
    });
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    await t.advance('749ms'); // 1 s with jitter 0.5 -> 750 ms
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 0, delivered: 0 });
    await t.advance('1ms');
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    await t.advance('1500ms'); // 2 s with jitter 0.5
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
    expect(new Set(webhook.got.map((n) => n.idempotencyKey)).size).toBe(1);
    expect(webhook.got).toHaveLength(3);
    await t.expectNote(lead, /delivered by webhook to ann \(attempt 3\)/);
  });

  it('dead-letters a permanent refusal after one try, and a retryable one after the maximum', async () => {
    const { t, lead } = await breachedLead({ notificationRoutes: { 'sla.breached': [{ channel: 'webhook' }, { channel: 'sms' }] } });
    const webhook = scripted('webhook', ['failed']);
    // Redeployed without the sms route (a route to a channel no notifier has fails at creation): what
    // was queued for sms before is still dead-lettered.
    const redeployed = createEngine({
      store: t.engine.store,
      clock: t.engine.clock,
      reps: reps(),
      policies: { sla },
      notificationRoutes: { 'sla.breached': [{ channel: 'webhook' }] },
    });
    const dispatcher = createDispatcher({ engine: redeployed, notifiers: [webhook.notifier, scripted('default').notifier], maxAttempts: 2 });
    expect(await dispatcher.runOnce()).toMatchObject({ deadLettered: 2 }); // webhook refused; sms has no notifier
    expect(webhook.got).toHaveLength(1);
    const dead = await t.engine.store.deadLetters('default', 10);
    expect(dead.map((message) => [message.channel, message.lastError])).toEqual([
      ['webhook', 'HTTP 400'],
      ['sms', 'no notifier for channel "sms"'],
    ]);
    await t.expectNote(lead, /not delivered \(HTTP 400\): dead-lettered/);

    const flaky = scripted('default', ['retry', 'retry', 'retry', 'retry']); // two messages (assigned, breached), two tries each
    const second = await breachedLead();
    const round = async () => createDispatcher({ engine: second.t.engine, notifiers: [flaky.notifier], maxAttempts: 2, random: () => 0 }).runOnce();
    await round();
    await second.t.advance('1h');
    await round();
    expect((await second.t.engine.store.deadLetters('default', 10)).map((message) => message.lastError)).toContain('gave up after 2 attempts: HTTP 503');
  });

  it('lists its dead letters, re-queues one once the receiver is fixed (it is delivered, once), and discards another', async () => {
    const { t } = await breachedLead({ notificationRoutes: { 'sla.breached': [{ channel: 'webhook' }] } });
    const webhook = scripted('webhook', ['failed']);
    const dispatcher = createDispatcher({ engine: t.engine, notifiers: [webhook.notifier, scripted('default', ['failed']).notifier] });
    expect(await dispatcher.runOnce()).toMatchObject({ deadLettered: 2 });
    const dead = await dispatcher.deadLetters();
    expect(dead.map((message) => [message.channel, message.lastError])).toEqual([
      ['default', 'HTTP 400'],
      ['webhook', 'HTTP 400'],
    ]);
    const [assigned, breached] = dead as [OutboxRecord, OutboxRecord];
    expect(await dispatcher.deadLetters({ limit: 1 })).toHaveLength(1);

    // The receiver fixed: the breach goes out again, with the same idempotency key.
    expect(await dispatcher.requeue(breached.id)).toBe(true);
    expect(await dispatcher.requeue(breached.id)).toBe(false);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, deadLettered: 0, errors: 0 });
    expect(webhook.got.map((notification) => notification.idempotencyKey)).toEqual([breached.id, breached.id]);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, deadLettered: 0, errors: 0 });

    expect(await dispatcher.discard(assigned.id)).toBe(true);
    expect(await dispatcher.discard(assigned.id)).toBe(false);
    expect(await dispatcher.deadLetters()).toEqual([]);
  });

  it('redelivers with the same key after a crash between delivery and acknowledgement', async () => {
    const { t, lead } = await breachedLead({ notificationRoutes: { 'sla.breached': [{ channel: 'webhook' }] } });
    const webhook = scripted('webhook');
    const store = t.engine.store;
    const ack = store.ackOutbox.bind(store);
    let crash = true;
    store.ackOutbox = (message) => {
      if (crash && message.channel === 'webhook') {
        crash = false;
        throw new Error('process killed');
      }
      return ack(message);
    };
    const reported: unknown[] = [];
    const dispatcher = createDispatcher({
      engine: t.engine,
      notifiers: [webhook.notifier, scripted('default').notifier],
      leaseMs: 60_000,
      onError: (error) => reported.push(error),
    });
    expect(await dispatcher.runOnce()).toMatchObject({ errors: 1 });
    expect(reported).toMatchObject([{ message: 'process killed' }]);
    await t.advance('61s'); // the dead dispatcher's lease ends
    await dispatcher.runOnce();
    expect(webhook.got.map((n) => n.idempotencyKey)).toEqual([webhook.got[0]?.idempotencyKey, webhook.got[0]?.idempotencyKey]);
    // The delivery is in the history once.
    expect((await t.lead(lead)).history.filter((entry) => entry.event === 'notification.delivered' && entry.notes[0]?.includes('webhook'))).toHaveLength(1);
  });

  it("uses the application's templates where given", async () => {
    const { t } = await breachedLead();
    const email = scripted('default');
    await createDispatcher({
      engine: t.engine,
      notifiers: [email.notifier],
      templates: { 'sla.breached': { subject: ({ lead }) => `Breach: ${lead.leadId}` } },
    }).runOnce();
    expect(email.got.map((n) => n.subject)).toEqual(['New lead for you: <script>alert(1)</script>, ACME', 'Breach: lead-1']);
  });

  it('refuses two notifiers for one channel', async () => {
    const { t } = await breachedLead();
    expect(() => createDispatcher({ engine: t.engine, notifiers: [scripted('email').notifier, scripted('email').notifier] })).toThrow(ValidationError);
  });
});

// The conformance suite, on an in-memory receiver: the kit itself is exercised here.
describeNotifier('in-memory receiver', {
  failures: true,
  async create() {
    const keys: { idempotencyKey: string }[] = [];
    let refuse: 'transient' | 'permanent' | undefined;
    return {
      notifier: {
        channel: 'memory',
        async deliver(notification) {
          const mode = refuse;
          refuse = undefined;
          if (mode === 'transient') return { status: 'retry', error: 'busy' };
          if (mode === 'permanent') return { status: 'failed', error: 'rejected' };
          keys.push({ idempotencyKey: notification.idempotencyKey });
          return { status: 'delivered' };
        },
      },
      received: async () => keys,
      failNext: (mode) => {
        refuse = mode;
      },
    };
  },
});

describe('the daily digest', () => {
  it('sends each rep their open leads, the overdue ones first, escaped, once per rep and day', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla } });
    const late = await t.capture({ source: 'demo_request', contact: { name: '<b>Ada</b>', company: 'ACME' } });
    await t.send(late, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('10m');
    const fresh = await t.capture({ source: 'web', contact: { name: 'Bo' } });
    await t.send(fresh, { type: 'lead.assigned', owner: 'ann' });
    const other = await t.capture({ source: 'web' });
    await t.send(other, { type: 'lead.assigned', owner: 'bob' });
    await t.send(other, { type: 'lead.converted' });
    const email = scripted('email');
    const result = await createDispatcher({ engine: t.engine, notifiers: [email.notifier] }).sendDailyDigests();
    expect(result).toEqual({ delivered: 1, failed: [] });
    const [digest] = email.got;
    expect(digest).toMatchObject({
      kind: 'daily.digest',
      to: ['ann'],
      idempotencyKey: 'digest:default:ann:2026-03-02',
      subject: 'Your leads on 2026-03-02: 2 open, 1 overdue',
    });
    expect(digest?.leads?.map((lead) => lead.leadId)).toEqual([late, fresh]);
    expect(digest?.text).toMatch(/- <b>Ada<\/b>, ACME \(demo_request, assigned\); first touch within 5m: overdue by 5m/);
    expect(digest?.html).toContain('&lt;b&gt;Ada&lt;/b&gt;');
    await expect(createDispatcher({ engine: t.engine, notifiers: [email.notifier] }).sendDailyDigests(undefined, { channel: 'sms' })).rejects.toThrow(
      ValidationError,
    );
  });
});

const followUp = slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h' }] });

describe('the dispatcher and a broken template', () => {
  it('a message whose template throws is retried alone; the rest of the round is delivered', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: followUp } });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.send(lead, { type: 'lead.reassigned', owner: 'bob' });
    const got: string[] = [];
    const notifier: Notifier = {
      channel: 'default',
      deliver: async (n) => {
        got.push(n.kind);
        return { status: 'delivered' };
      },
    };
    const dispatcher = createDispatcher({
      engine: t.engine,
      notifiers: [notifier],
      templates: {
        'lead.assigned': {
          subject: () => {
            throw new Error('template bug');
          },
        },
      },
    });
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 1, deadLettered: 0, errors: 0 });
    expect(got).toEqual(['lead.reassigned']);
    expect((await t.engine.store.pendingOutbox('default', 10)).map((m) => [m.kind, m.lastError])).toEqual([
      ['lead.assigned', 'rendering failed: template bug'],
    ]);
  });
});

/**
 * The memory store with PostgreSQL's range: an instant past a `bigint` (or past what a number holds
 * exactly) fails the statement, as `retryOutbox` did on the server with `Retry-After: 99999999999999999999`.
 */
function bigintStrict(store: LeadStore): LeadStore {
  const retry = store.retryOutbox.bind(store);
  store.retryOutbox = (message, update) => {
    if (!Number.isSafeInteger(update.retryAt)) throw new Error(`value "${update.retryAt}" is out of range for type bigint`);
    return retry(message, update);
  };
  return store;
}

/** A lead with two messages on the default channel: `lead.assigned`, then `lead.reassigned`. */
async function twoMessages() {
  const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: followUp } });
  const lead = await t.capture({ source: 'web' });
  await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
  await t.send(lead, { type: 'lead.reassigned', owner: 'bob' });
  return { t, lead };
}

/** A receiver that answers `lead.assigned` with a 503 and this `Retry-After`, and takes the rest. */
function busyWith(retryAfter: string, now: () => number) {
  const got: string[] = [];
  const notifier: Notifier = {
    channel: 'default',
    deliver: async (n) => {
      got.push(n.kind);
      return n.kind === 'lead.assigned' ? deliveryResultOf(503, retryAfter, 'maintenance', now()) : { status: 'delivered' };
    },
  };
  return { notifier, got };
}

describe('the dispatcher and a receiver that asks for a long wait', () => {
  it('Retry-After: 99999999999999999999 at 09:00 is one retry parked until 10:00 (the cap); the round goes on', async () => {
    const { t } = await twoMessages();
    bigintStrict(t.engine.store);
    const receiver = busyWith('99999999999999999999', () => t.now);
    const dispatcher = createDispatcher({ engine: t.engine, notifiers: [receiver.notifier] });
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 1, deadLettered: 0, errors: 0 });
    expect(receiver.got).toEqual(['lead.assigned', 'lead.reassigned']);
    expect((await t.engine.store.pendingOutbox('default', 10)).map((m) => [m.kind, m.attempts, m.availableAt - t.now])).toEqual([
      ['lead.assigned', 1, 3_600_000],
    ]);
    // The next round does not meet it again before its time.
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, deadLettered: 0, errors: 0 });
  });

  it('Retry-After: 31536000 (a year) parks a message for maxRetryAfterMs, counts each try, and dead-letters after the last', async () => {
    const { t } = await twoMessages();
    const receiver = busyWith('31536000', () => t.now);
    const dispatcher = createDispatcher({ engine: t.engine, notifiers: [receiver.notifier], maxAttempts: 2, maxRetryAfterMs: 10 * 60_000 });
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1, retried: 1 });
    expect((await t.engine.store.pendingOutbox('default', 10)).map((m) => [m.attempts, m.availableAt - t.now])).toEqual([[1, 600_000]]);
    await t.advance('10m');
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 0, deadLettered: 1 });
    expect((await t.engine.store.deadLetters('default', 10)).map((m) => [m.kind, m.attempts, m.lastError])).toEqual([
      ['lead.assigned', 2, 'gave up after 2 attempts: HTTP 503: maintenance'],
    ]);
  });

  it('a Retry-After under the cap (120 s) is waited out as asked', async () => {
    const { t } = await twoMessages();
    const receiver = busyWith('120', () => t.now);
    await createDispatcher({ engine: t.engine, notifiers: [receiver.notifier], random: () => 0 }).runOnce();
    expect((await t.engine.store.pendingOutbox('default', 10)).map((m) => m.availableAt - t.now)).toEqual([120_000]);
  });

  it('refuses a maxRetryAfterMs that is not a positive whole number of ms', async () => {
    const { t } = await twoMessages();
    expect(() => createDispatcher({ engine: t.engine, notifiers: [scripted('default').notifier], maxRetryAfterMs: 0 })).toThrow(ValidationError);
  });
});

describe('the dispatcher and one message it cannot settle', () => {
  it('an acknowledgement that fails goes to onError with its message; the rest of the round is delivered', async () => {
    const { t } = await twoMessages();
    const store = t.engine.store;
    const ack = store.ackOutbox.bind(store);
    store.ackOutbox = (message) => {
      if (message.kind === 'lead.assigned') throw new Error('connection reset');
      return ack(message);
    };
    const reported: [string, string | undefined][] = [];
    const receiver = scripted('default');
    const dispatcher = createDispatcher({
      engine: t.engine,
      notifiers: [receiver.notifier],
      leaseMs: 60_000,
      onError: (error, message) => reported.push([(error as Error).message, message?.kind]),
    });
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, deadLettered: 0, errors: 1 });
    expect(receiver.got.map((n) => n.kind)).toEqual(['lead.assigned', 'lead.reassigned']);
    expect(reported).toEqual([['connection reset', 'lead.assigned']]);
    // Its claim holds until the lease ends; then it is delivered again, with the same key.
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 0, errors: 0 });
    store.ackOutbox = ack;
    await t.advance('60s');
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
    expect(receiver.got.map((n) => n.kind)).toEqual(['lead.assigned', 'lead.reassigned', 'lead.assigned']);
    expect(await store.pendingOutbox('default', 10)).toEqual([]);
  });
});

describe('the dispatcher reports through onError', () => {
  it('a failed worker round (no message) and a delivery its history could not record (with the message), never to the console', async () => {
    const console_ = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { t } = await twoMessages();
      const store = t.engine.store;
      const claim = store.claimOutbox.bind(store);
      let down = true;
      store.claimOutbox = (...args) => {
        if (down) {
          down = false;
          throw new Error('database unreachable');
        }
        return claim(...args);
      };
      t.engine.recordNote = async () => {
        throw new Error('disk full');
      };
      const reported: { error: unknown; message: string | undefined }[] = [];
      const receiver = scripted('default');
      const dispatcher = createDispatcher({
        engine: t.engine,
        notifiers: [receiver.notifier],
        onError: (error, message) => reported.push({ error, message: message?.kind }),
      });
      dispatcher.start({ pollIntervalMs: 1000 });
      await settle();
      expect(reported.map(({ error, message }) => [(error as Error).message, message])).toEqual([['database unreachable', undefined]]);
      await t.advance('1s');
      await settle();
      await dispatcher.stop();
      expect(receiver.got).toHaveLength(2);
      expect(await store.pendingOutbox('default', 10)).toEqual([]); // delivered: acknowledged, though not in the history
      expect(reported.slice(1).map(({ error, message }) => [error instanceof LeadlineError && error.code, message])).toEqual([
        ['notification_not_recorded', 'lead.assigned'],
        ['notification_not_recorded', 'lead.reassigned'],
      ]);
      const first = reported[1]?.error as Error;
      expect(first.message).toMatch(/^lead\.assigned notification .+ delivered, but not recorded in the history of lead .+: disk full$/);
      expect(first.cause).toMatchObject({ message: 'disk full' });
      expect(console_).not.toHaveBeenCalled();
    } finally {
      console_.mockRestore();
    }
  });
});

/** Lets the event loop run what is ready (store calls, notifier answers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * 30 leads assigned to ann at once (one `lead.assigned` each), and two dispatchers over their store on
 * the system clock, each delivering to a receiver that takes 400 ms: 12 s for one batch in a row, far
 * past the 2 s lease.
 */
describe('two dispatchers and a slow receiver', () => {
  it('30 messages, a 400 ms receiver, a 2 s lease: each message is delivered once', { timeout: 60_000 }, async () => {
    const store = new MemoryStore();
    const clock = systemClock();
    const engines = [createEngine({ store, clock }), createEngine({ store, clock })] as const;
    for (let index = 0; index < 30; index++) {
      const { leadId } = await engines[0].capture({ id: `form-${index}`, at: clock.now(), source: 'web', contact: {} });
      await engines[0].dispatch(leadId, { type: 'lead.assigned', id: `assign-${index}`, at: clock.now(), owner: 'ann' });
    }
    const deliveries = await deliverWithTwoDispatchers(engines, { leaseMs: 2_000, deliveryMs: 400 });
    expect(deliveries.size).toBe(30);
    expect([...deliveries.values()].filter((count) => count > 1)).toEqual([]);
  });
});

describe('the dispatcher and a round that takes longer than a lease', () => {
  it('runOnce(09:00) still busy at 09:01:30 claims its next batch until 09:02:30, not until 09:01 (already past)', async () => {
    const { t } = await twoMessages();
    const store = t.engine.store;
    const claim = store.claimOutbox.bind(store);
    const leasesFromClock: number[] = [];
    store.claimOutbox = async (...args) => {
      const claimed = await claim(...args);
      for (const message of claimed) leasesFromClock.push(message.leaseUntil - t.now);
      return claimed;
    };
    // Each delivery takes 90 s of the clock: longer than the 60 s lease.
    const slow: Notifier = {
      channel: 'default',
      deliver: async () => {
        t.clock.advance('90s');
        return { status: 'delivered' };
      },
    };
    const round = await createDispatcher({ engine: t.engine, notifiers: [slow], batchSize: 1, leaseMs: 60_000 }).runOnce(t.now);
    expect(round).toEqual({ delivered: 2, retried: 0, deadLettered: 0, errors: 0 });
    expect(leasesFromClock).toEqual([60_000, 60_000]);
  });
});

/** Runs a dispatcher per engine until the outbox is empty; how often each message was delivered. */
async function deliverWithTwoDispatchers(engines: readonly Engine[], { leaseMs, deliveryMs }: { leaseMs: number; deliveryMs: number }) {
  const deliveries = new Map<string, number>();
  const slow: Notifier = {
    channel: 'default',
    deliver: async (n) => {
      await new Promise((resolve) => setTimeout(resolve, deliveryMs));
      deliveries.set(n.idempotencyKey, (deliveries.get(n.idempotencyKey) ?? 0) + 1);
      return { status: 'delivered' };
    },
  };
  const dispatchers = engines.map((engine) => createDispatcher({ engine, notifiers: [slow], leaseMs }));
  for (const dispatcher of dispatchers) dispatcher.start({ pollIntervalMs: 20 });
  const store = engines[0]?.store as LeadStore;
  while ((await store.pendingOutbox('default', 1)).length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
  return deliveries;
}
