import {
  createDispatcher,
  createEngine,
  type DeliveryResult,
  MemoryRepDirectory,
  type Notification,
  type Notifier,
  slaPolicy,
  ValidationError,
} from '@leadline/core';
import { createTimeline, describeNotifier } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

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
    expect(round).toEqual({ delivered: 3, retried: 0, deadLettered: 0 });
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
    const dispatcher = createDispatcher({ engine: t.engine, notifiers: [webhook.notifier, scripted('default').notifier], leaseMs: 60_000 });
    await expect(dispatcher.runOnce()).rejects.toThrow('process killed');
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
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 1, deadLettered: 0 });
    expect(got).toEqual(['lead.reassigned']);
    expect((await t.engine.store.pendingOutbox('default', 10)).map((m) => [m.kind, m.lastError])).toEqual([
      ['lead.assigned', 'rendering failed: template bug'],
    ]);
  });
});
