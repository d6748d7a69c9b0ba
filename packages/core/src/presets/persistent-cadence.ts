/**
 * The persistence playbook: 7 touches over about three weeks, mixing calls, emails and social touches;
 * never ending before 6 touches; stopping at once on a reply or a booked meeting.
 *
 * @module
 */
import type { PolicyConfig } from '../policies/policy-config.js';

/**
 * Options of {@link persistentCadence}.
 *
 * @example
 * ```ts
 * import type { PersistentCadenceOptions } from '@leadline/core';
 *
 * const options: PersistentCadenceOptions = { sendWindow: { timeZone: 'Europe/Berlin', weekly: { mon: ['08:00-18:00'] } } };
 * ```
 */
export interface PersistentCadenceOptions {
  /** Hours touches may be due, applied in each lead's time zone; none by default. */
  sendWindow?: NonNullable<PolicyConfig['cadence']>['sendWindow'];
}

/**
 * The cadence section of the persistence playbook: call, email, call, social, call, email, call over 17
 * days, then 4 days to answer before the lead is recycled with `no_response`.
 *
 * @example
 * ```ts
 * import { definePolicies, persistentCadence, speedToLead } from '@leadline/core';
 *
 * const { calendars, ...policies } = definePolicies({ ...speedToLead(), ...persistentCadence() });
 * ```
 */
export function persistentCadence({ sendWindow }: PersistentCadenceOptions = {}): Pick<PolicyConfig, 'cadence'> {
  return {
    cadence: {
      name: 'persistent',
      steps: [
        { channel: 'call', after: '0m' },
        { channel: 'email', after: '1h' },
        { channel: 'call', after: '1d' },
        { channel: 'social', after: '3d' },
        { channel: 'call', after: '7d' },
        { channel: 'email', after: '10d' },
        { channel: 'call', after: '17d' },
      ],
      minTouches: 6,
      extraEvery: '2d',
      minGap: '2h',
      closeAfter: '4d',
      onExhausted: 'recycle',
      ...(sendWindow && { sendWindow }),
    },
  };
}
