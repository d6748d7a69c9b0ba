import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { fullPolicies, qualifyingPolicies } from './policies.js';

const start = 'Mon 2026-03-02 09:00';

describe('qualification and routing', () => {
  it('routes a lead that needs no qualification at intake, with the reason in the history', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'demo_request' });
    const view = await t.lead(lead);
    expect(view.state).toBe('assigned');
    expect(view.owner).toBe('ann');
    expect(view.history.map((entry) => entry.event)).toEqual(['lead.captured', 'lead.assigned']);
    // The first cadence step is due at once: it fires on the scheduler's next run.
    await t.advance('1s');
    expect((await t.lead(lead)).history.map((entry) => entry.event)).toEqual(['lead.captured', 'lead.assigned', 'cadence.step_due']);
    expect(view.history[1]?.notes[0]).toBe('assigned to ann (least-loaded: least loaded of 2 reps: 0 open)');
  });

  it('balances owners by open leads', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const owners = [];
    for (let index = 0; index < 4; index++) owners.push((await t.lead(await t.capture({ source: 'web' }))).owner);
    expect(owners).toEqual(['ann', 'bob', 'ann', 'bob']);
  });

  it('holds an event lead in qualifying until it is qualified, then routes it', async () => {
    const t = createTimeline({ start, policies: qualifyingPolicies });
    const lead = await t.capture({ source: 'event' });
    await t.expectState(lead, 'qualifying');
    await t.advance('30m');
    await t.send(lead, { type: 'lead.qualified', by: 'sdr-1', note: 'budget confirmed' });
    const view = await t.lead(lead);
    expect(view.state).toBe('assigned');
    expect(view.history.map((entry) => `${entry.event}: ${entry.from}->${entry.to}`)).toEqual([
      'lead.captured: null->qualifying',
      'lead.qualified: qualifying->qualified',
      'lead.assigned: qualified->assigned',
    ]);
    await t.expectNote(lead, /qualified by sdr-1: budget confirmed/);
  });

  it('reassigns with the previous owner remembered', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.reassigned', owner: 'cho', reason: 'territory change' });
    const view = await t.lead(lead);
    expect(view.owner).toBe('cho');
    expect(view.lead.previousOwners).toEqual(['ann']);
    await t.expectNote(lead, /reassigned from ann to cho \(territory change\)/);
  });
});

describe('cadence', () => {
  it('reminds the owner at each step and stops on a reply', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.touch(lead, 'call', 'voicemail');
    await t.advance('1h');
    let view = await t.lead(lead);
    expect(view.history.filter((entry) => entry.event === 'cadence.step_due')).toHaveLength(2);
    expect(view.nextTouch).toEqual({ channel: 'call', dueAt: '2026-03-03T09:00Z' });
    await t.send(lead, { type: 'prospect.replied', channel: 'email' });
    view = await t.lead(lead);
    expect(view.regions?.cadence).toBe('stopped');
    expect(view.nextTouch).toBeUndefined();
    await t.advance('10d');
    expect((await t.lead(lead)).history.filter((entry) => entry.event === 'cadence.step_due')).toHaveLength(2);
    await t.expectState(lead, 'working');
  });

  it('recycles with no_response when the whole cadence passes without a reply', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.advance('5d');
    const view = await t.lead(lead);
    expect(view.state).toBe('recycled');
    expect(view.lead.recycle).toMatchObject({ count: 1, reason: 'no_response' });
    expect(view.deadlines).toEqual([{ timerId: 'recycle', event: 'recycle.recheck_due', dueAt: '2026-06-05T09:00Z' }]);
    // Steps at +0, +1h, +1d, +3d; the cadence closes 2 days after the last step.
    expect(view.history.find((entry) => entry.to === 'recycled')?.at).toBe('2026-03-07T09:00Z');
  });

  it('shifts the remaining steps by the length of a snooze', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.advance('2h'); // steps 1 and 2 came due; step 3 due Tue 09:00
    await t.send(lead, { type: 'lead.snoozed', until: '2026-03-09T11:00:00Z' });
    await t.at('2026-03-09T11:00:00Z');
    const view = await t.lead(lead);
    expect(view.state).toBe('assigned');
    // Step 3 was 22h away when the snooze began, and still is; step 4 moved by the 7 days paused.
    expect(view.nextTouch).toEqual({ channel: 'call', dueAt: '2026-03-10T09:00Z' });
    await t.advance('22h');
    expect((await t.lead(view.leadId)).nextTouch).toEqual({ channel: 'social', dueAt: '2026-03-12T09:00Z' });
  });
});

