// Each preset's playbook, as a timeline.
import { complexSale, definePolicies, MemoryRepDirectory, persistentCadence, recycleAndNurture, speedToLead } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

function build(config: Parameters<typeof definePolicies>[0]) {
  const { calendars: _calendars, ...policies } = definePolicies(config);
  return policies;
}

function notesOf(view: Awaited<ReturnType<ReturnType<typeof createTimeline>['lead']>>) {
  return view.history.flatMap((entry) => entry.notes.map((note) => `${entry.at} ${note}`));
}

describe('speedToLead: hand-raisers in 5 minutes, downloads in an hour, nothing over 24 hours', () => {
  it('gives each source its target and breaches exactly at it', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: build(speedToLead()) });
    const demo = await t.capture({ source: 'demo_request' });
    const download = await t.capture({ source: 'content_download' });
    const event = await t.capture({ source: 'event' });
    await t.advance('4m');
    await t.expectNote(demo, /first_touch SLA at risk: due 2026-03-02T09:05Z/);
    await t.advance('1m');
    await t.expectNote(demo, /first_touch SLA breached at 2026-03-02T09:05Z \(first touch within 5m, not met\)/);
    await t.advance('55m');
    await t.expectNote(download, /first_touch SLA breached at 2026-03-02T10:00Z \(first touch within 1h, not met\)/);
    await t.touch(event, 'call', 'connected');
    await t.advance('2d');
    await t.expectNoNote(event, /first_touch SLA breached/);
    // Nobody took the demo request: the whole hand-over took longer than 24 hours too.
    await t.expectNote(demo, /hand_over SLA breached at 2026-03-03T09:00Z/);
    await t.expectNote(demo, /first_touch SLA escalation: manager notified at 1d/);
  });
});

describe('complexSale: qualified in 2 hours, followed up in 8, manager at 24, reassigned at 48', () => {
  const reps = () =>
    new MemoryRepDirectory({
      default: [
        { id: 'ann', capacity: 30, manager: 'maria' },
        { id: 'bob', capacity: 20, manager: 'maria' },
        { id: 'cho', capacity: 5, manager: 'mike' },
      ],
    });
  // The preset sends the qualification SLA's warning and breach to this team.
  const audiences = { qualification: ['qa-desk'] };

  it('in business hours of a Europe/Berlin calendar', async () => {
    // Monday 2026-03-02 10:00 in Berlin is 09:00 UTC; the team works Monday to Friday 09:00-17:00.
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps: reps(), audiences, policies: build(complexSale()) });
    const lead = await t.capture({ source: 'webinar', contact: { name: 'Ada Lovelace', email: 'ada@analytical.example' } });
    await t.expectState(lead, 'qualifying');
    await t.at('Mon 10:30'); // 11:30 in Berlin
    await t.send(lead, { type: 'lead.qualified', by: 'central-team' });
    let view = await t.lead(lead);
    expect(view.owner).toBe('ann'); // the most spare capacity
    await t.at('Wed 09:00');
    await t.at('2026-03-11T00:00:00Z');
    view = await t.lead(lead);
    expect(view.owner).toBe('bob'); // the most spare capacity, not the first rep
    expect(notesOf(view)).toEqual(
      expect.arrayContaining([
        '2026-03-02T09:00Z captured from webinar; qualification within 2h of business hours (sales): due 2026-03-02T11:00Z',
        '2026-03-02T10:30Z qualification SLA met in 1h 30m (qualification within 2h of business hours (sales))',
        '2026-03-02T10:30Z assigned to ann (routing: sales, most spare capacity: 0 of 30 open, 0 assigned before)',
        '2026-03-02T10:30Z follow up within 8h of business hours (sales): due 2026-03-03T10:30Z',
        '2026-03-03T10:30Z follow_up SLA breached at 2026-03-03T10:30Z (follow up within 8h of business hours (sales), not met); ann notified',
        '2026-03-05T10:30Z follow_up SLA escalation: manager notified at 24h; the manager of ann notified',
        '2026-03-10T10:30Z follow_up SLA escalation: reassigned at 48h; to be reassigned, not to ann',
        '2026-03-10T10:30Z reassigned from ann to bob (follow_up SLA escalation: reassigned at 48h; routing: sales, most spare capacity: 0 of 20 open, 0 assigned before)',
      ]),
    );
    const outbox = await t.engine.store.pendingOutbox('default', 100);
    expect(outbox.filter((message) => message.kind === 'sla.escalated').map((message) => message.to)).toEqual([['maria']]);
  });

  it('in calendar time, when configured so', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps: reps(), audiences, policies: build(complexSale({ time: 'calendar' })) });
    const lead = await t.capture({ source: 'webinar' });
    await t.at('Mon 10:30');
    await t.send(lead, { type: 'lead.qualified' });
    await t.advance('3d');
    const notes = notesOf(await t.lead(lead));
    expect(notes).toEqual(
      expect.arrayContaining([
        '2026-03-02T18:30Z follow_up SLA breached at 2026-03-02T18:30Z (follow up within 8h, not met); ann notified',
        '2026-03-03T10:30Z follow_up SLA escalation: manager notified at 1d; the manager of ann notified',
        '2026-03-04T10:30Z follow_up SLA escalation: reassigned at 2d; to be reassigned, not to ann',
      ]),
    );
  });
});

