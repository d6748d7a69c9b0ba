/**
 * The minimal routing policy: the rep with the fewest open leads, ties broken by list order.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../validation.js';
import type { RoutingPolicy } from './types.js';

/**
 * zod schema of the options of {@link leastLoadedRouting}; durations are parsed to milliseconds.
 *
 * @example
 * ```ts
 * import { leastLoadedRoutingConfigSchema } from '@leadline/core';
 *
 * leastLoadedRoutingConfigSchema.safeParse({ reps: ['ann', 'bob'] }).success; // true
 * ```
 */
export const leastLoadedRoutingConfigSchema = z.strictObject({
  reps: z
    .array(z.string().trim().min(1))
    .min(1, 'needs at least one rep')
    .refine((reps) => new Set(reps).size === reps.length, 'must not name a rep twice'),
});

/** Options of {@link leastLoadedRouting}. */
export type LeastLoadedRoutingConfig = z.input<typeof leastLoadedRoutingConfigSchema>;

/**
 * Routes each lead to the rep with the fewest open leads, skipping reps the engine excludes (the rep
 * who breached an SLA, on a reassignment).
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { leastLoadedRouting } from '@leadline/core';
 *
 * const routing = leastLoadedRouting({ reps: ['ann', 'bob', 'cho'] });
 * ```
 */
export function leastLoadedRouting(config: LeastLoadedRoutingConfig): RoutingPolicy {
  const { reps } = parseConfig(leastLoadedRoutingConfigSchema, config, 'leastLoadedRouting config');
  return {
    name: 'least-loaded',
    route(_lead, { loads, exclude }) {
      let best: string | undefined;
      let bestLoad = Number.POSITIVE_INFINITY;
      for (const rep of reps) {
        const load = loads.get(rep)?.open ?? 0;
        if (!exclude.includes(rep) && load < bestLoad) {
          best = rep;
          bestLoad = load;
        }
      }
      if (best === undefined) return { reason: `every rep is excluded: ${reps.map((rep) => `${rep} (excluded)`).join(', ')}` };
      return { owner: best, reason: `least loaded of ${reps.length} reps: ${bestLoad} open` };
    },
  };
}