describe('recycling', () => {
  it('recycles with a reason, re-engages on a pricing-page visit, and closes after the maximum', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.recycled', reason: 'no_budget' });
    await t.expectState(lead, 'recycled');
    await t.advance('10d');
    await t.send(lead, { type: 'activity.recorded', activity: 'webinar' });
    await t.expectState(lead, 'recycled');
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
    let view = await t.lead(lead);
    expect(view.state).toBe('assigned');
    expect(view.lead.recycle).toMatchObject({ count: 1, reengaged: 1 });
    expect(view.slas).toMatchObject([{ name: 'first_touch', startedAt: t.now }]);
    await t.send(lead, { type: 'lead.recycled', reason: 'timing' });
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
    await t.send(lead, { type: 'lead.recycled', reason: 'timing' });
    view = await t.lead(lead);
    expect(view.state).toBe('disqualified');
    expect(view.lead.disqualifiedReason).toBe('max_recycles:timing');
    expect(view.lead.recycle).toMatchObject({ count: 2, reengaged: 2 });
    expect(view.deadlines).toEqual([]);
    expect(view.history.filter((entry) => entry.event === 'lead.recycled').map((entry) => entry.to)).toEqual(['recycled', 'recycled', 'disqualified']);
    await t.expectNote(lead, /closed: already recycled 2 times \(max 2\); last reason timing/);
  });

  it('re-engages on the re-check date', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    await t.advance('90d');
    const view = await t.lead(lead);
    expect(view.state).toBe('assigned');
    await t.expectNote(lead, /re-engaged: re-check date reached/);
  });
});

describe('dedupe at intake', () => {
  it('merges a second form fill into the open lead instead of creating another', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const first = await t.captureResult({ source: 'content_download', contact: { email: 'ada@example.com' } });
    await t.advance('1h');
    const second = await t.captureResult({ source: 'demo_request', campaign: 'spring', contact: { email: ' ADA@example.com' } });
    expect(second).toMatchObject({ leadId: first.leadId, outcome: 'merged' });
    expect(await t.engine.store.listLeads({ tenantId: 'default' })).toHaveLength(1);
    const view = await t.lead(first.leadId);
    expect(view.lead.merges).toBe(1);
    await t.expectNote(first.leadId, /duplicate intake from demo_request \(spring\) merged into this lead/);
  });

  it('treats a new inquiry from a recycled lead as intent and re-engages it', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const first = await t.captureResult({ source: 'web', contact: { email: 'ada@example.com' } });
    await t.send(first.leadId, { type: 'lead.recycled', reason: 'timing' });
    const again = await t.captureResult({ source: 'demo_request', contact: { email: 'ada@example.com' } });
    expect(again).toMatchObject({ leadId: first.leadId, outcome: 'merged', state: 'assigned' });
  });

  it('creates a new lead once the earlier one is closed', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const first = await t.captureResult({ source: 'web', contact: { email: 'ada@example.com' } });
    await t.send(first.leadId, { type: 'lead.converted' });
    const again = await t.captureResult({ source: 'web', contact: { email: 'ada@example.com' } });
    expect(again.outcome).toBe('created');
    expect(again.leadId).not.toBe(first.leadId);
  });

  it('makes one lead of two simultaneous intakes of the same person', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const [a, b] = await Promise.all([
      t.captureResult({ source: 'web', contact: { email: 'ada@example.com' } }),
      t.captureResult({ source: 'chat', contact: { email: 'ada@example.com' } }),
    ]);
    expect([a?.outcome, b?.outcome]).toEqual(['created', 'merged']);
    expect(b?.leadId).toBe(a?.leadId);
  });
});

describe('terminal states and notifications', () => {
  it('a converted lead has no timers and refuses further events', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.converted', opportunityId: 'opp-9' });
    const view = await t.lead(lead);
    expect(view.deadlines).toEqual([]);
    expect(view.lead.slas[0]?.outcome).toBe('cancelled');
    await expect(t.touch(lead, 'call', 'connected')).rejects.toMatchObject({ code: 'event_rejected' });
  });

  it('puts assignment, touch-due and breach notifications in the outbox with stable ids', async () => {
    const t = createTimeline({ start, policies: fullPolicies });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('5m');
    const outbox = await t.engine.store.pendingOutbox('default', 10);
    expect(outbox.map((message) => [message.kind, message.to, message.id])).toEqual([
      ['lead.assigned', ['ann'], `${lead}:derived:intake:intake#1#route:0:default`],
      ['touch.due', ['ann'], `${lead}:timer:lead-1/cadence/v1:0:default`],
      ['sla.breached', ['ann'], `${lead}:timer:lead-1/sla:first_touch/v1:0:default`],
    ]);
  });
});
