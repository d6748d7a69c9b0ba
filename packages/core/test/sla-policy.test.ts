import { ConfigError, leastLoadedRouting, MemoryRepDirectory, slaPolicy } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const start = 'Mon 2026-03-02 09:00';

describe('SLA policy', () => {
  it('runs several SLAs on one lead at once, each met by its own event', async () => {
    const sla = slaPolicy({
      slas: [
        { name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h' },
        { name: 'qualification', startsOn: 'captured', endsOn: ['lead.qualified'], within: '2h' },
        { name: 'response', startsOn: 'replied', endsOn: ['touch.logged'], within: '4h' },
      ],
    });
    const t = createTimeline({ start, policies: { sla } });
    const lead = await t.capture({ source: 'web' });
    expect((await t.lead(lead)).slas.map((record) => record.name)).toEqual(['first_touch', 'qualification']);
    await t.advance('30m');
    await t.touch(lead, 'call', 'connected');
    await t.send(lead, { type: 'prospect.replied' });
    let view = await t.lead(lead);
    expect(view.slas.map((record) => record.name)).toEqual(['qualification', 'response']);
    expect(view.deadlines.map((deadline) => [deadline.timerId, deadline.dueAt])).toEqual([
      ['sla:qualification', '2026-03-02T11:00Z'],
      ['sla:response', '2026-03-02T13:30Z'],
    ]);
    await t.advance('2h');
    view = await t.lead(lead);
    expect(view.regions?.sla).toBe('breached');
    expect(view.lead.slas.find((record) => record.name === 'qualification')?.breachedAt).toBe(Date.parse('2026-03-02T11:00:00Z'));
    await t.touch(lead, 'email', 'sent');
    view = await t.lead(lead);
    expect(view.lead.slas.map((record) => `${record.name}:${record.outcome ?? 'running'}`)).toEqual([
      'first_touch:met',
      'qualification:running',
      'response:met',
    ]);
  });

  it('chooses the target by rules on the lead, in order, falling back to the default', async () => {
    const sla = slaPolicy({
      slas: [
        {
          name: 'first_touch',
          startsOn: 'captured',
          endsOn: ['touch.logged'],
          within: '24h',
          targets: [
            { when: { source: ['demo_request', 'contact_request'] }, within: '5m' },
            { when: { priority: 'high' }, within: '15m' },
            { when: { minScore: 80, segment: 'enterprise' }, within: '30m' },
          ],
        },
      ],
    });
    const t = createTimeline({ start, policies: { sla } });
    const targets = [];
    for (const input of [
      { source: 'contact_request' },
      { source: 'webinar', priority: 'high' as const },
      { source: 'webinar', segment: 'enterprise', score: 91 },
      { source: 'webinar', segment: 'enterprise', score: 50 },
    ]) {
      targets.push((await t.lead(await t.capture(input))).slas[0]?.label);
    }
    expect(targets).toEqual(['first touch within 5m', 'first touch within 15m', 'first touch within 30m', 'first touch within 1d']);
  });

  it('warns before the deadline, then breaches', async () => {
    const sla = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h', warnAt: '75%' }] });
    const t = createTimeline({ start, policies: { sla } });
    const lead = await t.capture({ source: 'web' });
    await t.advance('45m');
    expect((await t.lead(lead)).regions?.sla).toBe('at_risk');
    await t.expectNote(lead, /first_touch SLA at risk: due 2026-03-02T10:00Z/);
    await t.advance('15m');
    expect((await t.lead(lead)).regions?.sla).toBe('breached');
    const kinds = (await t.engine.store.pendingOutbox('default', 10)).map((message) => message.kind);
    expect(kinds).toEqual(['sla.warning', 'sla.breached']);
  });

  it('escalates step by step: manager notified at 24h, reassigned at 48h never to the rep who breached', async () => {
    const reps = new MemoryRepDirectory({
      default: [
        { id: 'ann', manager: 'maria' },
        { id: 'bob', manager: 'maria' },
        { id: 'cho', manager: 'mike' },
      ],
    });
    const sla = slaPolicy({
      slas: [
        {
          name: 'follow_up',
          startsOn: 'assigned',
          endsOn: ['touch.logged'],
          within: '8h',
          escalations: [
            { after: '24h', action: 'notify_manager' },
            { after: '48h', action: 'reassign' },
          ],
        },
      ],
    });
    const t = createTimeline({ start, reps, policies: { sla, routing: leastLoadedRouting({ reps: ['ann', 'bob', 'cho'] }) } });
    // cho already holds a lead; the neglected lead goes to ann, and at 48h to the least loaded of the others.
    await t.capture({ source: 'web', leadId: 'other-1' });
    await t.capture({ source: 'web', leadId: 'other-2' });
    await t.capture({ source: 'web', leadId: 'other-3' });
    await t.send('other-1', { type: 'lead.converted' });
    await t.send('other-2', { type: 'lead.converted' });
    const lead = await t.capture({ source: 'web', leadId: 'neglected' });
    expect((await t.lead(lead)).owner).toBe('ann');
    await t.touch('other-3', 'call', 'connected');
    await t.advance('48h');
    const view = await t.lead(lead);
    expect(view.owner).toBe('bob');
    expect(view.lead.previousOwners).toEqual(['ann']);
    const notes = view.history.flatMap((entry) => entry.notes.map((note) => `${entry.at} ${note}`));
    expect(notes).toEqual(
      expect.arrayContaining([
        '2026-03-02T17:00Z follow_up SLA breached at 2026-03-02T17:00Z (follow up within 8h, not met); ann notified',
        '2026-03-03T09:00Z follow_up SLA escalation: manager notified at 1d; the manager of ann notified',
        '2026-03-04T09:00Z follow_up SLA escalation: reassigned at 2d; to be reassigned, not to ann',
        '2026-03-04T09:00Z reassigned from ann to bob (follow_up SLA escalation: reassigned at 2d; least-loaded: least loaded of 3 reps: 0 open)',
        '2026-03-04T09:00Z follow up within 8h: due 2026-03-04T17:00Z',
      ]),
    );
    // The breached SLA closed with the old owner; the new owner has a fresh one.
    expect(view.lead.slas.map((record) => `${record.name}:${record.outcome ?? 'running'}`)).toEqual(['follow_up:breached', 'follow_up:running']);
    const outbox = await t.engine.store.pendingOutbox('default', 50);
    expect(outbox.filter((message) => message.leadId === lead && message.kind === 'sla.escalated').map((message) => message.to)).toEqual([['maria']]);
  });

  it('marks the rep unavailable when the chain says so', async () => {
    const reps = new MemoryRepDirectory({ default: [{ id: 'ann' }] });
    const sla = slaPolicy({
      slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h', escalations: [{ after: '2h', action: 'mark_unavailable' }] }],
    });
    const t = createTimeline({ start, reps, policies: { sla } });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('2h');
    expect(reps.reps('default')[0]?.available).toBe(false);
    await t.expectNote(lead, /ann marked unavailable/);
  });

  it('pauses every SLA while snoozed; deadlines and escalation steps keep their distance', async () => {
    const sla = slaPolicy({
      slas: [{ name: 'follow_up', startsOn: 'captured', endsOn: ['touch.logged'], within: '4h', escalations: [{ after: '6h', action: 'notify_owner' }] }],
    });
    const t = createTimeline({ start, policies: { sla } });
    const lead = await t.capture({ source: 'web' });
    await t.advance('1h');
    await t.send(lead, { type: 'lead.snoozed', until: '2026-03-05T09:00:00Z' });
    expect((await t.lead(lead)).deadlines.map((deadline) => deadline.event)).toEqual(['snooze.ended']);
    await t.at('Thu 09:00');
    const record = (await t.lead(lead)).slas[0];
    expect(record?.dueAt).toBe(Date.parse('2026-03-05T12:00:00Z'));
    expect(record?.escalations[0]?.at).toBe(Date.parse('2026-03-05T14:00:00Z'));
    await t.advance('5h');
    await t.expectNote(lead, /follow_up SLA escalation: owner notified at 6h/);
  });

  it('waits for a prospect who is out of office, and resumes with the time that was left', async () => {
    const sla = slaPolicy({ slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h' }] });
    const t = createTimeline({ start, policies: { sla } });
    const lead = await t.capture({ source: 'web' });
    await t.advance('20m');
    await t.send(lead, { type: 'prospect.out_of_office', until: '2026-03-04T09:00:00Z', note: 'at a conference' });
    await t.expectNote(lead, /prospect out of office until 2026-03-04T09:00Z \(at a conference\); first_touch SLA paused/);
    expect((await t.lead(lead)).deadlines.map((deadline) => deadline.timerId)).toEqual(['away']);
    await t.at('Wed 09:00');
    await t.expectNote(lead, /prospect back in office; first_touch SLA now due 2026-03-04T09:40Z/);
    await t.advance('40m');
    expect((await t.lead(lead)).regions?.sla).toBe('breached');
    expect((await t.lead(lead)).lead.slas[0]).toMatchObject({ breachedAt: Date.parse('2026-03-04T09:40:00Z'), pausedMs: 2 * 86_400_000 - 20 * 60_000 });
  });

  it('refuses a bad configuration with every problem and its path', () => {
    let error: unknown;
    try {
      slaPolicy(
        {
          slas: [
            { name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h', clock: 'apac' },
            { name: 'first_touch', startsOn: 'arrived' as never, endsOn: [], within: '-5m' as never },
            {
              name: 'Follow Up',
              startsOn: 'assigned',
              endsOn: ['touch.logged'],
              escalations: [
                { after: '2d', action: 'reassign' },
                { after: '1d', action: 'notify_manager' },
              ],
            },
          ],
        },
        {},
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).problems.map((problem) => problem.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['slas.1.startsOn', 'slas.1.endsOn', 'slas.1.within', 'slas.2.name']));
    // Checks that need the whole config run once the parts are valid.
    const second = (() => {
      try {
        slaPolicy({
          slas: [
            { name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h', clock: 'apac' },
            { name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'] },
            {
              name: 'follow_up',
              startsOn: 'assigned',
              endsOn: ['touch.logged'],
              within: '1h',
              escalations: [
                { after: '2d', action: 'reassign' },
                { after: '1d', action: 'notify_manager' },
              ],
            },
          ],
        });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(second?.problems.map((problem) => problem.path.join('.'))).toEqual(
      expect.arrayContaining(['slas.0.clock', 'slas.1.name', 'slas.1.within', 'slas.2.escalations.1.after']),
    );
  });
});
