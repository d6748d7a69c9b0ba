// Named audiences (a team, a queue, a role) besides the owner and the manager, the fallback for leads
// with no owner, and the checks that keep a notification from going to nobody unnoticed.
import {
  ConfigError,
  complexSale,
  createEngine,
  definePolicies,
  MemoryRepDirectory,
  type NotificationRoutesConfig,
  notificationAudiences,
  slaPolicy,
} from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { Effects } from '../src/engine/effects.js';
import type { ResolvedAction } from '../src/engine/machine-runner.js';
import { configProblemsOf } from './config-problems.js';

function build(config: Parameters<typeof definePolicies>[0]) {
  const { calendars: _calendars, ...policies } = definePolicies(config);
  return policies;
}

const firstTouch = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '5m', warnAt: '80%' }] });
const reps = () =>
  new MemoryRepDirectory({
    default: [
      { id: 'ann', capacity: 30, manager: 'maria' },
      { id: 'bob', capacity: 20, manager: 'maria' },
    ],
  });

async function outboxOf(t: ReturnType<typeof createTimeline>) {
  return (await t.engine.store.pendingOutbox('default', 100)).map((message) => [message.kind, message.channel, message.to]);
}

describe('the complex-sale preset and the qualification team', () => {
  it("sends the qualification SLA's warning and breach to the qualification team, and the follow-up breach to the rep", async () => {
    // Monday 09:00 UTC is 10:00 in Berlin; qualification within 2 business hours, warned at 75%.
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: reps(),
      audiences: { qualification: ['qa-desk', 'qa-lead@example.com'] },
      policies: build(complexSale()),
    });
    const lead = await t.capture({ source: 'webinar', contact: { name: 'Ada Lovelace' } });
    await t.expectState(lead, 'qualifying');
    await t.at('Mon 11:00');
    await t.expectNote(lead, /qualification SLA at risk: due 2026-03-02T11:00Z/);
    await t.expectNote(lead, /qualification SLA breached at 2026-03-02T11:00Z .*; no owner yet/);
    expect(await outboxOf(t)).toEqual([
      ['sla.warning', 'default', ['qa-desk', 'qa-lead@example.com']],
      ['sla.breached', 'default', ['qa-desk', 'qa-lead@example.com']],
    ]);
    await t.expectNoNote(lead, /has no recipient/);

    // Qualified and assigned: the follow-up SLA's breach is the rep's, not the qualification team's.
    await t.at('Mon 11:30');
    await t.send(lead, { type: 'lead.qualified', by: 'qa-desk' });
    expect((await t.lead(lead)).owner).toBe('ann');
    await t.advance('1d'); // 8 business hours later: Tue 11:30 UTC
    await t.expectNote(lead, /follow_up SLA breached at 2026-03-03T11:30Z .*; ann notified/);
    const breaches = (await t.engine.store.pendingOutbox('default', 100)).filter((message) => message.kind === 'sla.breached');
    expect(breaches.map((message) => message.to)).toEqual([['qa-desk', 'qa-lead@example.com'], ['ann']]);
  });

  it('refuses the preset at createEngine when the engine has no qualification audience', () => {
    const policies = build(complexSale());
    expect(() => createEngine({ policies })).toThrow(ConfigError);
    expect(() => createEngine({ policies })).toThrow(/sla\.warning.*team "qualification".*known audiences: none/);
    const problems = configProblemsOf(() => createEngine({ policies, audiences: { sales_ops: ['ops'] } }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual([
      'policies.notificationRoutes.sla.warning.0.unowned',
      'policies.notificationRoutes.sla.breached.0.unowned',
    ]);
    expect(problems[0]?.message).toMatch(/known audiences: sales_ops/);
  });

  it("needs no qualification audience when the engine's own routes replace the preset's", () => {
    const notificationRoutes: NotificationRoutesConfig = { 'sla.warning': [{ channel: 'slack' }], 'sla.breached': [{ channel: 'slack' }] };
    const engine = createEngine({ policies: build(complexSale()), notificationRoutes });
    expect(engine.routes).toEqual(notificationRoutes);
  });

  it('carries the routes through definePolicies, checked with the rest of the config', () => {
    expect(definePolicies(complexSale()).notificationRoutes).toEqual({
      'sla.warning': [{ channel: 'default', unowned: 'team:qualification' }],
      'sla.breached': [{ channel: 'default', unowned: 'team:qualification' }],
    });
    const bad = { ...complexSale(), notificationRoutes: { 'sla.warning': [{ channel: '', unowned: 'qualification' }] } } as never;
    expect(configProblemsOf(() => definePolicies(bad)).map((problem) => problem.path.join('.'))).toEqual([
      'notificationRoutes.sla.warning.0.channel',
      'notificationRoutes.sla.warning.0.unowned',
    ]);
  });
});

