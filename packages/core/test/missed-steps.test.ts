import { ConfigError, cadencePolicy, fixedCadence, MemoryRepDirectory } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const reps = () => new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria' }] });
/** A cadence that never ends on its own: the lead must get 6 touches, so extra steps follow every 2 days. */
const persistent = (missedSteps?: Parameters<typeof cadencePolicy>[0]['missedSteps'], minTouches = 6, onExhausted: 'hold' | 'recycle' = 'hold') =>
  cadencePolicy({
    onExhausted,
    steps: [
      { channel: 'call', after: '0m' },
      { channel: 'email', after: '1d' },
    ],
    minTouches,
    ...(missedSteps ? { missedSteps } : {}),
  });

describe('an owner who logs nothing', () => {
  it('lead assigned Mon 09:00, no touch ever: the manager hears after 3 ignored steps, the reminders end after 5, and a holding cadence keeps the lead with ann', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps: reps(), policies: { cadence: persistent() } });
    const lead = await t.capture({ source: 'demo_request' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('365d');
    const view = await t.lead(lead);
    // Five reminders went out unanswered; the sixth step found the cadence ignored and ended it.
    expect(view.history.flatMap((entry) => entry.notes).filter((note) => note.startsWith('touch due:'))).toHaveLength(5);
    expect(view.deadlines).toEqual([]);
    expect(view.regions?.cadence).toBe('stopped');
    expect(view.state).toBe('assigned');
    expect(view.lead.cadence?.stopReason).toBe('no_follow_up: 5 cadence steps in a row came due with no touch');
    await t.expectNote(lead, /3 cadence steps in a row came due with no touch; the manager of ann notified/);
    const missed = (await t.engine.store.pendingOutbox('default', 100)).filter((message) => message.kind === 'touch.missed');
    expect(missed.map((message) => message.to)).toEqual([['maria'], ['maria']]);
  });

  it('hands the lead back with the configured reason when the rule says recycle', async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: reps(),
      policies: { cadence: persistent({ escalateAfter: 1, endAfter: 2, endWith: 'recycle', reason: 'rep_ignored' }) },
    });
    const lead = await t.capture({ source: 'demo_request' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('30d');
    const view = await t.lead(lead);
    expect(view.state).toBe('recycled');
    expect(view.lead.recycle.reason).toBe('rep_ignored');
    await t.expectNote(lead, /cadence ended and lead handed back to marketing: rep_ignored: 2 cadence steps/);
  });

  it('ends as the cadence does unless told otherwise: a recycling cadence hands the ignored lead back with no_follow_up', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps: reps(), policies: { cadence: persistent(undefined, 6, 'recycle') } });
    const lead = await t.capture({ source: 'demo_request' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    await t.advance('365d');
    const view = await t.lead(lead);
    expect(view.state).toBe('recycled');
    expect(view.lead.recycle.reason).toBe('no_follow_up');
    expect(persistent(undefined, 6, 'recycle').missedSteps).toEqual({ escalateAfter: 3, endAfter: 5, endWith: 'recycle', reason: 'no_follow_up' });
  });

  it('counts nothing while the lead has no owner, and a new owner starts with a clean slate', async () => {
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      reps: reps(),
      policies: { cadence: cadencePolicy({ steps: [{ channel: 'call', after: '0m' }], minTouches: 20, startsOn: 'captured', onExhausted: 'hold' }) },
    });
    const lead = await t.capture({ source: 'demo_request' });
    await t.advance('60d');
    expect((await t.lead(lead)).lead.cadence?.status).toBe('active');
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    expect((await t.lead(lead)).lead.cadence?.missed).toBeUndefined();
    await t.advance('60d');
    expect((await t.lead(lead)).lead.cadence?.stopReason).toMatch(/^no_follow_up: 5 cadence steps/);
  });

  it('a touch resets the count: an owner who works the lead is never cut off', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', reps: reps(), policies: { cadence: persistent({ escalateAfter: 2, endAfter: 2 }, 50) } });
    const lead = await t.capture({ source: 'demo_request' });
    await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
    for (let day = 0; day < 20; day++) {
      await t.advance('1d');
      await t.touch(lead, 'call', 'no_answer');
    }
    const view = await t.lead(lead);
    expect(view.lead.cadence?.stopReason).toBeUndefined();
    await t.expectNoNote(lead, /came due with no touch/);
  });

  it('refuses a rule that ends before it escalates, at its path', () => {
    let error: unknown;
    try {
      fixedCadence({ steps: [{ channel: 'call', after: '0m' }], missedSteps: { escalateAfter: 4, endAfter: 2 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]?.path).toEqual(['missedSteps', 'endAfter']);
  });
});
