/**
 * Every kind of notification the engine produces, in one list: the type is derived from it, so adding a
 * kind is one line here (and its headline in the templates, which the compiler then asks for).
 *
 * @example
 * ```ts
 * import { NOTIFICATION_KINDS } from '@leadline/core';
 *
 * NOTIFICATION_KINDS.includes('sla.breached'); // true
 * ```
 */
export const NOTIFICATION_KINDS = [
  'lead.assigned',
  'lead.reassigned',
  'lead.unrouted',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'touch.due',
  'touch.missed',
  'lead.reengaged',
  'daily.digest',
] as const;

/**
 * One kind of notification.
 *
 * @example
 * ```ts
 * import type { NotificationKind } from '@leadline/core';
 *
 * const kind: NotificationKind = 'sla.breached';
 * ```
 */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
