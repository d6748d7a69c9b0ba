/**
 * The minimal cadence policy: a fixed list of steps, each a channel at an offset from the moment the
 * lead was assigned.
 *
 * @module
 */
import { z } from 'zod';
import { TOUCH_CHANNELS } from '../lead/events.js';
import { formatDuration } from '../time/duration.js';
import { parseConfig } from '../validation.js';
import { durationSchema } from './duration-config.js';
import type { CadencePolicy } from './types.js';

/**
 * zod schema of the options of {@link fixedCadence}; durations are parsed to milliseconds.
 *
 * @example
 * ```ts
 * fixedCadenceConfigSchema.safeParse(options).success;
 * ```
 */
export const fixedCadenceConfigSchema = z
  .strictObject({
    steps: z.array(z.strictObject({ channel: z.enum(TOUCH_CHANNELS), after: durationSchema })).min(1, 'needs at least one step'),
    onExhausted: z.enum(['recycle', 'hold']).default('recycle'),
    closeAfter: durationSchema.default(24 * 60 * 60 * 1000),
  })
  .superRefine((config, ctx) => {
    config.steps.forEach((step, index) => {
      const previous = config.steps[index - 1];
      if (previous && step.after < previous.after) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'after'], message: 'must not come before the previous step' });
      }
    });
  });

/** Options of {@link fixedCadence}. */
export type FixedCadenceConfig = z.input<typeof fixedCadenceConfigSchema>;

/**
 * A cadence of fixed steps, timed from assignment. `closeAfter` (default 1 day) after the last step
 * came due without a reply, the lead is recycled with the reason `no_response` (or held, with
 * `onExhausted: 'hold'`).
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * const cadence = fixedCadence({ steps: [
 *   { channel: 'call', after: '0m' }, { channel: 'email', after: '1h' }, { channel: 'call', after: '1d' },
 * ] });
 * ```
 */
export function fixedCadence(config: FixedCadenceConfig): CadencePolicy {
  const { steps, onExhausted, closeAfter } = parseConfig(fixedCadenceConfigSchema, config, 'fixedCadence config');
  return {
    name: 'fixed',
    length: steps.length,
    onExhausted,
    closeAfterMs: closeAfter,
    step(_lead, index, anchor) {
      const step = steps[index];
      if (!step) return undefined;
      return {
        index,
        channel: step.channel,
        dueAt: anchor + step.after,
        label: `step ${index + 1} of ${steps.length}: ${step.channel} at +${formatDuration(step.after)}`,
      };
    },
  };
}
