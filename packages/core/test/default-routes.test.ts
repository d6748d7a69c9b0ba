// Where messages go when the routes do not say: one notifier takes everything; with several, a kind
// left to the `default` channel that no notifier serves, or a route to an unknown channel, fails when
// the dispatcher is created instead of dead-lettering at run time.
import {
  ConfigError,
  complexSale,
  createDispatcher,
  definePolicies,
  MemoryRepDirectory,
  NOTIFICATION_KINDS,
  type Notification,
  type NotificationRoutesConfig,
  type Notifier,
  slaPolicy,
} from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { configProblemsOf } from './config-problems.js';

function recorder(channel: string) {
  const got: Notification[] = [];
  const notifier: Notifier = {
    channel,
    async deliver(notification) {
      got.push(notification);
      return { status: 'delivered' };
    },
  };
  return { notifier, got };
}

const sla = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '5m' }] });

async function breached(notificationRoutes?: NotificationRoutesConfig) {
  const t = createTimeline({
    start: 'Mon 2026-03-02 09:00',
    reps: new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria' }] }),
    policies: { sla },
    ...(notificationRoutes && { notificationRoutes }),
  });
  const lead = await t.capture({ source: 'demo_request' });
  await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
  await t.advance('5m');
  return { t, lead };
}

/** Every kind the outbox carries (digests are sent on demand) but `except`, to one channel. */
function everyKindTo(channel: string, except: readonly string[] = []): NotificationRoutesConfig {
  const kinds = NOTIFICATION_KINDS.filter((kind) => kind !== 'daily.digest' && !except.includes(kind));
  return Object.fromEntries(kinds.map((kind) => [kind, [{ channel }]]));
}

describe('one notifier', () => {
  it('gets every message when there are no routes: nothing is dead-lettered for want of a "default" notifier', async () => {
    const { t, lead } = await breached();
    const webhook = recorder('webhook');
    expect(await createDispatcher({ engine: t.engine, notifiers: [webhook.notifier] }).runOnce()).toEqual({
      delivered: 2,
      retried: 0,
      deadLettered: 0,
      errors: 0,
    });
    expect(webhook.got.map((n) => [n.kind, n.channel, n.to])).toEqual([
      ['lead.assigned', 'default', ['ann']],
      ['sla.breached', 'default', ['ann']],
    ]);
    expect(await t.engine.store.deadLetters('default', 10)).toEqual([]);
    await t.expectNote(lead, /sla\.breached notification delivered by webhook to ann \(attempt 1\)/);
  });

  it('gets every message whatever channel its route names', async () => {
    const { t } = await breached({ 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }] });
    const email = recorder('email');
    expect(await createDispatcher({ engine: t.engine, notifiers: [email.notifier] }).runOnce()).toMatchObject({ delivered: 3, deadLettered: 0 });
    expect(email.got.map((n) => [n.kind, n.channel, n.to])).toEqual([
      ['lead.assigned', 'default', ['ann']],
      ['sla.breached', 'slack', ['ann']],
      ['sla.breached', 'email', ['maria']],
    ]);
  });
});

describe('several notifiers', () => {
  it('refuse, at creation, routes that leave kinds to a "default" channel no notifier has, naming each kind', async () => {
    const { t } = await breached({ 'sla.breached': [{ channel: 'slack' }], 'lead.assigned': [{ channel: 'email' }] });
    const notifiers = [recorder('slack').notifier, recorder('email').notifier];
    expect(() => createDispatcher({ engine: t.engine, notifiers })).toThrow(ConfigError);
    const problems = configProblemsOf(() => createDispatcher({ engine: t.engine, notifiers }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual([
      'lead.reassigned',
      'lead.unrouted',
      'sla.warning',
      'sla.escalated',
      'touch.due',
      'touch.missed',
      'lead.reengaged',
    ]);
    expect(problems[0]?.message).toMatch(/no route, so it would go to the "default" channel, which no notifier has \(the notifiers' channels: slack, email\)/);
    expect(() => createDispatcher({ engine: t.engine, notifiers })).toThrow(/sla\.warning: has no route/);

    // Fixed either way: a notifier for "default" takes the unrouted kinds, or every kind is routed.
    const fallback = recorder('default');
    const round = await createDispatcher({ engine: t.engine, notifiers: [...notifiers, fallback.notifier] }).runOnce();
    expect(round).toEqual({ delivered: 2, retried: 0, deadLettered: 0, errors: 0 });
    const fully = await breached({ ...everyKindTo('email'), 'sla.breached': [{ channel: 'slack' }] });
    expect(() => createDispatcher({ engine: fully.t.engine, notifiers })).not.toThrow();
  });

  it('refuse, at creation, a route to a channel no notifier has, naming the kind, the index and the channel', async () => {
    const { t } = await breached({ ...everyKindTo('email'), 'sla.breached': [{ channel: 'email' }, { channel: 'sms' }] });
    const problems = configProblemsOf(() => createDispatcher({ engine: t.engine, notifiers: [recorder('email').notifier, recorder('slack').notifier] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toEqual(['sla.breached', 1, 'channel']);
    expect(problems[0]?.message).toMatch(/names channel "sms", which no notifier has \(the notifiers' channels: email, slack\)/);
  });

  it('check the preset\'s routes too: they use the "default" channel', () => {
    const { calendars: _calendars, ...policies } = definePolicies(complexSale());
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies, audiences: { qualification: ['qa-desk'] }, notificationRoutes: everyKindTo('email') });
    // The engine's routes replace the preset's kind by kind: all of them here.
    expect(t.engine.routes['sla.warning']).toEqual([{ channel: 'email' }]);
    const withPreset = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      policies,
      audiences: { qualification: ['qa-desk'] },
      notificationRoutes: everyKindTo('email', ['sla.warning', 'sla.breached']),
    });
    expect(withPreset.engine.routes['sla.warning']).toEqual([{ channel: 'default', unowned: 'team:qualification' }]);
    const notifiers = [recorder('email').notifier, recorder('slack').notifier];
    expect(configProblemsOf(() => createDispatcher({ engine: withPreset.engine, notifiers })).map((problem) => problem.path.join('.'))).toEqual([
      'sla.warning.0.channel',
      'sla.breached.0.channel',
    ]);
    expect(() => createDispatcher({ engine: withPreset.engine, notifiers: [...notifiers, recorder('default').notifier] })).not.toThrow();
  });
});