describe('routes to a named audience', () => {
  it('sends to the team a route names, whoever owns the lead', async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: reps(),
      audiences: { sdr_desk: ['sdr-1', 'sdr-2'] },
      notificationRoutes: {
        'sla.breached': [
          { channel: 'slack', audience: 'team:sdr_desk' },
          { channel: 'email', audience: 'both' },
        ],
      },
      policies: { sla: firstTouch },
    });
    const lead = await t.capture({ source: 'demo_request' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('5m');
    expect((await outboxOf(t)).filter(([kind]) => kind === 'sla.breached')).toEqual([
      ['sla.breached', 'slack', ['sdr-1', 'sdr-2']],
      ['sla.breached', 'email', ['ann', 'maria']],
    ]);
  });

  it('refuses, at createEngine, a route to a team the engine does not know, naming the kind, the index and the known audiences', () => {
    const problems = configProblemsOf(() =>
      createEngine({
        audiences: { qualification: ['qa-desk'], unowned: ['ops'] },
        notificationRoutes: { 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'team:sdr_desk' }] },
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toEqual(['notificationRoutes', 'sla.breached', 1, 'audience']);
    expect(problems[0]?.message).toMatch(/route 1 of sla\.breached sends to team "sdr_desk".*known audiences: qualification, unowned/);
  });

  it('refuses audience names that are not snake_case and empty recipient lists, naming the path', () => {
    const config = { 'Qualification Team': ['qa'], sdr_desk: [], ops: [' '] };
    const problems = configProblemsOf(() => notificationAudiences(config));
    expect(problems.map((problem) => problem.path.join('.')).sort()).toEqual(['Qualification Team', 'ops.0', 'sdr_desk']);
    expect(() => createEngine({ audiences: config })).toThrow(/Invalid notification audiences/);
  });

  it('takes team:<name> as a route audience, and refuses other audiences', () => {
    const engine = createEngine({
      audiences: { sdr_desk: ['sdr-1'] },
      notificationRoutes: { 'sla.breached': [{ channel: 'email', audience: 'team:sdr_desk' }] },
    });
    expect(engine.routes).toEqual({ 'sla.breached': [{ channel: 'email', audience: 'team:sdr_desk' }] });
    const routes = {
      'sla.breached': [{ channel: 'email', audience: 'qualification' }],
      'sla.warning': [{ channel: 'email', audience: 'team:SDR desk' }],
    } as never;
    expect(configProblemsOf(() => createEngine({ notificationRoutes: routes })).map((problem) => problem.path.join('.'))).toEqual([
      'sla.breached.0.audience',
      'sla.warning.0.audience',
    ]);
  });
});

describe('a notification for the owner of a lead that has none', () => {
  it('goes to the "unowned" audience when the engine has one', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', audiences: { unowned: ['sales-ops@example.com'] }, policies: { sla: firstTouch } });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('5m');
    expect(await outboxOf(t)).toEqual([
      ['sla.warning', 'default', ['sales-ops@example.com']],
      ['sla.breached', 'default', ['sales-ops@example.com']],
    ]);
    await t.expectNoNote(lead, /has no recipient/);
  });

  it('is still queued without one, and the history says it reaches nobody', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: firstTouch } });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('5m');
    expect(await outboxOf(t)).toEqual([
      ['sla.warning', 'default', []],
      ['sla.breached', 'default', []],
    ]);
    await t.expectNote(lead, /sla\.warning notification has no recipient: the lead has no owner and no "unowned" audience is configured/);
    await t.expectNote(lead, /sla\.breached notification has no recipient: the lead has no owner and no "unowned" audience is configured/);
  });

  it("goes to the manager's route too when the owner has no manager, and the history says so", async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: reps(),
      notificationRoutes: { 'sla.breached': [{ channel: 'email', audience: 'manager' }] },
      policies: { sla: firstTouch },
    });
    const lead = await t.capture({ source: 'demo_request' });
    await t.send(lead, { type: 'lead.assigned', owner: 'zoe' }); // not in the rep directory
    await t.advance('5m');
    expect((await outboxOf(t)).filter(([kind]) => kind === 'sla.breached')).toEqual([['sla.breached', 'email', []]]);
    await t.expectNote(lead, /sla\.breached notification has no recipient: zoe has no manager in the rep directory/);
  });
});

describe("a decision's own team audience", () => {
  const notify = (audience: `team:${string}`): ResolvedAction => ({
    type: 'notify',
    params: { kind: 'lead.unrouted', to: ['maria'], summary: 'no rep can take lead-1', audience },
  });

  it('resolves through the same audiences as the routes', () => {
    const effects = new Effects('default', 'lead-1', undefined, {}, { sales_queue: ['queue@example.com'] });
    const notes = effects.collect([notify('team:sales_queue')], { at: 0, eventId: 'e1', version: 1 });
    expect(effects.outbox.map((message) => message.to)).toEqual([['queue@example.com']]);
    expect(notes).toEqual([]);
  });

  it('is noted in the history when the engine has no such audience', () => {
    const effects = new Effects('default', 'lead-1', undefined, {}, {});
    const notes = effects.collect([notify('team:sales_queue')], { at: 0, eventId: 'e1', version: 1 });
    expect(effects.outbox.map((message) => message.to)).toEqual([[]]);
    expect(notes).toEqual(['lead.unrouted notification has no recipient: no "sales_queue" audience is configured']);
  });
});
