import { slaPolicy } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { fiveMinuteSla } from './policies.js';

describe('first-touch SLA on a virtual clock', () => {
  it('breaches at exactly +5 minutes when nobody touches the lead', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: fiveMinuteSla });
    const lead = await t.capture({ source: 'demo_request' });

    await t.advance('4m59s');
    expect((await t.lead(lead)).regions?.sla).toBe('clear');

    await t.advance('1s');
    const view = await t.lead(lead);
    expect(view.regions?.sla).toBe('breached');
    const breach = view.history.find((entry) => entry.event === 'sla.breached');
    expect(breach?.at).toBe('2026-03-02T09:05Z');
    expect(view.lead.slas[0]?.breachedAt).toBe(Date.parse('2026-03-02T09:05:00Z'));
    expect(breach?.notes[0]).toMatch(/first_touch SLA breached at 2026-03-02T09:05Z \(first touch within 5m, not met\)/);
  });

  it('never breaches when touched at +3 minutes', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: fiveMinuteSla });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('3m');
    await t.touch(lead, 'call', 'connected');
    await t.advance('30d');

    const view = await t.lead(lead);
    expect(view.regions?.sla).toBe('clear');
    expect(view.lead.slas[0]).toMatchObject({ outcome: 'met', elapsedMs: 3 * 60_000 });
    expect(view.deadlines).toEqual([]);
    await t.expectNoNote(lead, /breached/);
  });

  it('records a late touch as met late, with how late it was', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: fiveMinuteSla });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('12m');
    await t.touch(lead, 'email', 'sent');
    expect((await t.lead(lead)).lead.slas[0]).toMatchObject({ outcome: 'met_late', elapsedMs: 12 * 60_000 });
    await t.expectNote(lead, /SLA met late, 7m after the deadline/);
  });

  it('pauses while snoozed and resumes with the time that was left', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: fiveMinuteSla });
    const lead = await t.capture({ source: 'event' });
    await t.advance('2m');
    await t.send(lead, { type: 'lead.snoozed', until: '2026-03-04T10:00:00Z', reason: 'call me Wednesday' });
    await t.expectState(lead, 'snoozed');
    expect((await t.lead(lead)).deadlines.map((deadline) => deadline.event)).toEqual(['snooze.ended']);

    await t.at('Wed 10:00');
    const resumed = await t.lead(lead);
    expect(resumed.state).toBe('new');
    // 3 of the 5 minutes were left when the snooze began.
    expect(resumed.deadlines).toEqual([{ timerId: 'sla:first_touch', event: 'sla.breached', dueAt: '2026-03-04T10:03Z' }]);
    await t.advance('3m');
    expect((await t.lead(lead)).regions?.sla).toBe('breached');
  });
});

const followUp = slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h' }] });

describe('SLA timers across a reassignment and pauses', () => {
  it('a reassignment whose new deadline equals the old one keeps the SLA timer', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: followUp } });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.send(lead, { type: 'lead.reassigned', owner: 'bob' }); // same instant: same deadline
    expect((await t.lead(lead)).deadlines).toEqual([{ timerId: 'sla:follow_up', event: 'sla.breached', dueAt: '2026-03-02T10:00Z' }]);
    await t.advance('1h');
    await t.expectNote(lead, /follow_up SLA breached at 2026-03-02T10:00Z/);
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
