// Four bugs a review found, each pinned by a test.
import { createDispatcher, createEngine, type LeadStore, MemoryStore, type Notifier, slaPolicy } from '@leadline/core';
import { createTimeline, VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const followUp = slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h' }] });

describe('fixes', () => {
  it('a reassignment whose new deadline equals the old one keeps the SLA timer', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: followUp } });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.send(lead, { type: 'lead.reassigned', owner: 'bob' }); // same instant: same deadline
    expect((await t.lead(lead)).deadlines).toEqual([{ timerId: 'sla:follow_up', event: 'sla.breached', dueAt: '2026-03-02T10:00Z' }]);
    await t.advance('1h');
    await t.expectNote(lead, /follow_up SLA breached at 2026-03-02T10:00Z/);
  });

  it('a worker whose claim fails once keeps running and fires the timer at its next round', async () => {
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const store = new MemoryStore();
    const failures: string[] = [];
    let fail = true;
    const flaky = new Proxy(store, {
      get(target, property) {
        const member = Reflect.get(target, property, target);
        if (typeof member !== 'function') return member;
        if (property === 'claimDueTimers' && fail) {
          return () => {
            fail = false;
            throw new Error('db down');
          };
        }
        return member.bind(target);
      },
    }) as LeadStore;
    const engine = createEngine({
      store: flaky,
      clock,
      policies: { sla: followUp },
      onError: (error, timer) => failures.push(`${timer?.timerId ?? 'round'}: ${(error as Error).message}`),
    });
    const { leadId } = await engine.capture({ id: 'f1', at: clock.now(), source: 'web', contact: {} });
    await engine.dispatch(leadId, { type: 'lead.assigned', id: 'a1', at: clock.now(), owner: 'ann' });
    engine.start({ pollIntervalMs: 60_000 });
    clock.advance('1h');
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    clock.advance('1m');
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    await engine.stop();
    expect(failures[0]).toBe('round: db down');
    expect((await engine.get(leadId)).regions?.sla).toBe('breached');
  });

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

  it('a snooze that ends while the prospect is still out of office leaves the SLA paused', async () => {
    const sla = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h' }] });
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla } });
    const lead = await t.capture({ source: 'web' });
    await t.advance('10m');
    await t.send(lead, { type: 'prospect.out_of_office', until: '2026-03-04T10:00:00Z' });
    await t.advance('10m');
    await t.send(lead, { type: 'lead.snoozed', until: '2026-03-03T10:00:00Z' });
    await t.at('Wed 09:59');
    expect((await t.lead(lead)).regions?.sla).toBe('clear');
    await t.advance('1m'); // back in office at Wednesday 10:00, with the 50 minutes that were left
    expect((await t.lead(lead)).slas[0]?.dueAt).toBe(Date.parse('2026-03-04T10:50:00Z'));
    await t.advance('50m');
    expect((await t.lead(lead)).regions?.sla).toBe('breached');
  });
});
