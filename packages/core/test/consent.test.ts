import { consentBlock, leadEventSchema, OPT_OUT_CHANNELS, optedOut, TOUCH_CHANNELS } from '@leadline/core';
import { describe, expect, it } from 'vitest';

const none = { doNotCall: false, doNotEmail: false };

describe('consent', () => {
  it('calls and text messages need no do-not-call, email no do-not-email; other channels need nothing', () => {
    const blocked = (flags: typeof none) => TOUCH_CHANNELS.map((channel) => [channel, consentBlock(flags, channel)]);
    expect(blocked({ doNotCall: true, doNotEmail: false })).toEqual([
      ['call', 'do-not-call'],
      ['email', undefined],
      ['social', undefined],
      ['sms', 'do-not-call'],
      ['task', undefined],
    ]);
    expect(blocked({ doNotCall: false, doNotEmail: true }).filter(([, why]) => why)).toEqual([['email', 'do-not-email']]);
  });

  it('an opt-out sets the flag of its channel, and all of them for all; flags never clear', () => {
    expect(optedOut(none, 'sms')).toEqual({ doNotCall: true, doNotEmail: false });
    expect(optedOut(none, 'email')).toEqual({ doNotCall: false, doNotEmail: true });
    expect(optedOut(none, 'all')).toEqual({ doNotCall: true, doNotEmail: true });
    expect(optedOut({ doNotCall: true, doNotEmail: false }, 'email')).toEqual({ doNotCall: true, doNotEmail: true });
  });

  it('a prospect can opt out of every touch channel that has a consent flag, or all of them', () => {
    expect(OPT_OUT_CHANNELS).toEqual(['call', 'email', 'sms', 'all']);
    const unsubscribe = (channel: string) => leadEventSchema.safeParse({ type: 'prospect.unsubscribed', id: 'u', at: 0, channel }).success;
    expect([...TOUCH_CHANNELS, 'all'].map((channel) => [channel, unsubscribe(channel)])).toEqual([
      ['call', true],
      ['email', true],
      ['social', false],
      ['sms', true],
      ['task', false],
      ['all', true],
    ]);
  });
});
