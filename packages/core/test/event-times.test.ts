import { createEngine, firstTouchSla, slaPolicy, ValidationError } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const at = (hhmm: string, day = '02') => Date.parse(`2026-03-${day}T${hhmm}:00Z`);

async function capturedLead(policies = { sla: firstTouchSla({ within: '5m' }) }) {
  const clock = new VirtualClock(at('09:00'));
  const engine = createEngine({ clock, policies });
  const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'demo_request', contact: {} });
  return { engine, clock, leadId };
}

function problemOf(error: unknown) {
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems[0];
}

describe('event times', () => {
  it('refuses a touch dated before the capture, at path at, and writes nothing', async () => {
    const { engine, leadId } = await capturedLead();
    const before = await engine.get(leadId);
    const error = await engine
      .dispatch(leadId, { type: 'touch.logged', id: 'old-call', at: '2020-01-01T00:00:00Z', channel: 'call', outcome: 'connected' })
      .catch((caught: unknown) => caught);
    expect(problemOf(error)).toMatchObject({ path: ['at'], code: 'event_before_capture' });
    const after = await engine.get(leadId);
    expect(after.version).toBe(before.version);
    expect(after.history).toEqual(before.history);
    expect(await engine.store.eventLead('default', 'event:old-call')).toBeUndefined();
  });

  it('refuses an event dated later than now plus the tolerance (default 5m), and a capture too', async () => {
    const { engine, clock, leadId } = await capturedLead();
    clock.set(at('09:10'));
    await expect(engine.dispatch(leadId, { type: 'touch.logged', id: 'ok', at: at('09:14'), channel: 'call', outcome: 'voicemail' })).resolves.toMatchObject({
      applied: true,
    });
    const error = await engine
      .dispatch(leadId, { type: 'touch.logged', id: 'future', at: '2099-01-01T00:00:00Z', channel: 'call', outcome: 'voicemail' })
      .catch((caught: unknown) => caught);
    expect(problemOf(error)).toMatchObject({ path: ['at'], code: 'event_in_future' });
    const capture = await engine.capture({ id: 'form-2', at: at('09:16'), source: 'chat', contact: {} }).catch((caught: unknown) => caught);
    expect(problemOf(capture)).toMatchObject({ path: ['at'], code: 'event_in_future' });
  });

  it('takes a configurable tolerance', async () => {
    const clock = new VirtualClock(at('09:00'));
    const engine = createEngine({ clock, eventTimeTolerance: '1h' });
    await expect(engine.capture({ id: 'form-1', at: at('09:50'), source: 'chat', contact: {} })).resolves.toMatchObject({ outcome: 'created' });
    await expect(engine.capture({ id: 'form-2', at: at('10:01'), source: 'chat', contact: {} })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a snooze or an out-of-office whose until is not after its at', async () => {
    const { engine, leadId } = await capturedLead();
    const snooze = await engine.dispatch(leadId, { type: 'lead.snoozed', id: 's', at: at('09:01'), until: at('08:00') }).catch((caught: unknown) => caught);
    expect(problemOf(snooze)).toMatchObject({ path: ['until'] });
    const away = await engine
      .dispatch(leadId, { type: 'prospect.out_of_office', id: 'o', at: at('09:01'), until: at('09:01') })
      .catch((caught: unknown) => caught);
    expect(problemOf(away)).toMatchObject({ path: ['until'] });
  });

  it('lead arrives 09:00, call made at 09:04 but logged at 09:10 after the breach fired at 09:05: the SLA is met in 4m and the breach withdrawn', async () => {
    const { engine, clock, leadId } = await capturedLead();
    clock.set(at('09:10'));
    await engine.runDue();
    expect((await engine.get(leadId)).regions?.sla).toBe('breached');
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: at('09:04'), channel: 'call', outcome: 'connected' });
    const view = await engine.get(leadId);
    expect(view.lead.slas[0]).toMatchObject({ outcome: 'met', elapsedMs: 4 * 60_000, withdrawnBreachAt: at('09:05') });
    expect(view.lead.slas[0]?.breachedAt).toBeUndefined();
    expect(view.lead.firstTouchAt).toBe(at('09:04'));
    expect(view.regions?.sla).toBe('clear');
    const touch = view.history.find((entry) => entry.event === 'touch.logged');
    expect(touch?.at).toBe('2026-03-02T09:04Z');
    expect(touch?.notes.join('; ')).toMatch(/speed to lead 4m.*first_touch SLA met in 4m.*breach recorded at 2026-03-02T09:05Z is withdrawn/);
  });

  it('a touch logged out of order moves speed to lead and the SLA end back to its own time', async () => {
    const { engine, clock, leadId } = await capturedLead();
    clock.set(at('09:20'));
    await engine.runDue();
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'email-1', at: at('09:12'), channel: 'email', outcome: 'sent' });
    expect((await engine.get(leadId)).lead.slas[0]).toMatchObject({ outcome: 'met_late', endedAt: at('09:12') });
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: at('09:03'), channel: 'call', outcome: 'voicemail' });
    const view = await engine.get(leadId);
    expect(view.lead.slas[0]).toMatchObject({ outcome: 'met', endedAt: at('09:03') });
    expect(view.lead.firstTouchAt).toBe(at('09:03'));
    expect(view.lead.lastTouchAt).toBe(at('09:12'));
  });

  it('a late touch dated before an SLA started does not meet it', async () => {
    const clock = new VirtualClock(at('09:00'));
    const engine = createEngine({
      clock,
      policies: { sla: slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '1h' }] }) },
    });
    const { leadId } = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'chat', contact: {} });
    clock.set(at('09:30'));
    await engine.dispatch(leadId, { type: 'lead.assigned', id: 'a', at: at('09:20'), owner: 'ann' });
    await engine.dispatch(leadId, { type: 'touch.logged', id: 't', at: at('09:10'), channel: 'call', outcome: 'voicemail' });
    expect((await engine.get(leadId)).lead.slas[0]?.outcome).toBeUndefined();
  });
});
