/**
 * A sales rep as routing and escalation see them: who they report to, how many open leads they may hold,
 * where and what they sell, when they work and when they are away.
 *
 * @module
 */
import { z } from 'zod';
import { instantSchema } from '../time/instant.js';

/**
 * zod schema of a rep.
 *
 * @example
 * ```ts
 * import { repSchema } from '@leadline/core';
 *
 * repSchema.parse({ id: 'ann', manager: 'maria', capacity: 25, territories: ['DE', 'AT'], timeOff: [{ from: '2026-03-09T00:00:00Z', to: '2026-03-14T00:00:00Z' }] });
 * ```
 */
export const repSchema = z.strictObject({
  id: z.string().trim().min(1).max(200),
  name: z.string().min(1).max(200).optional(),
  /** The rep's manager (a rep id or any address the notifier understands). */
  manager: z.string().min(1).max(200).optional(),
  /** False when the rep takes no new leads (left, on leave, marked unavailable). */
  available: z.boolean().default(true),
  /** Open leads the rep may hold at most. */
  capacity: z.number().int().min(0).optional(),
  /** Share of round-robin assignments, relative to other reps (default 1). */
  weight: z.number().positive().default(1),
  territories: z.array(z.string().min(1)).default([]),
  segments: z.array(z.string().min(1)).default([]),
  sources: z.array(z.string().min(1)).default([]),
  /** The rep's business calendar, by name, for availability. */
  calendar: z.string().min(1).optional(),
  timeOff: z.array(z.strictObject({ from: instantSchema, to: instantSchema })).default([]),
});

/** A rep as written by the caller. */
export type RepInput = z.input<typeof repSchema>;
/** A rep after validation (instants in epoch ms). */
export type Rep = z.output<typeof repSchema>;

/**
 * Whether the rep takes new leads at `at`: available, and not on time off.
 *
 * @example
 * ```ts
 * import { isRepAvailable, repSchema } from '@leadline/core';
 *
 * const rep = repSchema.parse({ id: 'ann', timeOff: [{ from: '2026-03-09T00:00:00Z', to: '2026-03-14T00:00:00Z' }] });
 * isRepAvailable(rep, Date.parse('2026-03-10T10:00:00Z')); // false: on time off
 * ```
 */
export function isRepAvailable(rep: Rep, at: number): boolean {
  return rep.available && !rep.timeOff.some((off) => off.from <= at && at < off.to);
}
