import { createTimeline, VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { fiveMinuteSla } from './policies.js';

describe('the timeline DSL', () => {
  it('reads like a playbook: captured Mon 09:00; at Tue 09:00; expect breach', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: fiveMinuteSla });
    const lead = await t.capture({ source: 'demo_request' });
    expect(await t.at('Tue 09:00')).toBe(1);
    expect(new Date(t.now).toISOString()).toBe('2026-03-03T09:00:00.000Z');
    await t.expectNote(lead, /breached at 2026-03-02T09:05Z/);
    await expect(t.expectState(lead, 'working')).rejects.toThrow(/expected lead-1 to be working .* but it is new\n.*lead.captured/s);
  });

  it('refuses a start whose weekday does not match its date', () => {
    expect(() => createTimeline({ start: 'Tue 2026-03-02 09:00' })).toThrow(/is a mon, not a tue/);
  });

  it('never moves the clock backwards', () => {
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    expect(() => clock.set('2026-03-01T09:00:00Z')).toThrow(RangeError);
  });

  it('wakes sleepers when time passes them', async () => {
    const clock = new VirtualClock(0);
    let woke = false;
    const sleeping = clock.sleep(1000).then(() => {
      woke = true;
    });
    clock.advance('999ms');
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance('1ms');
    await sleeping;
    expect(woke).toBe(true);
  });
});
