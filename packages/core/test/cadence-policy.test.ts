import { ConfigError, cadencePolicy, defineCalendar, type LeadPolicies } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const start = 'Mon 2026-03-02 09:00';
const weekdays = ['09:00-17:00'];
const officeHours = { timeZone: 'Europe/Berlin', weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } };

function timeline(cadence: LeadPolicies['cadence']) {
  return createTimeline({ start, policies: { cadence } });
}

async function assignedLead(t: ReturnType<typeof createTimeline>, input: Parameters<ReturnType<typeof createTimeline>['capture']>[0] = { source: 'web' }) {
  const lead = await t.capture(input);
  await t.send(lead, { type: 'lead.assigned', owner: 'ann' });
  return lead;
}

async function dueSteps(t: ReturnType<typeof createTimeline>, lead: string) {
  return (await t.lead(lead)).history
    .filter((entry) => entry.event === 'cadence.step_due' && entry.notes[0]?.startsWith('touch due'))
    .map((entry) => `${entry.at} ${entry.notes[0]}`);
}

describe('cadence policy', () => {
  it('moves a step outside the send window to the next open slot, and later steps shift with it', async () => {
    const cadence = cadencePolicy({
      steps: [
        { channel: 'call', after: '0m' },
        { channel: 'email', after: '10h' },
        { channel: 'call', after: '1d' },
      ],
      sendWindow: officeHours,
      minTouches: 0,
    });
    const t = timeline(cadence);
    // Monday 09:00 UTC is 10:00 in Berlin. +10h is 20:00 Berlin, closed: the step moves to Tuesday 09:00
    // Berlin (08:00Z), 13 hours later. The third step (+1d) shifts by those 13 hours to Tuesday 23:00
    // Berlin, closed too, so it moves on to Wednesday 09:00 Berlin.
    const lead = await assignedLead(t);
    await t.advance('3d');
    expect(await dueSteps(t, lead)).toEqual([
      '2026-03-02T09:00Z touch due: step 1 of 3: call at +0s; reminder to ann',
      '2026-03-03T08:00Z touch due: step 2 of 3: email at +10h; reminder to ann',
      '2026-03-04T08:00Z touch due: step 3 of 3: call at +1d; reminder to ann',
    ]);
  });

  it("applies the send window in the lead's own time zone", async () => {
    const cadence = cadencePolicy({ steps: [{ channel: 'call', after: '0m' }], sendWindow: officeHours, minTouches: 0 });
    const t = timeline(cadence);
    // 09:00 UTC is 01:00 in Los Angeles: the first call waits for 09:00 Pacific (17:00Z).
    const lead = await assignedLead(t, { source: 'web', contact: { timeZone: 'America/Los_Angeles' } });
    expect((await t.lead(lead)).nextTouch).toEqual({ channel: 'call', dueAt: '2026-03-02T17:00Z' });
  });

  it('never gives a do-not-call lead a call step, and says why', async () => {
    const cadence = cadencePolicy({
      steps: [
        { channel: 'call', after: '0m' },
        { channel: 'email', after: '1h' },
        { channel: 'sms', after: '2h' },
        { channel: 'social', after: '3h' },
      ],
      minTouches: 0,
    });
    const t = timeline(cadence);
    const lead = await assignedLead(t, { source: 'web', doNotCall: true });
    await t.advance('1d');
    const steps = await dueSteps(t, lead);
    expect(steps.map((step) => step.split(': ')[1])).toEqual(['step 2 of 4', 'step 4 of 4']);
    expect(steps.some((step) => /call|sms/.test(step))).toBe(false);
    await t.expectNote(lead, /step 1 \(call\) skipped: do-not-call/);
    await t.expectNote(lead, /step 3 \(sms\) skipped: do-not-call/);
  });

  it('stops on a reply, a bounce, an unsubscribe or qualification', async () => {
    const cadence = cadencePolicy({
      steps: [
        { channel: 'email', after: '0m' },
        { channel: 'email', after: '1d' },
      ],
      minTouches: 0,
    });
    for (const [event, why] of [
      [{ type: 'prospect.replied' as const }, 'prospect replied'],
      [{ type: 'touch.logged' as const, channel: 'email' as const, outcome: 'bounced' as const }, 'a touch bounced'],
      [{ type: 'prospect.unsubscribed' as const, channel: 'email' as const }, 'prospect unsubscribed'],
    ] as const) {
      const t = timeline(cadence);
      const lead = await assignedLead(t);
      await t.send(lead, event);
      const view = await t.lead(lead);
      expect(view.regions?.cadence).toBe('stopped');
      expect(view.lead.cadence?.stopReason).toBe(why);
      expect(view.deadlines.filter((deadline) => deadline.timerId === 'cadence')).toEqual([]);
    }
    const qualifying = createTimeline({
      start,
      policies: {
        cadence: cadencePolicy({ steps: [{ channel: 'email', after: '1h' }], startsOn: 'captured', minTouches: 0 }),
        qualification: { name: 'all', required: () => true },
      },
    });
    const lead = await qualifying.capture({ source: 'event' });
    expect((await qualifying.lead(lead)).regions?.cadence).toBe('active');
    await qualifying.send(lead, { type: 'lead.qualified' });
    expect((await qualifying.lead(lead)).lead.cadence?.stopReason).toBe('lead qualified');
  });

  it('pauses while the prospect is out of office and resumes on the date', async () => {
    const cadence = cadencePolicy({
      steps: [
        { channel: 'call', after: '0m' },
        { channel: 'email', after: '1d' },
        { channel: 'call', after: '2d' },
      ],
      minTouches: 0,
    });
    const t = timeline(cadence);
    const lead = await assignedLead(t);
    await t.advance('2h');
    await t.send(lead, { type: 'prospect.out_of_office', until: '2026-03-09T09:00:00Z', note: 'back on the 9th' });
    expect((await t.lead(lead)).regions?.cadence).toBe('paused');
    await t.at('Mon 08:59');
    expect(await dueSteps(t, lead)).toHaveLength(1);
    await t.advance('1m');
    const view = await t.lead(lead);
    expect(view.regions?.cadence).toBe('active');
    // The second step was 22 hours away when the prospect left, and still is.
    expect(view.nextTouch).toEqual({ channel: 'email', dueAt: '2026-03-10T07:00Z' });
    await t.expectNote(lead, /cadence resumed \(back in office\)/);
  });

  it('does not end before the minimum touches, adding steps until they are made', async () => {
    const cadence = cadencePolicy({
      steps: [
        { channel: 'call', after: '0m' },
        { channel: 'email', after: '1d' },
      ],
      minTouches: 3,
      extraEvery: '1d',
      closeAfter: '1d',
    });
    const t = createTimeline({ start, policies: { cadence, recycle: { name: 'r', maxRecycles: 3, recheckAt: () => undefined, isIntent: () => false } } });
    const lead = await assignedLead(t);
    await t.touch(lead, 'call', 'no_answer');
    await t.advance('2d'); // the cadence's end: 1 touch of 3
    await t.expectState(lead, 'working');
    await t.expectNote(lead, /cadence goes on: 1 of 3 minimum touches made/);
    await t.touch(lead, 'email', 'sent');
    await t.advance('1d');
    await t.touch(lead, 'call', 'voicemail');
    await t.advance('1d');
    const view = await t.lead(lead);
    expect(view.state).toBe('recycled');
    expect(view.lead.recycle.reason).toBe('no_response');
    await t.expectNote(lead, /cadence ended: .* 3 touches, no reply/);
  });

  it('postpones a step that would come sooner than the minimum gap after a touch', async () => {
    const cadence = cadencePolicy({
      steps: [
        { channel: 'call', after: '1h' },
        { channel: 'email', after: '2h' },
      ],
      minGap: '4h',
      minTouches: 0,
    });
    const t = timeline(cadence);
    const lead = await assignedLead(t);
    await t.advance('30m');
    await t.touch(lead, 'email', 'sent');
    await t.advance('1h');
    await t.expectNote(lead, /step 1 of 2: call at \+1h postponed to 2026-03-02T13:30Z: last touch 2026-03-02T09:30Z, minimum gap 4h/);
    await t.advance('3h');
    expect((await dueSteps(t, lead))[0]).toMatch(/^2026-03-02T13:30Z touch due: step 1 of 2/);
  });

  it('counts offsets in business time on a calendar', async () => {
    const emea = defineCalendar({ name: 'emea', ...officeHours });
    const cadence = cadencePolicy(
      {
        steps: [
          { channel: 'call', after: '0m' },
          { channel: 'email', after: '16h' },
        ],
        clock: 'emea',
        minTouches: 0,
      },
      { emea },
    );
    const t = createTimeline({ start: 'Fri 2026-03-06 09:00', policies: { cadence } });
    const lead = await assignedLead(t);
    // Friday 10:00 Berlin + 16 business hours (7 on Friday, 8 on Monday, 1 on Tuesday) = Tuesday 10:00 Berlin.
    await t.advance('1m');
    expect((await t.lead(lead)).nextTouch).toEqual({ channel: 'email', dueAt: '2026-03-10T09:00Z' });
  });

  it('re-enrolls by its rule: once, if not active, always', async () => {
    const steps = [
      { channel: 'call' as const, after: '0m' },
      { channel: 'email' as const, after: '1d' },
    ];
    const runs = async (reenroll: 'once' | 'if_not_active' | 'always') => {
      const t = timeline(cadencePolicy({ steps, reenroll, minTouches: 0 }));
      const lead = await assignedLead(t);
      await t.send(lead, { type: 'lead.reassigned', owner: 'bob' }); // while the cadence runs
      await t.send(lead, { type: 'prospect.replied' });
      await t.send(lead, { type: 'lead.reassigned', owner: 'cho' }); // after it stopped
      return (await t.lead(lead)).lead.cadenceRuns;
    };
    expect(await runs('once')).toBe(1);
    expect(await runs('if_not_active')).toBe(2);
    expect(await runs('always')).toBe(3);
  });

  it("refuses a bad configuration with each problem's path", () => {
    let error: unknown;
    try {
      cadencePolicy({
        steps: [
          { channel: 'call', after: '1d' },
          { channel: 'fax' as never, after: '1h' },
        ],
        clock: 'apac',
        minTouches: -1,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.path.join('.'))).toEqual(expect.arrayContaining(['steps.1.channel', 'minTouches']));
  });
});
