/**
 * What a touch is: the channels a follow-up goes through and what can come of it. At the bottom of the
 * lead's vocabulary, so that events and consent both build on it.
 *
 * @module
 */

/**
 * The channels a touch can go through.
 *
 * @example
 * ```ts
 * import { TOUCH_CHANNELS } from '@leadline/core';
 *
 * TOUCH_CHANNELS.includes('sms'); // true
 * ```
 */
export const TOUCH_CHANNELS = ['call', 'email', 'social', 'sms', 'task'] as const;
/** A follow-up channel: call, email, social, sms or task. */
export type TouchChannel = (typeof TOUCH_CHANNELS)[number];

/**
 * What came of a touch.
 *
 * @example
 * ```ts
 * import { TOUCH_OUTCOMES } from '@leadline/core';
 *
 * TOUCH_OUTCOMES.includes('voicemail'); // true
 * ```
 */
export const TOUCH_OUTCOMES = ['connected', 'voicemail', 'no_answer', 'sent', 'bounced', 'replied'] as const;
/** The outcome of one touch. */
export type TouchOutcome = (typeof TOUCH_OUTCOMES)[number];
