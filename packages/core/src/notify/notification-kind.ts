/**
 * The kinds of notification the lifecycle produces, delivered through the outbox.
 *
 * It lives apart from the machine that raises them because the store, the notifier port and the
 * templates all name a kind, and none of them should depend on the lifecycle to do so.
 *
 * @example
 * ```ts
 * const kind: NotificationKind = 'sla.breached';
 * ```
 */
export type NotificationKind =
  | 'lead.assigned'
  | 'lead.reassigned'
  | 'lead.unrouted'
  | 'sla.warning'
  | 'sla.breached'
  | 'sla.escalated'
  | 'touch.due'
  | 'touch.missed'
  | 'lead.reengaged'
  | 'daily.digest';
