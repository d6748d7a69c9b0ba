import { consentBlock, optedOut, TOUCH_CHANNELS } from '@leadline/core';
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
});
