/**
 * The minimal recycle policy: a handed-back lead goes to nurture, is re-checked after a fixed delay,
 * re-engages on a configured intent activity or score, and closes after too many recycles.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../validation.js';
import { durationSchema } from './duration-config.js';
import type { RecyclePolicy } from './types.js';

/**
 * zod schema of the options of {@link nurtureRecycle}; durations are parsed to milliseconds.
 *
 * @example
 * ```ts
 * import { nurtureRecycleConfigSchema } from '@leadline/core';
 *
 * nurtureRecycleConfigSchema.safeParse({ recheckAfter: '90d', maxRecycles: 3 }).success; // true
 * ```
 */
export const nurtureRecycleConfigSchema = z.strictObject({
  recheckAfter: durationSchema.refine((ms) => ms > 0, 'must be longer than zero').optional(),
  maxRecycles: z.number().int().min(0).default(3),
  intentActivities: z.array(z.string().min(1)).default(['pricing_page_visit', 'demo_request']),
  scoreThreshold: z.number().finite().optional(),
});

/** Options of {@link nurtureRecycle}. */
export type NurtureRecycleConfig = z.input<typeof nurtureRecycleConfigSchema>;

/**
 * Recycle to nurture with a re-check delay.
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { nurtureRecycle } from '@leadline/core';
 *
 * const recycle = nurtureRecycle({ recheckAfter: '90d', maxRecycles: 3, intentActivities: ['pricing_page_visit'] });
 * ```
 */
export function nurtureRecycle(config: NurtureRecycleConfig = {}): RecyclePolicy {
  const { recheckAfter, maxRecycles, intentActivities, scoreThreshold } = parseConfig(nurtureRecycleConfigSchema, config, 'nurtureRecycle config');
  const intent = new Set(intentActivities);
  return {
    name: 'nurture',
    maxRecycles,
    recheckAt: (_lead, _reason, at) => (recheckAfter === undefined ? undefined : at + recheckAfter),
    isIntent: ({ activity, score }, _lead, _at) => intent.has(activity) || (scoreThreshold !== undefined && score !== undefined && score >= scoreThreshold),
  };
}
