import { ConfigError, createEngine, firstTouchSla, MemoryRepDirectory, nurtureRecycle, routingPolicy, slaPolicy } from '@leadline/core';
import { createTimeline, VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const at = (iso: string) => Date.parse(`2026-03-02T${iso}:00Z`);

const directoryRouting = routingPolicy({ pools: [{ name: 'everyone', reps: 'directory', method: 'least_loaded' }] });

describe('a lead no rep can take', () => {
  it('lead arrives Mon 09:00, both reps full or away: the history says why, the managers hear once, routing retries every 15m until ann has room', async () => {
    const reps = new MemoryRepDirectory({
      default: [
        { id: 'ann', manager: 'maria', capacity: 1 },
        { id: 'bob', manager: 'mike', timeOff: [{ from: '2026-03-01T00:00:00Z', to: '2026-03-09T00:00:00Z' }] },
      ],
    });
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps, policies: { routing: directoryRouting, sla: firstTouchSla({ within: '1h' }) } });
    const first = await t.capture({ source: 'demo_request' });
    expect((await t.lead(first)).owner).toBe('ann');

    const second = await t.capture({ source: 'demo_request' });
    let view = await t.lead(second);
    expect(view.owner).toBeUndefined();
    const unrouted = view.history.find((entry) => entry.event === 'lead.unrouted');
    expect(unrouted?.notes[0]).toMatch(
      /no rep can take the lead: pools full: everyone \(ann \(at capacity 1\), bob \(time off\)\); routing again 2026-03-02T09:15Z/,
    );
    expect(view.deadlines.map((deadline) => [deadline.timerId, deadline.dueAt])).toContainEqual(['route', '2026-03-02T09:15Z']);
    // The SLA keeps running while nobody owns the lead.
    expect(view.deadlines.map((deadline) => deadline.timerId)).toContain('sla:first_touch');
    const outbox = await t.engine.store.pendingOutbox('default', 100);
    const told = outbox.filter((message) => message.kind === 'lead.unrouted');
    expect(told.map((message) => message.to)).toEqual([['maria', 'mike']]);

    // Two retries find nobody (and tell nobody again); then ann's lead closes and the next retry routes to her.
    await t.advance('30m');
    view = await t.lead(second);
    expect(view.history.filter((entry) => entry.event === 'routing.retry_due').map((entry) => entry.at)).toEqual(['2026-03-02T09:15Z', '2026-03-02T09:30Z']);
    await t.send(first, { type: 'lead.converted' });
    await t.advance('15m');
    view = await t.lead(second);
    expect(view.owner).toBe('ann');
    expect(view.deadlines.map((deadline) => deadline.timerId)).not.toContain('route');
    expect((await t.engine.store.pendingOutbox('default', 100)).filter((message) => message.kind === 'lead.unrouted')).toHaveLength(1);
  });

  it('re-routes on the business calendar and tells a named audience when one is configured', async () => {
    const reps = new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria', available: false }] });
    const engine = createEngine({
      clock: new VirtualClock(at('09:00')),
      reps,
      audiences: { sales_queue: ['queue-owner@example.com'] },
      rerouting: { every: '1h', audience: 'team:sales_queue' },
      policies: { routing: directoryRouting },
    });
    const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'chat', contact: {} });
    const view = await engine.get(leadId);
    expect(view.deadlines.find((deadline) => deadline.timerId === 'route')?.dueAt).toBe('2026-03-02T10:00Z');
    const outbox = await engine.store.pendingOutbox('default', 10);
    expect(outbox.filter((message) => message.kind === 'lead.unrouted').map((message) => message.to)).toEqual([['queue-owner@example.com']]);
  });

  it('a rep directory with no rep for the engine tenant is a ConfigError at the first capture, and nothing is written', async () => {
    const engine = createEngine({ tenantId: 'acme', reps: new MemoryRepDirectory({ default: [{ id: 'ann' }] }), policies: { routing: directoryRouting } });
    const error = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'chat', contact: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({ path: ['reps'], code: 'no_reps' });
    expect(await engine.store.listLeads({ tenantId: 'acme' })).toEqual([]);
  });

  it('a reassignment step that finds no rep says why, and the lead stays with its owner', async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria' }] }),
      policies: {
        routing: directoryRouting,
        sla: slaPolicy({
          slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h', escalations: [{ after: '2h', action: 'reassign' }] }],
        }),
      },
    });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('2h');
    await t.expectNote(lead, /no rep to reassign to: pools full: everyone \(ann \(excluded\)\); the lead stays with ann/);
    expect((await t.lead(lead)).owner).toBe('ann');
  });
});

describe('re-routing after the workers were down', () => {
  it('tries once more and then one interval after now, instead of catching up on every missed interval', async () => {
    const clock = new VirtualClock(at('09:00'));
    const engine = createEngine({
      clock,
      reps: new MemoryRepDirectory({ default: [{ id: 'ann', available: false }] }),
      policies: { routing: directoryRouting },
    });
    const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'chat', contact: {} });
    clock.set(at('12:00')); // three hours with no worker running
    await engine.runDue();
    const view = await engine.get(leadId);
    expect(view.history.filter((entry) => entry.event === 'routing.retry_due')).toHaveLength(1);
    expect(view.deadlines.find((deadline) => deadline.timerId === 'route')?.dueAt).toBe('2026-03-02T12:15Z');
  });
});

describe('re-routing options', () => {
  it('refuse an audience that is not configured, and a zero interval, at their paths', () => {
    const problem = (options: Parameters<typeof createEngine>[0]) => {
      try {
        createEngine(options);
      } catch (error) {
        return (error as ConfigError).problems[0]?.path;
      }
      return undefined;
    };
    expect(problem({ rerouting: { audience: 'team:sales_queue' } })).toEqual(['rerouting', 'audience']);
    expect(problem({ rerouting: { every: 0 } })).toEqual(['rerouting', 'every']);
  });
});

describe('a lead no rep could take, handed back and re-engaged', () => {
  it('starts a new wait: the managers hear of it again', async () => {
    const reps = new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria', available: false }] });
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps, policies: { routing: directoryRouting, recycle: nurtureRecycle({}) } });
    const lead = await t.capture({ source: 'chat' });
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    expect((await t.lead(lead)).lead.unrouted).toBeUndefined();
    await t.advance('2d');
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
    const view = await t.lead(lead);
    expect(view.lead.unrouted).toMatchObject({ since: Date.parse('2026-03-04T09:00:00Z'), attempts: 1 });
    const told = (await t.engine.store.pendingOutbox('default', 100)).filter((message) => message.kind === 'lead.unrouted');
    expect(told).toHaveLength(2);
  });
});
