/**
 * The simplest cadence: a fixed list of steps, each a channel at an offset in calendar time from the
 * moment the lead was assigned. A shorthand for {@link cadencePolicy} without send windows, gaps or a
 * minimum number of touches.
 *
 * @module
 */
import { z } from 'zod';
import { TOUCH_CHANNELS } from '../lead/events.js';
import { parseConfig } from '../validation.js';
import { cadencePolicy, cadenceStepsSchema, missedStepsSchema } from './cadence-policy.js';
import { durationSchema } from './duration-config.js';
import type { CadencePolicy } from './types.js';

/**
 * zod schema of the options of {@link fixedCadence}; durations are parsed to milliseconds.
 *
 * @example
 * ```ts
 * import { fixedCadenceConfigSchema } from '@leadline/core';
 *
 * fixedCadenceConfigSchema.safeParse({ steps: [{ channel: 'call', after: '0m' }] }).success; // true
 * ```
 */
export const fixedCadenceConfigSchema = z.strictObject({
  steps: cadenceStepsSchema,
  onExhausted: z.enum(['recycle', 'hold']).default('recycle'),
  closeAfter: durationSchema.default(24 * 60 * 60 * 1000),
  /** The minimum gap per channel between touches of one person across their leads (see `cadencePolicy`). */
  contactCooldown: z.union([durationSchema, z.partialRecord(z.enum(TOUCH_CHANNELS), durationSchema)]).optional(),
  /** What happens when the owner lets steps come due untouched (see `cadencePolicy`). */
  missedSteps: missedStepsSchema,
});

/** Options of {@link fixedCadence}. */
export type FixedCadenceConfig = z.input<typeof fixedCadenceConfigSchema>;

/**
 * A cadence of fixed steps, timed from assignment. `closeAfter` (default 1 day) after the last step came
 * due without a reply, the lead is recycled with the reason `no_response` (or held, with
 * `onExhausted: 'hold'`).
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { fixedCadence } from '@leadline/core';
 *
 * const cadence = fixedCadence({ steps: [
 *   { channel: 'call', after: '0m' }, { channel: 'email', after: '1h' }, { channel: 'call', after: '1d' },
 * ] });
 * ```
 */
export function fixedCadence(config: FixedCadenceConfig): CadencePolicy {
  const { steps, onExhausted, closeAfter, contactCooldown, missedSteps } = parseConfig(fixedCadenceConfigSchema, config, 'fixedCadence config');
  return cadencePolicy({
    name: 'fixed',
    steps,
    onExhausted,
    closeAfter,
    minTouches: 0,
    missedSteps,
    ...(contactCooldown === undefined ? {} : { contactCooldown }),
  });
}
