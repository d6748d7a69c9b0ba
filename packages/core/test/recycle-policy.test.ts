import { ConfigError, recyclePolicy, ValidationError } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const start = 'Mon 2026-03-02 09:00';
const recycle = recyclePolicy({
  reasons: {
    not_ready: { recheck: ['90d', '180d', '365d'] },
    no_budget: { nurtureFor: '30d', recheck: ['180d'] },
    no_response: { recheck: ['90d'] },
    wrong_contact: { closes: true },
  },
  maxRecycles: 3,
  reengageOn: { activities: ['pricing_page_visit'], minScore: 80 },
});

describe('recycle policy', () => {
  it('recycles with a reason, re-engages on a pricing-page visit, recycles again, closes after the maximum', async () => {
    const t = createTimeline({ start, policies: { recycle } });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    await t.advance('20d');
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
    await t.expectState(lead, 'new');
    await t.send(lead, { type: 'lead.recycled', reason: 'no_budget' });
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit', score: 95 });
    await t.expectState(lead, 'recycled'); // within no_budget's 30 quiet days
    await t.advance('31d');
    await t.send(lead, { type: 'activity.recorded', activity: 'webinar', score: 85 }); // a score over 80 is intent too
    await t.expectState(lead, 'new');
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    await t.send(lead, { type: 'activity.recorded', activity: 'pricing_page_visit' });
    await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
    const view = await t.lead(lead);
    expect(view.state).toBe('disqualified');
    expect(view.lead.disqualifiedReason).toBe('max_recycles:not_ready');
    expect(view.lead.recycle).toMatchObject({ count: 3, reengaged: 3 });
    expect(view.deadlines).toEqual([]);
    expect(view.history.filter((entry) => entry.event === 'lead.recycled').map((entry) => `${entry.from}->${entry.to}`)).toEqual([
      'new->recycled',
      'new->recycled',
      'new->recycled',
      'new->disqualified',
    ]);
    expect(view.history.map((entry) => entry.seq)).toEqual(view.history.map((_, index) => index + 1));
  });

  it('recycles a snoozed lead the same way as an open one: a closing reason ends it, another nurtures it', async () => {
    const t = createTimeline({ start, policies: { recycle } });
    const closed = await t.capture({ source: 'web' });
    const nurtured = await t.capture({ source: 'web' });
    for (const lead of [closed, nurtured]) {
      await t.send(lead, { type: 'lead.snoozed', until: '2026-03-09T09:00:00Z' });
      await t.expectState(lead, 'snoozed');
    }
    await t.send(closed, { type: 'lead.recycled', reason: 'wrong_contact' });
    await t.send(nurtured, { type: 'lead.recycled', reason: 'no_response' });
    const closedView = await t.lead(closed);
    expect(closedView.state).toBe('disqualified');
    expect(closedView.lead.disqualifiedReason).toBe('wrong_contact');
    expect(closedView.deadlines).toEqual([]);
    await t.expectNote(closed, /closed: wrong_contact ends the lead \(recycle policy\)/);
    const nurturedView = await t.lead(nurtured);
    expect(nurturedView.state).toBe('recycled');
    expect(nurturedView.history.at(-1)).toMatchObject({ event: 'lead.recycled', from: 'snoozed', to: 'recycled' });
    // The snooze's wake-up is gone; only the 90-day re-check remains.
    expect(nurturedView.deadlines.map((deadline) => deadline.event)).toEqual(['recycle.recheck_due']);
  });

  it('re-checks at 3, 6 and 12 months from the first hand-back of a run with the same reason', async () => {
    const t = createTimeline({
      start,
      policies: { recycle: recyclePolicy({ reasons: { not_ready: { recheck: ['90d', '180d', '365d'] }, no_response: {} }, maxRecycles: 5 }) },
    });
    const lead = await t.capture({ source: 'web' });
    const dates: string[] = [];
    for (let round = 0; round < 3; round++) {
      await t.send(lead, { type: 'lead.recycled', reason: 'not_ready' });
      const due = (await t.lead(lead)).deadlines[0]?.dueAt ?? 'none';
      dates.push(due);
      await t.at(`${due.slice(0, 16)}:00Z`);
      await t.expectState(lead, 'new');
    }
    // 90, 180 and 365 days after the first hand-back (2026-03-02), each sales-ready again on its date.
    expect(dates).toEqual(['2026-05-31T09:00Z', '2026-08-29T09:00Z', '2027-03-02T09:00Z']);
    await t.expectNote(lead, /re-engaged: re-check date reached/);
  });

  it('closes the lead for a reason that ends it', async () => {
    const t = createTimeline({ start, policies: { recycle } });
    const lead = await t.capture({ source: 'web' });
    await t.send(lead, { type: 'lead.recycled', reason: 'wrong_contact' });
    const view = await t.lead(lead);
    expect(view.state).toBe('disqualified');
    expect(view.lead.disqualifiedReason).toBe('wrong_contact');
  });

  it('refuses a reason that is not a configured code, writing nothing', async () => {
    const t = createTimeline({ start, policies: { recycle } });
    const lead = await t.capture({ source: 'web' });
    const error = await t.send(lead, { type: 'lead.recycled', reason: 'bored' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0]).toMatchObject({ path: ['reason'] });
    expect((error as ValidationError).message).toMatch(/must be one of the recycle reasons: not_ready, no_budget, no_response, wrong_contact/);
    expect((await t.lead(lead)).version).toBe(1);
  });

  it("refuses a bad configuration with each problem's path", () => {
    let error: unknown;
    try {
      recyclePolicy({ reasons: { 'Not Ready': {}, timing: { recheck: ['180d', '90d'] }, spam: { closes: true, recheck: ['1d'] } }, maxRecycles: -1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.path.join('.'))).toEqual(expect.arrayContaining(['reasons.Not Ready', 'maxRecycles']));
    const second = (() => {
      try {
        recyclePolicy({ reasons: { timing: { recheck: ['180d', '90d'] }, spam: { closes: true, recheck: ['1d'] } } });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(second?.problems.map((problem) => problem.path.join('.'))).toEqual(['reasons.timing.recheck.1', 'reasons.spam.recheck', 'reasons.no_response']);
  });
});