describe('persistentCadence: 7 touches over three weeks, stopping at once on a reply', () => {
  it('reminds the owner seven times over 17 days, then recycles with no_response', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: build({ ...persistentCadence(), ...recycleAndNurture() }) });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    // The rep works every reminder half an hour later: one touch per step, no answer.
    const reminders = async () => (await t.lead(lead)).history.filter((entry) => entry.notes[0]?.startsWith('touch due')).length;
    const channels: string[] = [];
    while ((await reminders()) < 7) {
      const due = (await t.lead(lead)).nextTouch;
      if (!due) break;
      const before = await reminders();
      await t.at(due.dueAt.replace('Z', ':00Z'));
      if ((await reminders()) === before) continue; // postponed: the last touch was less than 2 hours ago
      channels.push(due.channel ?? '?');
      await t.advance('30m');
      await t.touch(lead, due.channel === 'social' ? 'social' : due.channel === 'email' ? 'email' : 'call', due.channel === 'call' ? 'voicemail' : 'sent');
    }
    expect(channels).toEqual(['call', 'email', 'call', 'social', 'call', 'email', 'call']);
    await t.advance('5d');
    const view = await t.lead(lead);
    expect(view.state).toBe('recycled');
    expect(view.lead.touches).toBe(7);
    expect(view.lead.recycle.reason).toBe('no_response');
    // 17 days of steps and 4 to answer, plus the 1h30m the second step waited for the 2-hour gap.
    expect(view.history.find((entry) => entry.to === 'recycled')?.at).toBe('2026-03-23T10:30Z');
  });

  it('stops at once on a reply', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: build(persistentCadence()) });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('2d');
    await t.send(lead, { type: 'prospect.replied', channel: 'email' });
    await t.advance('30d');
    const view = await t.lead(lead);
    expect(view.lead.cadence).toMatchObject({ status: 'stopped', stopReason: 'prospect replied' });
    expect(view.history.filter((entry) => entry.event === 'cadence.step_due')).toHaveLength(3);
  });
});

describe('recycleAndNurture: re-checked at 3, 6 and 12 months, re-engaged on intent, at most 3 recycles', () => {
  it('walks a lead through its recycles and closes it after the third', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: build(recycleAndNurture()) });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    await t.advance('90d');
    await t.expectState(lead, 'new'); // re-checked at 3 months
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    await t.advance('30d');
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
    await t.expectState(lead, 'new'); // new intent before the 6-month re-check
    await t.send(lead, { type: 'lead.recycled', reason: 'timing' });
    expect((await t.lead(lead)).deadlines[0]?.dueAt).toBe('2026-09-28T09:00Z'); // 90 days after this hand-back
    await t.send(lead, { type: 'activity.recorded', activity: 'webinar', score: 85 });
    await t.send(lead, { type: 'lead.recycled', reason: 'timing' });
    const view = await t.lead(lead);
    expect(view.state).toBe('disqualified');
    expect(view.lead.disqualifiedReason).toBe('max_recycles:timing');
    expect(view.lead.recycle).toMatchObject({ count: 3, reengaged: 3 });
  });
});
