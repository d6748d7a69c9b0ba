/**
 * The prospect's consent, in one place: which flag each channel needs, what an opt-out sets, and which
 * channels a prospect can opt out of. The cadence policy (skipping steps) and the lifecycle (recording an
 * unsubscribe) both read it here.
 *
 * @module
 */
import { TOUCH_CHANNELS, type TouchChannel } from './touch.js';

/** The consent flags a lead carries. */
export interface ConsentFlags {
  doNotCall: boolean;
  doNotEmail: boolean;
}

/** Which flag forbids each channel: calls and text messages need no do-not-call, email no do-not-email. */
const FLAGS = { call: 'doNotCall', sms: 'doNotCall', email: 'doNotEmail' } as const satisfies Partial<Record<TouchChannel, keyof ConsentFlags>>;
const FLAG_OF: Partial<Record<TouchChannel, keyof ConsentFlags>> = FLAGS;

const WORDS: Record<keyof ConsentFlags, string> = { doNotCall: 'do-not-call', doNotEmail: 'do-not-email' };

/** The touch channels that have a consent flag. */
type FlaggedChannel = keyof typeof FLAGS;

/**
 * What a prospect can opt out of: every touch channel that has a consent flag, and `all`. Derived from
 * `TOUCH_CHANNELS`, so a new channel with a flag here is one an unsubscribe can name.
 *
 * @example
 * ```ts
 * import { OPT_OUT_CHANNELS } from '@leadline/core';
 *
 * OPT_OUT_CHANNELS; // ['call', 'email', 'sms', 'all']
 * ```
 */
export const OPT_OUT_CHANNELS = [
  ...TOUCH_CHANNELS.filter((channel): channel is FlaggedChannel => FLAG_OF[channel] !== undefined),
  'all',
] as unknown as readonly [FlaggedChannel | 'all', ...(FlaggedChannel | 'all')[]];

/**
 * The flag that forbids touching the lead on `channel`, in words (`do-not-call`), or `undefined`.
 *
 * @example
 * ```ts
 * import { consentBlock } from '@leadline/core';
 *
 * consentBlock({ doNotCall: true, doNotEmail: false }, 'sms'); // 'do-not-call'
 * ```
 */
export function consentBlock(lead: ConsentFlags, channel: TouchChannel): string | undefined {
  const flag = FLAG_OF[channel];
  return flag && lead[flag] ? WORDS[flag] : undefined;
}

/**
 * The flags after the prospect opted out of `channel` (`all`: every channel that has a flag).
 *
 * @example
 * ```ts
 * import { optedOut } from '@leadline/core';
 *
 * optedOut({ doNotCall: false, doNotEmail: false }, 'sms'); // { doNotCall: true, doNotEmail: false }
 * ```
 */
export function optedOut(lead: ConsentFlags, channel: (typeof OPT_OUT_CHANNELS)[number] | TouchChannel): ConsentFlags {
  const flags = { doNotCall: lead.doNotCall, doNotEmail: lead.doNotEmail };
  if (channel === 'all') return { doNotCall: true, doNotEmail: true };
  const flag = FLAG_OF[channel];
  if (flag) flags[flag] = true;
  return flags;
}
