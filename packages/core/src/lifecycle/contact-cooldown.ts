/**
 * The contact cooldown: a minimum gap per channel between two touches of one person, across all of
 * their leads (one person under two leads is not called twice in the same minute). Pure functions: the
 * engine reads the contact's latest touches from the store (`LeadStore.lastContactTouches`) and hands
 * them to the machine on the `cadence.step_due` event; the machine's step guard asks
 * {@link contactCooldown} whether the step must wait; the commit that applies a `touch.logged` records it with {@link contactTouchOf}.
 *
 * The latest touches are the contact's on every lead, this one included, so a cooldown on a channel
 * also spaces a lead's own touches on it.
 *
 * @module
 */
import type { MachineEvent, TouchChannel } from '../lead/events.js';
import type { CadencePolicy } from '../policies/types.js';
import type { ContactTouch, ContactTouches } from '../store/lead-store.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';

/**
 * Why a step waits: the contact's last touch on its channel, the cooldown, and until when.
 *
 * @example
 * ```ts
 * import { HOUR } from '@leadline/core';
 * import type { ContactCooldown } from './contact-cooldown.js';
 *
 * const lastAt = Date.parse('2026-03-02T09:00:00Z'); // the contact's last call, on any of their leads
 * const wait: ContactCooldown = { channel: 'call', lastAt, cooldownMs: 4 * HOUR, until: lastAt + 4 * HOUR };
 * ```
 */
export interface ContactCooldown {
  channel: TouchChannel;
  /** The contact's latest touch on the channel, on any of their leads. */
  lastAt: number;
  cooldownMs: number;
  /** The instant the step must wait until: `lastAt + cooldownMs`. */
  until: number;
}

/**
 * The cooldown a step on `channel` due at `at` must wait out, with its reason; `undefined` when it may
 * go: no channel (the cadence's end), no touches known, no cooldown on the channel (or a policy without
 * `contactCooldownMs`), or the cooldown already over at `at`.
 *
 * @example
 * ```ts
 * import { fixedCadence } from '@leadline/core';
 * import { contactCooldown } from './contact-cooldown.js';
 *
 * const policy = fixedCadence({ steps: [{ channel: 'call', after: '0m' }, { channel: 'email', after: '1d' }], contactCooldown: { call: '4h' } });
 * const wait = contactCooldown(policy, 'call', { call: Date.parse('2026-03-02T09:00:00Z') }, Date.parse('2026-03-02T09:01:00Z'));
 * // { channel: 'call', lastAt: Date.parse('2026-03-02T09:00:00Z'), cooldownMs: 14400000, until: Date.parse('2026-03-02T13:00:00Z') }
 * ```
 */
export function contactCooldown(
  policy: CadencePolicy,
  channel: TouchChannel | undefined,
  lastContactTouches: ContactTouches | undefined,
  at: number,
): ContactCooldown | undefined {
  if (channel === undefined || lastContactTouches === undefined) return undefined;
  const lastAt = lastContactTouches[channel];
  if (lastAt === undefined) return undefined;
  const cooldownMs = policy.contactCooldownMs?.(channel) ?? 0;
  if (!(cooldownMs > 0)) return undefined;
  const until = lastAt + cooldownMs;
  return at < until ? { channel, lastAt, cooldownMs, until } : undefined;
}

/**
 * The history note of a step postponed for the contact's cooldown.
 *
 * @example
 * ```ts
 * import { HOUR } from '@leadline/core';
 * import { describeContactCooldown } from './contact-cooldown.js';
 *
 * const wait = { channel: 'call', lastAt: Date.parse('2026-03-02T09:00:00Z'), cooldownMs: 4 * HOUR, until: Date.parse('2026-03-02T13:00:00Z') } as const;
 * describeContactCooldown('step 2 of 5: call at +1h', wait);
 * // 'step 2 of 5: call at +1h postponed to 2026-03-02T13:00Z: the contact's last call was at 2026-03-02T09:00Z (on any of their leads), contact cooldown 4h'
 * ```
 */
export function describeContactCooldown(label: string, cooldown: ContactCooldown): string {
  return `${label} postponed to ${formatInstant(cooldown.until)}: the contact's last ${cooldown.channel} was at ${formatInstant(cooldown.lastAt)} (on any of their leads), contact cooldown ${formatDuration(cooldown.cooldownMs)}`;
}

/**
 * The contact touch a commit records for an applied event: a `touch.logged` (whatever its outcome: an
 * attempt reached out), on a lead with contact keys; `undefined` for any other event or a lead without
 * keys. For `CommitUnit.contactTouches`.
 *
 * @example
 * ```ts
 * import { contactTouchOf } from './contact-cooldown.js';
 *
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * contactTouchOf({ type: 'touch.logged', id: 't1', at, channel: 'call', outcome: 'no_answer' }, ['phone:+4930123456']);
 * // { keys: ['phone:+4930123456'], channel: 'call', at }
 * ```
 */
export function contactTouchOf(event: MachineEvent, contactKeys: readonly string[] | undefined): ContactTouch | undefined {
  if (event.type !== 'touch.logged' || contactKeys === undefined || contactKeys.length === 0) return undefined;
  return { keys: [...contactKeys], channel: event.channel, at: event.at };
}
