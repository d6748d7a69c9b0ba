/**
 * The lifecycle states a lead can be in, and how to read the one it is in from a machine snapshot.
 *
 * @module
 */

/** Every lifecycle state, in funnel order. */
export const LIFECYCLE_STATES = ['new', 'qualifying', 'qualified', 'assigned', 'working', 'snoozed', 'recycled', 'converted', 'disqualified'] as const;

/** One lifecycle state. */
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** States a lead never leaves. */
export const TERMINAL_STATES: readonly LifecycleState[] = ['converted', 'disqualified'];

/**
 * The lifecycle state of a machine snapshot's value: the `stage` region while the lead is open, the
 * top-level state otherwise.
 *
 * @example
 * ```ts
 * import { lifecycleOf } from '@leadline/core';
 *
 * lifecycleOf({ open: { stage: 'working', sla: 'met', cadence: 'active' } }); // 'working'
 * lifecycleOf('recycled'); // 'recycled'
 * ```
 */
export function lifecycleOf(value: unknown): LifecycleState {
  if (typeof value === 'string') return value as LifecycleState;
  const open = (value as { open?: { stage?: unknown } }).open;
  if (open && typeof open.stage === 'string') return open.stage as LifecycleState;
  throw new Error(`Not a lead machine state value: ${JSON.stringify(value)}`);
}

/**
 * The state of the SLA and cadence regions while the lead is open (`undefined` otherwise).
 *
 * @example
 * ```ts
 * import { regionsOf } from './states.js';
 *
 * regionsOf({ open: { stage: 'assigned', sla: 'running', cadence: 'active' } }); // { sla: 'running', cadence: 'active' }
 * ```
 */
export function regionsOf(value: unknown): { sla: string; cadence: string } | undefined {
  const open = typeof value === 'object' && value !== null ? (value as { open?: { sla?: string; cadence?: string } }).open : undefined;
  return open ? { sla: String(open.sla), cadence: String(open.cadence) } : undefined;
}
