import { type CadencePolicy, ConfigError, cadencePolicy, fixedCadence, HOUR, type MachineEvent, MemoryStore, MINUTE, policyJsonSchema } from '@leadline/core';
import { describe, expect, it } from 'vitest';
import { contactCooldown, contactTouchOf, describeContactCooldown } from '../src/lifecycle/contact-cooldown.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const steps = [{ channel: 'call' as const, after: '0m' }];

describe('the cadence policy option contactCooldown', () => {
  it('takes one duration for every channel', () => {
    const policy = cadencePolicy({ steps, contactCooldown: '4h' });
    expect(policy.contactCooldownMs?.('call')).toBe(4 * HOUR);
    expect(policy.contactCooldownMs?.('email')).toBe(4 * HOUR);
  });

  it('takes a duration per channel; channels not named have none', () => {
    const policy = cadencePolicy({ steps, contactCooldown: { call: '4h', email: 90 * MINUTE } });
    expect(policy.contactCooldownMs?.('call')).toBe(4 * HOUR);
    expect(policy.contactCooldownMs?.('email')).toBe(90 * MINUTE);
    expect(policy.contactCooldownMs?.('sms')).toBe(0);
  });

  it('has none by default, in cadencePolicy and fixedCadence (so the engine reads no touches)', () => {
    expect(cadencePolicy({ steps }).contactCooldownMs).toBeUndefined();
    expect(fixedCadence({ steps }).contactCooldownMs).toBeUndefined();
    expect(fixedCadence({ steps, contactCooldown: { call: '1h' } }).contactCooldownMs?.('call')).toBe(HOUR);
  });

  it('refuses an unknown channel or a bad duration, naming the path', () => {
    const problems = (config: unknown) => {
      try {
        cadencePolicy(config as never);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems.map((problem) => problem.path.join('.'));
      }
      return [];
    };
    expect(problems({ steps, contactCooldown: { fax: '1h' } })).toContainEqual(expect.stringMatching(/^contactCooldown/));
    expect(problems({ steps, contactCooldown: { call: 'soon' } })).toContainEqual(expect.stringMatching(/^contactCooldown/));
    expect(problems({ steps, contactCooldown: 'soon' })).toContainEqual(expect.stringMatching(/^contactCooldown/));
  });

  it('is in the policy JSON Schema', () => {
    expect(JSON.stringify(policyJsonSchema())).toContain('contactCooldown');
  });
});

describe('contactCooldown(...).until', () => {
  const policy = cadencePolicy({ steps, contactCooldown: { call: '4h', email: '1d' } });

  it('answers the end of the cooldown while it runs, and nothing once it is over', () => {
    const touches = { call: T0, email: T0 - 23 * HOUR };
    expect(contactCooldown(policy, 'call', touches, T0 + MINUTE)?.until).toBe(T0 + 4 * HOUR);
    expect(contactCooldown(policy, 'call', touches, T0 + 4 * HOUR - 1)?.until).toBe(T0 + 4 * HOUR);
    expect(contactCooldown(policy, 'call', touches, T0 + 4 * HOUR)?.until).toBeUndefined();
    expect(contactCooldown(policy, 'email', touches, T0)?.until).toBe(T0 + HOUR);
    expect(contactCooldown(policy, 'email', touches, T0 + HOUR)?.until).toBeUndefined();
  });

  it('counts a touch logged after the step came due', () => {
    expect(contactCooldown(policy, 'call', { call: T0 + 5 * MINUTE }, T0)?.until).toBe(T0 + 5 * MINUTE + 4 * HOUR);
  });

  it('answers nothing with no channel (the cadence end), no touches known, no touch on the channel, or no cooldown on it', () => {
    expect(contactCooldown(policy, undefined, { call: T0 }, T0)?.until).toBeUndefined();
    expect(contactCooldown(policy, 'call', undefined, T0)?.until).toBeUndefined();
    expect(contactCooldown(policy, 'call', {}, T0)?.until).toBeUndefined();
    expect(contactCooldown(policy, 'call', { email: T0 }, T0)?.until).toBeUndefined();
    expect(contactCooldown(policy, 'sms', { sms: T0 }, T0)?.until).toBeUndefined();
    expect(contactCooldown(cadencePolicy({ steps }), 'call', { call: T0 }, T0)?.until).toBeUndefined();
  });

  it('answers nothing for a custom policy without contactCooldownMs', () => {
    const { contactCooldownMs: _none, ...custom } = policy;
    expect(contactCooldown(custom as CadencePolicy, 'call', { call: T0 }, T0)?.until).toBeUndefined();
  });

  it('explains the wait for the history', () => {
    const wait = contactCooldown(policy, 'call', { call: T0 }, T0 + MINUTE);
    expect(wait).toEqual({ channel: 'call', lastAt: T0, cooldownMs: 4 * HOUR, until: T0 + 4 * HOUR });
    expect(describeContactCooldown('step 2 of 5: call at +1h', wait as NonNullable<typeof wait>)).toBe(
      "step 2 of 5: call at +1h postponed to 2026-03-02T13:00Z: the contact's last call was at 2026-03-02T09:00Z (on any of their leads), contact cooldown 4h",
    );
  });
});

