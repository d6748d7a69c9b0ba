/**
 * When an event may be dated. Clocks disagree a little, so an event may lie a tolerance past the engine
 * clock's now, no further; and nothing a caller reports can happen to a lead before it was captured.
 * Both are refused before anything is written (docs/lifecycle.md says how late events are taken).
 *
 * @module
 */
import type { Clock } from '../clock.js';
import { ValidationError } from '../errors.js';
import type { MachineEvent } from '../lead/events.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import { idempotencyKindOf } from './idempotency-key.js';

/**
 * The refusal of an event (or a capture, by `subject`) dated later than `clock`'s now plus `tolerance`;
 * `undefined` when its time is fine.
 *
 * @example
 * ```ts
 * import { type LeadEvent, MINUTE, systemClock } from '@leadline/core';
 * import { tooLate } from './event-times.js';
 *
 * declare const event: LeadEvent; // a caller's event, parsed with leadEventSchema
 * const late = tooLate(event.at, 'event', systemClock(), 5 * MINUTE);
 * if (late) throw late; // a ValidationError at ['at']
 * ```
 */
export function tooLate(at: number, subject: string, clock: Clock, tolerance: number): ValidationError | undefined {
  const latest = clock.now() + tolerance;
  if (at <= latest) return undefined;
  return new ValidationError(subject, [
    {
      path: ['at'],
      message: `is ${formatInstant(at)}, later than now (${formatInstant(clock.now())}) plus the tolerance of ${formatDuration(tolerance)}`,
      code: 'event_in_future',
    },
  ]);
}

/**
 * The refusal of a caller's event (or intake) dated before its lead's capture at `capturedAt`;
 * `undefined` for one dated after it, and for the events the engine makes itself (timers, notes).
 *
 * @example
 * ```ts
 * import type { MachineEvent } from '@leadline/core';
 * import { beforeCapture } from './event-times.js';
 * import type { LeadSnapshot } from './machine-runner.js';
 *
 * declare const event: MachineEvent; // the next event queued for the lead
 * declare const snapshot: LeadSnapshot; // the lead's live snapshot
 * const early = beforeCapture(event, snapshot.context.capturedAt);
 * if (early) throw early; // a ValidationError at ['at']
 * ```
 */
export function beforeCapture(event: MachineEvent, capturedAt: number): ValidationError | undefined {
  const kind = idempotencyKindOf(event.type);
  if ((kind !== 'event' && kind !== 'intake') || event.at >= capturedAt) return undefined;
  const subject = kind === 'intake' ? 'capture input' : 'event';
  return new ValidationError(subject, [
    { path: ['at'], message: `is ${formatInstant(event.at)}, before the lead was captured (${formatInstant(capturedAt)})`, code: 'event_before_capture' },
  ]);
}
