// The README's example, run as written (with a virtual clock instead of the worker).
import { createEngine, firstTouchSla, fixedCadence, leastLoadedRouting, nurtureRecycle } from '@leadline/core';
import { describe, expect, it } from 'vitest';

describe('the README example', () => {
  it('prints what the README says it prints', async () => {
    const engine = createEngine({
      policies: {
        sla: firstTouchSla({ within: '1h', bySource: { demo_request: '5m' } }),
        cadence: fixedCadence({
          steps: [
            { channel: 'call', after: '0m' },
            { channel: 'email', after: '1d' },
            { channel: 'call', after: '3d' },
          ],
        }),
        recycle: nurtureRecycle({ recheckAfter: '90d', maxRecycles: 3 }),
        routing: leastLoadedRouting({ reps: ['ann', 'bob'] }),
      },
    });
    const { leadId } = await engine.capture({
      id: 'form-7781',
      at: '2026-03-02T09:00:00Z',
      source: 'demo_request',
      contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: '2026-03-02T09:03:00Z', channel: 'call', outcome: 'connected' });
    const lead = await engine.get(leadId);
    expect(lead.state).toBe('working');
    const lines = lead.history.map((entry) => entry.text);
    expect(lines[0]).toBe('2026-03-02T09:00Z lead.captured -> new: captured from demo_request; first touch within 5m: due 2026-03-02T09:05Z');
    expect(lines[1]).toMatch(/^2026-03-02T09:00Z lead.assigned new -> assigned: assigned to ann \(least-loaded: least loaded of 2 reps: 0 open\); /);
    expect(lines[2]).toMatch(/^2026-03-02T09:03Z touch.logged assigned -> working: call touch #1: connected; speed to lead 3m; first_touch SLA met in 3m /);
  });
});