describe('contactTouchOf', () => {
  const keys = ['email:ada@example.com', 'phone:+4930123456'];

  it('makes a contact touch of a logged touch, whatever its outcome, on a lead with keys', () => {
    for (const outcome of ['connected', 'no_answer', 'bounced'] as const) {
      const event: MachineEvent = { type: 'touch.logged', id: 't1', at: T0, channel: 'call', outcome };
      expect(contactTouchOf(event, keys)).toEqual({ keys, channel: 'call', at: T0 });
    }
  });

  it('copies the keys, so the commit does not share the lead’s array', () => {
    const touch = contactTouchOf({ type: 'touch.logged', id: 't1', at: T0, channel: 'email', outcome: 'sent' }, keys);
    expect(touch?.keys).not.toBe(keys);
  });

  it('makes none of any other event, or for a lead without keys', () => {
    expect(contactTouchOf({ type: 'prospect.replied', id: 'r1', at: T0, channel: 'email' }, keys)).toBeUndefined();
    expect(contactTouchOf({ type: 'cadence.step_due', id: 's1', at: T0, step: 0 }, keys)).toBeUndefined();
    expect(contactTouchOf({ type: 'touch.logged', id: 't1', at: T0, channel: 'call', outcome: 'connected' }, undefined)).toBeUndefined();
    expect(contactTouchOf({ type: 'touch.logged', id: 't1', at: T0, channel: 'call', outcome: 'connected' }, [])).toBeUndefined();
  });
});

describe('from a logged touch to a postponed step, through the memory store', () => {
  it('a call on one lead holds back the call step of another lead of the same person', () => {
    const store = new MemoryStore();
    const policy = cadencePolicy({ steps, contactCooldown: { call: '4h' } });
    const aKeys = ['email:ada@example.com', 'phone:+4930123456'];
    const bKeys = ['phone:+4930123456'];
    const touch = contactTouchOf({ type: 'touch.logged', id: 't1', at: T0, channel: 'call', outcome: 'no_answer' }, aKeys);
    const lead = {
      tenantId: 'acme',
      leadId: 'a',
      version: 1,
      eventCount: 1,
      state: 'working' as const,
      open: true,
      overdue: false,
      snapshot: {},
      updatedAt: T0,
    };
    store.commit({
      lead: { ...lead, contactKeys: aKeys },
      expectedVersion: 0,
      timers: { upsert: [], cancel: [] },
      firedTimers: [],
      outbox: [],
      history: [],
      eventIds: ['t1'],
      contactTouches: touch ? [touch] : [],
    });
    const lastTouches = store.lastContactTouches('acme', bKeys);
    expect(contactCooldown(policy, 'call', lastTouches, T0 + MINUTE)?.until).toBe(T0 + 4 * HOUR);
    expect(contactCooldown(policy, 'email', lastTouches, T0 + MINUTE)?.until).toBeUndefined();
  });
});

describe('the contact cooldown across leads, on the engine', () => {
  it('the same person under two leads: called on lead A at 09:00, lead B call step due 09:01 waits until 13:00', async () => {
    const { createTimeline } = await import('@leadline/core/testing');
    const { cadencePolicy: cadence } = await import('@leadline/core');
    const t = createTimeline({
      start: 'Mon 2026-03-02 09:00',
      dedupe: 'route_to_owner',
      policies: {
        cadence: cadence({ steps: [{ channel: 'call', after: '1m' }], minTouches: 0, contactCooldown: { call: '4h' }, startsOn: 'captured' }),
      },
    });
    const a = await t.capture({ source: 'demo_request', contact: { phone: '+49 30 123456' } });
    await t.touch(a, 'call', 'no_answer');
    const b = await t.capture({ source: 'chat', contact: { phone: '+49 30 123456' } });
    expect(b).not.toBe(a);
    await t.advance('1m');
    await t.expectNote(
      b,
      /step 1 of 1: call at \+1m postponed to 2026-03-02T13:00Z: the contact's last call was at 2026-03-02T09:00Z \(on any of their leads\), contact cooldown 4h/,
    );
    await t.expectNoNote(b, /touch due/);
    await t.advance('4h');
    await t.expectNote(b, /touch due: step 1 of 1/);
  });
});
