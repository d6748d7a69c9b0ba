/**
 * The bounds of everything a caller or a config hands Leadline, in one place (docs/policies.md,
 * "Limits", lists them with the error each one raises). Each is generous for real leads and playbooks,
 * and small enough that no single input can cost a store, a snapshot or a business-time question more
 * than a bounded amount of work; every store gets the same answer because core refuses what is past
 * them before a store is reached.
 *
 * Plain numbers with no imports, so that the lowest floor (time, validation) can use them.
 *
 * @module
 */

/**
 * The earliest instant an input may name: 1970-01-01T00:00Z, epoch 0. Instants are epoch milliseconds
 * in stores (PostgreSQL `bigint`), and nothing a lead does happened before the epoch.
 *
 * @example
 * ```ts
 * import { EARLIEST_INSTANT } from './limits.js';
 *
 * new Date(EARLIEST_INSTANT).toISOString(); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export const EARLIEST_INSTANT = 0;

/**
 * The first instant an input may not name: 2200-01-01T00:00Z. Far past the life of any lead, yet far
 * enough inside what a `Date` holds (the year 275760) that a deadline computed from any accepted instant
 * (plus up to {@link MAX_DURATION_MS}, in any clock) is still a valid date, and so is each day a calendar
 * looks up around it.
 *
 * @example
 * ```ts
 * import { LATEST_INSTANT } from './limits.js';
 *
 * new Date(LATEST_INSTANT).toISOString(); // '2200-01-01T00:00:00.000Z'
 * ```
 */
export const LATEST_INSTANT = 7_258_118_400_000;

/**
 * The longest duration a config may give (an SLA target, a cadence step, a re-check, a tolerance):
 * 3650 days, about 10 years, in whole milliseconds. It is also how far ahead business-time arithmetic
 * looks: no deadline lies more than this after its start, in calendar or business time.
 *
 * @example
 * ```ts
 * import { MAX_DURATION_MS } from './limits.js';
 *
 * MAX_DURATION_MS / 86_400_000; // 3650
 * ```
 */
export const MAX_DURATION_MS = 315_360_000_000;

/**
 * How {@link MAX_DURATION_MS} reads in messages.
 *
 * @example
 * ```ts
 * import { MAX_DURATION_WORDS } from './limits.js';
 *
 * MAX_DURATION_WORDS; // '3650d (10 years)'
 * ```
 */
export const MAX_DURATION_WORDS = `${MAX_DURATION_MS / 86_400_000}d (10 years)`;

/**
 * The longest id: an intake id, a lead id, an event id (characters, after trimming).
 *
 * @example
 * ```ts
 * import { MAX_ID_LENGTH } from './limits.js';
 *
 * 'form-7781'.length <= MAX_ID_LENGTH; // true
 * ```
 */
export const MAX_ID_LENGTH = 200;

/**
 * The longest tenant id.
 *
 * @example
 * ```ts
 * import { MAX_TENANT_ID_LENGTH } from './limits.js';
 *
 * 'acme'.length <= MAX_TENANT_ID_LENGTH; // true
 * ```
 */
export const MAX_TENANT_ID_LENGTH = 100;

/**
 * The longest name: an owner or a rep (`by`), an activity, an opportunity id, a rep in a routing pool.
 *
 * @example
 * ```ts
 * import { MAX_NAME_LENGTH } from './limits.js';
 *
 * 'ann'.length <= MAX_NAME_LENGTH; // true
 * ```
 */
export const MAX_NAME_LENGTH = 200;

/**
 * The longest source of a lead (`demo_request`, `webinar`).
 *
 * @example
 * ```ts
 * import { MAX_SOURCE_LENGTH } from './limits.js';
 *
 * 'demo_request'.length <= MAX_SOURCE_LENGTH; // true
 * ```
 */
export const MAX_SOURCE_LENGTH = 100;

/**
 * The longest short text of a lead or an event: campaign, asset, form, segment, territory, the
 * contact's name and company, a reason.
 *
 * @example
 * ```ts
 * import { MAX_TEXT_LENGTH } from './limits.js';
 *
 * 'Spring launch 2026'.length <= MAX_TEXT_LENGTH; // true
 * ```
 */
export const MAX_TEXT_LENGTH = 500;

/**
 * The longest note: a touch's or a qualification's note, an activity's detail, an attribute's text value.
 *
 * @example
 * ```ts
 * import { MAX_NOTE_LENGTH } from './limits.js';
 *
 * 'Left a voicemail'.length <= MAX_NOTE_LENGTH; // true
 * ```
 */
export const MAX_NOTE_LENGTH = 2000;

/**
 * The most custom attributes a lead may carry. They live in its snapshot, which every commit rewrites.
 *
 * @example
 * ```ts
 * import { MAX_ATTRIBUTES } from './limits.js';
 *
 * Object.keys({ plan: 'pro', employees: 40 }).length <= MAX_ATTRIBUTES; // true
 * ```
 */
export const MAX_ATTRIBUTES = 100;

/**
 * The longest attribute key.
 *
 * @example
 * ```ts
 * import { MAX_ATTRIBUTE_KEY_LENGTH } from './limits.js';
 *
 * 'employees'.length <= MAX_ATTRIBUTE_KEY_LENGTH; // true
 * ```
 */
export const MAX_ATTRIBUTE_KEY_LENGTH = 100;

/**
 * The most characters a lead's attributes may take as JSON (32 KiB of text): with the count, what keeps
 * the snapshot small whatever the CRM sends.
 *
 * @example
 * ```ts
 * import { MAX_ATTRIBUTES_JSON_LENGTH } from './limits.js';
 *
 * JSON.stringify({ plan: 'pro' }).length <= MAX_ATTRIBUTES_JSON_LENGTH; // true
 * ```
 */
export const MAX_ATTRIBUTES_JSON_LENGTH = 32_768;

/**
 * The most steps a cadence may have (extra steps for `minTouches` come one at a time and do not count).
 *
 * @example
 * ```ts
 * import { MAX_CADENCE_STEPS } from './limits.js';
 *
 * [{ channel: 'call', after: '0m' }].length <= MAX_CADENCE_STEPS; // true
 * ```
 */
export const MAX_CADENCE_STEPS = 100;

/**
 * Object keys refused anywhere in an input or a config, with their path: JavaScript gives them a meaning
 * of their own (`obj.__proto__ = x` replaces the prototype; `reasons.constructor` exists on every object),
 * so a record keyed by them would be silently dropped or would shadow a built-in.
 *
 * @example
 * ```ts
 * import { RESERVED_KEYS } from './limits.js';
 *
 * RESERVED_KEYS.includes('__proto__'); // true
 * ```
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
