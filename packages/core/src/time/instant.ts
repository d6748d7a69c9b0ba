/**
 * Instants. Inside Leadline an instant is a number: milliseconds since the Unix epoch (UTC), cheap to
 * compare and to store. At the public edge an instant may also be an ISO-8601 string or a `Date`.
 *
 * @module
 */
import { z } from 'zod';
import { EARLIEST_INSTANT, LATEST_INSTANT } from '../limits.js';

/** What the public API accepts as a point in time: epoch milliseconds, an ISO-8601 string with an offset, or a Date. */
export type InstantInput = number | string | Date;

/**
 * zod schema that accepts an {@link InstantInput} and outputs epoch milliseconds. Every form must name an
 * instant from {@link EARLIEST_INSTANT} (1970-01-01) up to, not including, {@link LATEST_INSTANT}
 * (2200-01-01), in whole milliseconds: `8.64e15` is a valid `Date` but no lead's time.
 *
 * @example
 * ```ts
 * import { instantSchema } from '@leadline/core';
 *
 * instantSchema.parse('2026-03-02T09:00:00Z'); // 1772442000000
 * ```
 */
export const instantSchema = z
  .union([z.number(), z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-03-02T09:00:00Z' }), z.date()])
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
    if (!Number.isFinite(ms)) ctx.addIssue({ code: 'custom', message: 'must be a valid date' });
    else if (!Number.isInteger(ms)) ctx.addIssue({ code: 'custom', message: 'must be whole milliseconds' });
    else if (ms < EARLIEST_INSTANT) ctx.addIssue({ code: 'custom', message: 'must not be before 1970' });
    else if (ms >= LATEST_INSTANT)
      ctx.addIssue({ code: 'custom', message: `must be before ${formatInstant(LATEST_INSTANT).slice(0, 10)}, got ${describe(value)}` });
    return ms;
  });

/** How a refused instant is named in a message: as given, so that the caller recognizes it. */
function describe(value: number | string | Date): string {
  if (typeof value === 'string') return `"${value}"`;
  const ms = typeof value === 'number' ? value : value.getTime();
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? formatInstant(ms) : String(ms);
}

/**
 * Formats epoch milliseconds as an ISO-8601 string in UTC, minutes precision when seconds are zero.
 *
 * @example
 * ```ts
 * import { formatInstant } from '@leadline/core';
 *
 * formatInstant(1772442000000); // '2026-03-02T09:00Z'
 * ```
 */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : iso;
}
