/**
 * Pure bookkeeping of a hand-back: the recycle count, the reason, and the cycle it belongs to (hand-backs
 * in a row with the same reason), from which a recycle policy counts its re-check dates.
 *
 * @module
 */
import type { LeadContext } from '../lead/context.js';
import type { RecyclePolicy } from '../policies/types.js';

/**
 * The lead's recycle record after one more hand-back with `reason` at `at`.
 *
 * @example
 * ```ts
 * import { handedBack } from './recycling.js';
 *
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * handedBack({ count: 0, reengaged: 0 }, 'not_ready', at); // { count: 1, reengaged: 0, reason: 'not_ready', cycleStartedAt: at, cycleCount: 1 }
 * ```
 */
export function handedBack(recycle: LeadContext['recycle'], reason: string, at: number): LeadContext['recycle'] {
  const sameCycle = recycle.reason === reason && recycle.cycleStartedAt !== undefined;
  return {
    ...recycle,
    count: recycle.count + 1,
    reason,
    cycleStartedAt: sameCycle ? (recycle.cycleStartedAt as number) : at,
    cycleCount: sameCycle ? (recycle.cycleCount ?? 0) + 1 : 1,
  };
}

/**
 * Whether the lead has been handed back as often as the recycle policy allows: the next hand-back closes
 * it rather than nurturing it forever. Without a policy there is no limit.
 *
 * @example
 * ```ts
 * import { type LeadContext, nurtureRecycle } from '@leadline/core';
 * import { recycleLimitReached } from './recycling.js';
 *
 * declare const context: LeadContext; // the lead's context in the machine
 * recycleLimitReached({ ...context, recycle: { count: 3, reengaged: 2 } }, nurtureRecycle({ maxRecycles: 3 })); // true
 * ```
 */
export function recycleLimitReached(context: LeadContext, policy: RecyclePolicy | undefined): boolean {
  return context.recycle.count >= (policy?.maxRecycles ?? Number.POSITIVE_INFINITY);
}
