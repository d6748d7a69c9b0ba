/**
 * The instant of the event the machine is handling, and the instant stamped on the timer events it
 * raises. Every lead event carries its `at`; timer events carry the instant they were due, so the machine
 * also runs in a plain XState actor, where delayed events come back exactly as they were raised.
 *
 * @module
 */
import type { MachineEvent } from '../lead/events.js';
import type { LeadMachineInput } from './initial-context.js';

/** What the machine handles: a lead event, or XState's initial event with the machine's input. */
export type LifecycleEvent = MachineEvent | { type: 'xstate.init'; input: LeadMachineInput };

/**
 * The time of the event being handled: its own `at`, or the intake time for the initial transition.
 *
 * @example
 * ```ts
 * import { eventTime } from './event-time.js';
 *
 * eventTime({ type: 'lead.qualified', id: 'q-1', at: 1_000 }); // 1000
 * ```
 */
export function eventTime(event: LifecycleEvent): number {
  if ('at' in event && typeof event.at === 'number') return event.at;
  if ('input' in event && event.input !== undefined) return event.input.lead.at;
  throw new TypeError(`event ${event.type} has no time: every lead event carries its instant in \`at\``);
}

/**
 * A timer's event, stamped with the instant it is due (never before the event that raises it).
 *
 * @example
 * ```ts
 * import { timerEvent } from './event-time.js';
 *
 * timerEvent({ type: 'snooze.ended' }, 5_000, 1_000); // { type: 'snooze.ended', at: 5000 }
 * timerEvent({ type: 'snooze.ended' }, 5_000, 9_000); // { type: 'snooze.ended', at: 9000 }: raised after its due time
 * ```
 */
export function timerEvent<E extends { type: string }>(event: E, dueAt: number, at: number): E & { at: number } {
  return { ...event, at: Math.max(dueAt, at) };
}
