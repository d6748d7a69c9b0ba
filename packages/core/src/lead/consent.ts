/**
 * The prospect's consent, in one place: which flag each channel needs, what an opt-out sets, and which
 * channels a prospect can opt out of. The cadence policy (skipping steps) and the lifecycle (recording an
 * unsubscribe) both read it here.
 *
 * @module
 */
import type { TouchChannel } from './events.js';

/** The consent flags a lead carries. */
export interface ConsentFlags {
  doNotCall: boolean;
  doNotEmail: boolean;
}

/** Which flag forbids each channel: calls and text messages need no do-not-call, email no do-not-email. */
const FLAG_OF: Partial<Record<TouchChannel, keyof ConsentFlags>> = { call: 'doNotCall', sms: 'doNotCall', email: 'doNotEmail' };

const WORDS: Record<keyof ConsentFlags, string> = { doNotCall: 'do-not-call', doNotEmail: 'do-not-email' };

/**
 * The flag that forbids touching the lead on `channel`, in words (`do-not-call`), or `undefined`.
 *
 * @example
 * ```ts
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
 * optedOut({ doNotCall: false, doNotEmail: false }, 'sms'); // { doNotCall: true, doNotEmail: false }
 * ```
 */
export function optedOut(lead: ConsentFlags, channel: TouchChannel | 'all'): ConsentFlags {
  const flags = { doNotCall: lead.doNotCall, doNotEmail: lead.doNotEmail };
  if (channel === 'all') return { doNotCall: true, doNotEmail: true };
  const flag = FLAG_OF[channel];
  if (flag) flags[flag] = true;
  return flags;
}
