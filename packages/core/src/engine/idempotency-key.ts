/**
 * Idempotency keys: how the engine remembers that an event was applied. Callers and the engine both
 * make ids (a form's intake id, a CRM's event id, a timer's scheduling, a routing decision), so each
 * kind of id gets its own namespace: no id a caller writes can ever equal one the engine makes, and an
 * intake id is a duplicate only of an earlier intake.
 *
 * @module
 */
import { TIMER_EVENT_TYPES } from '../lead/events.js';

/** Where an id comes from: an intake, a caller's event, a timer, a note, or a decision derived from another event. */
export type IdempotencyKind = 'intake' | 'event' | 'timer' | 'note' | 'derived';

const TIMER_TYPES: ReadonlySet<string> = new Set(TIMER_EVENT_TYPES);

/**
 * The kind of id an event carries, from its type: intakes (`lead.captured`, a merged duplicate),
 * timers, history notes, or a caller's event.
 *
 * @example
 * ```ts
 * import { idempotencyKindOf } from './idempotency-key.js';
 *
 * idempotencyKindOf('sla.breached'); // 'timer'
 * ```
 */
export function idempotencyKindOf(type: string): IdempotencyKind {
  if (type === 'lead.captured' || type === 'lead.merged') return 'intake';
  if (TIMER_TYPES.has(type)) return 'timer';
  if (type === 'notification.delivered' || type === 'notification.dead_lettered') return 'note';
  return 'event';
}

/**
 * The key under which an event is remembered as applied. The kind is a fixed word before the first
 * colon, so keys of different kinds never meet, whatever the ids contain.
 *
 * @example
 * ```ts
 * import { idempotencyKey } from './idempotency-key.js';
 *
 * idempotencyKey({ type: 'touch.logged', id: 'call-1' }); // 'event:call-1'
 * idempotencyKey({ type: 'lead.captured', id: 'form-7' }); // 'intake:form-7'
 * ```
 */
export function idempotencyKey(event: { type: string; id: string }): string {
  return `${idempotencyKindOf(event.type)}:${event.id}`;
}

/**
 * The key of a decision the engine derives from another event (routing it, reassigning it): the cause's
 * key with a suffix, in the `derived` namespace.
 *
 * @example
 * ```ts
 * import { derivedKey } from './idempotency-key.js';
 *
 * derivedKey('intake:form-7', 'route'); // 'derived:intake:form-7#route'
 * ```
 */
export function derivedKey(causeKey: string, decision: string): string {
  return `derived:${causeKey}#${decision}`;
}
