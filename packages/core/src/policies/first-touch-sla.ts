/**
 * The simplest SLA: one first-touch deadline in calendar time after the lead arrives (or re-engages),
 * optionally tighter per source. A shorthand for {@link slaPolicy}.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../validation.js';
import { durationSchema } from './duration-config.js';
import { slaPolicy } from './sla-policy.js';
import type { SlaPolicy } from './types.js';

/**
 * zod schema of the options of {@link firstTouchSla}; durations are parsed to milliseconds.
 *
 * @example
 * ```ts
 * import { firstTouchSlaConfigSchema } from '@leadline/core';
 *
 * firstTouchSlaConfigSchema.safeParse({ within: '1h' }).success; // true
 * ```
 */
export const firstTouchSlaConfigSchema = z.strictObject({
  within: durationSchema.refine((ms) => ms > 0, 'must be longer than zero'),
  bySource: z
    .record(
      z.string(),
      durationSchema.refine((ms) => ms > 0, 'must be longer than zero'),
    )
    .optional(),
});

/** Options of {@link firstTouchSla}. */
export type FirstTouchSlaConfig = z.input<typeof firstTouchSlaConfigSchema>;

/**
 * A first-touch SLA: the lead must be touched within `within` (calendar time) of its arrival.
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { firstTouchSla } from '@leadline/core';
 *
 * const sla = firstTouchSla({ within: '24h', bySource: { demo_request: '5m', content_download: '1h' } });
 * ```
 */
export function firstTouchSla(config: FirstTouchSlaConfig): SlaPolicy {
  const { within, bySource = {} } = parseConfig(firstTouchSlaConfigSchema, config, 'firstTouchSla config');
  return slaPolicy({
    slas: [
      {
        name: 'first_touch',
        startsOn: 'captured',
        endsOn: ['touch.logged'],
        within,
        targets: Object.entries(bySource).map(([source, target]) => ({ when: { source }, within: target })),
      },
    ],
  });
}
