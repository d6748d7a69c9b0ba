import { createEngine, firstTouchSla, leastLoadedRouting } from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const at = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);

describe('caller ids and the ids the engine makes', () => {
  it("an event whose id equals a future timer's id does not suppress the timer: the breach still comes", async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: firstTouchSla({ within: '5m' }) } });
    const lead = await t.capture({ source: 'demo_request' });
    const [timer] = await t.engine.store.timersOf('default', lead);
    // The caller happens to use the very id the breach timer's event will carry.
    await t.send(lead, { type: 'activity.recorded', id: timer?.eventId ?? '', activity: 'pricing_page_visit' });
    await t.advance('5m');
    await t.expectNote(lead, /first_touch SLA breached at 2026-03-02T09:05Z/);
  });

  it("a capture whose intake id equals another lead's event id is a new lead, not a duplicate of that lead", async () => {
    const engine = createEngine();
    const first = await engine.capture({ id: 'form-1', at: at('09:00'), source: 'chat', contact: { email: 'ada@example.com' } });
    await engine.dispatch(first.leadId, { type: 'touch.logged', id: 'x-42', at: at('09:01'), channel: 'call', outcome: 'connected' });
    const second = await engine.capture({ id: 'x-42', at: at('09:02'), source: 'chat', contact: { email: 'grace@example.com' } });
    expect(second.outcome).toBe('created');
    expect(second.leadId).not.toBe(first.leadId);
    // And the intake id is still a duplicate of an earlier intake.
    const again = await engine.capture({ id: 'x-42', at: at('09:03'), source: 'chat', contact: { email: 'grace@example.com' } });
    expect(again).toMatchObject({ outcome: 'duplicate', leadId: second.leadId });
  });

  it('an intake id that looks like a derived id (x#route) does not break a later capture with intake id x', async () => {
    const engine = createEngine({ policies: { routing: leastLoadedRouting({ reps: ['ann', 'bob'] }) } });
    const tricky = await engine.capture({ id: 'x#route', at: at('09:00'), source: 'chat', contact: { email: 'ada@example.com' } });
    const plain = await engine.capture({ id: 'x', at: at('09:01'), source: 'chat', contact: { email: 'grace@example.com' } });
    expect([tricky.outcome, plain.outcome]).toEqual(['created', 'created']);
    expect((await engine.get(plain.leadId)).owner).toBe('bob');
  });
});
