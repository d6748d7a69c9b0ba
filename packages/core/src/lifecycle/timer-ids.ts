/**
 * The ids of the lifecycle's timers. Each id names one pending timer per lead, so raising it again
 * replaces the last one and cancelling it needs no bookkeeping. SLA timers are `sla:<name>`, one per SLA
 * (see `slaTimerId`).
 *
 * @module
 */

/**
 * Timer ids of the cadence, snooze, re-check, out-of-office and re-routing timers.
 *
 * @example
 * ```ts
 * import type { TimerRow } from '@leadline/core';
 * import { TIMER_IDS } from './timer-ids.js';
 *
 * declare const timers: TimerRow[]; // store.timersOf(tenantId, leadId)
 * const pending = timers.find((timer) => timer.timerId === TIMER_IDS.cadence);
 * ```
 */
export const TIMER_IDS = { cadence: 'cadence', snooze: 'snooze', recheck: 'recycle', away: 'away', route: 'route' } as const;
