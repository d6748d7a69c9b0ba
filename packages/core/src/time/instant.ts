/**
 * Instants. Inside Leadline an instant is a number: milliseconds since the Unix epoch (UTC), cheap to
 * compare and to store. At the public edge an instant may also be an ISO-8601 string or a `Date`.
 *
 * @module
 */
import { z } from 'zod';

/** What the public API accepts as a point in time: epoch milliseconds, an ISO-8601 string with an offset, or a Date. */
export type InstantInput = number | string | Date;

/**
 * zod schema that accepts an {@link InstantInput} and outputs epoch milliseconds.
 *
 * @example
 * ```ts
 * instantSchema.parse('2026-03-02T09:00:00Z'); // 1772442000000
 * ```
 */
export const instantSchema = z
  .union([
    z.number().int('must be whole milliseconds').nonnegative('must not be before 1970'),
    z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-03-02T09:00:00Z' }),
    z.date(),
  ])
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
    if (!Number.isFinite(ms)) ctx.addIssue({ code: 'custom', message: 'must be a valid date' });
    return ms;
  });

/**
 * Formats epoch milliseconds as an ISO-8601 string in UTC, minutes precision when seconds are zero.
 *
 * @example
 * ```ts
 * formatInstant(1772442000000); // '2026-03-02T09:00Z'
 * ```
 */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : iso;
}
