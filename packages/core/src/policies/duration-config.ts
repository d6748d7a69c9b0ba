/**
 * The zod form of a duration in a policy config: `'5m'`, `'2h'`, `'90d'` or a number of ms.
 *
 * @module
 */
import { z } from 'zod';
import { parseDuration } from '../time/duration.js';

/**
 * Accepts `'1h30m'`-style text or milliseconds; outputs milliseconds.
 *
 * @example
 * ```ts
 * import { durationSchema } from './duration-config.js';
 *
 * durationSchema.parse('5m'); // 300000
 * ```
 */
export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
