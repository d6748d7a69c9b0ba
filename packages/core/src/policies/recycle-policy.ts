/**
 * The built-in recycle policy: reason codes sales may give, and per reason how long the lead is nurtured
 * before new intent counts, when it is re-checked (re-check dates count from the first hand-back of a
 * run with the same reason: 90, 180 and 365 days means the lead comes back at 3 months, and if handed back
 * again for that reason at 6, then 12), or whether the reason closes the lead. Intent (an activity type or
 * a score threshold) re-engages a nurtured lead; after `maxRecycles` the next hand-back closes it.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../validation.js';
import { durationSchema } from './duration-config.js';
import type { RecyclePolicy } from './types.js';

const reasonSchema = z.strictObject({
  /** How long new intent is only recorded, before it may hand the lead back to sales. */
  nurtureFor: durationSchema.default(0),
  /** Offsets from the start of the reason's cycle; empty: only intent brings the lead back. */
  recheck: z.array(durationSchema.refine((ms) => ms > 0, 'must be longer than zero')).default([]),
  /** A hand-back with this reason closes the lead (disqualified with the reason). */
  closes: z.boolean().default(false),
});

/**
 * zod schema of the options of {@link recyclePolicy}.
 *
 * @example
 * ```ts
 * import { recyclePolicyConfigSchema } from '@leadline/core';
 *
 * recyclePolicyConfigSchema.safeParse({ reasons: { not_ready: { recheck: ['90d'] } } }).success; // true
 * ```
 */
export const recyclePolicyConfigSchema = z
  .strictObject({
    reasons: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'reason codes are snake_case, like not_ready'), reasonSchema),
    maxRecycles: z.number().int().min(0).default(3),
    reengageOn: z
      .strictObject({
        activities: z.array(z.string().min(1)).default(['pricing_page_visit', 'demo_request']),
        minScore: z.number().finite().optional(),
      })
      .default({ activities: ['pricing_page_visit', 'demo_request'] }),
  })
  .superRefine((config, ctx) => {
    if (Object.keys(config.reasons).length === 0) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'needs at least one reason code' });
    for (const [reason, rules] of Object.entries(config.reasons)) {
      rules.recheck.forEach((offset, index) => {
        if (index > 0 && offset <= (rules.recheck[index - 1] as number)) {
          ctx.addIssue({ code: 'custom', path: ['reasons', reason, 'recheck', index], message: 'must come after the previous re-check' });
        }
      });
      if (rules.closes && rules.recheck.length > 0)
        ctx.addIssue({ code: 'custom', path: ['reasons', reason, 'recheck'], message: 'a reason that closes the lead has no re-check' });
    }
    // The cadence recycles with `no_response`, so a configured policy must know it.
    if (!config.reasons.no_response)
      ctx.addIssue({ code: 'custom', path: ['reasons', 'no_response'], message: 'is required: a cadence that ends without a reply recycles with it' });
  });

/** Options of {@link recyclePolicy}. */
export type RecyclePolicyConfig = z.input<typeof recyclePolicyConfigSchema>;

/**
 * Builds the recycle policy.
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { recyclePolicy } from '@leadline/core';
 *
 * const recycle = recyclePolicy({
 *   reasons: {
 *     not_ready: { recheck: ['90d', '180d', '365d'] },
 *     no_budget: { nurtureFor: '30d', recheck: ['180d'] },
 *     timing: { recheck: ['90d'] },
 *     no_response: { recheck: ['90d', '180d', '365d'] },
 *     wrong_contact: { closes: true },
 *   },
 *   maxRecycles: 3,
 *   reengageOn: { activities: ['pricing_page_visit'], minScore: 80 },
 * });
 * ```
 */
export function recyclePolicy(config: RecyclePolicyConfig): RecyclePolicy {
  const { reasons, maxRecycles, reengageOn } = parseConfig(recyclePolicyConfigSchema, config, 'recycle policy config');
  const intent = new Set(reengageOn.activities);
  return {
    name: 'recycle',
    maxRecycles,
    reasons: Object.keys(reasons),
    closes: (reason) => reasons[reason]?.closes ?? false,
    recheckAt(lead, reason, at) {
      const offsets = reasons[reason]?.recheck ?? [];
      const offset = offsets[(lead.recycle.cycleCount ?? 1) - 1];
      if (offset === undefined) return undefined;
      // Counted from the start of the cycle; a date already past (a late hand-back) comes at once.
      return Math.max(at, (lead.recycle.cycleStartedAt ?? at) + offset);
    },
    isIntent({ activity, score }, lead, at) {
      const quiet = reasons[lead.recycle.reason ?? '']?.nurtureFor ?? 0;
      if (lead.recycle.recycledAt !== undefined && at < lead.recycle.recycledAt + quiet) return false;
      return intent.has(activity) || (reengageOn.minScore !== undefined && score !== undefined && score >= reengageOn.minScore);
    },
  };
}

/**
 * Why a hand-back's reason is refused by a recycle policy, or `undefined` when it is taken: a policy
 * that lists its reason codes takes only those. The engine asks before it writes anything.
 *
 * @example
 * ```ts
 * import { recyclePolicy, recycleReasonRefusal } from '@leadline/core';
 *
 * recycleReasonRefusal(recyclePolicy({ reasons: { not_ready: {}, no_response: {} } }), 'bored');
 * // 'must be one of the recycle reasons: not_ready, no_response'
 * ```
 */
export function recycleReasonRefusal(policy: RecyclePolicy | undefined, reason: string): string | undefined {
  const reasons = policy?.reasons;
  if (!reasons || reasons.includes(reason)) return undefined;
  return `must be one of the recycle reasons: ${reasons.join(', ')}`;
}
