/**
 * Which channels each kind of notification goes to, and to whom: for example a breach to Slack and to
 * the manager's email.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../validation.js';
import type { NotificationKind } from './notification-kind.js';

/** Every kind of notification the engine produces. */
export const NOTIFICATION_KINDS = [
  'lead.assigned',
  'lead.reassigned',
  'lead.unrouted',
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'touch.due',
  'lead.reengaged',
  'daily.digest',
] as const;

const routeSchema = z.strictObject({
  channel: z.string().trim().min(1),
  /** `owner` (the lead's owner), `manager` (the owner's manager), `both`; by default as the decision says. */
  audience: z.enum(['owner', 'manager', 'both']).optional(),
});

/**
 * zod schema of notification routes: per kind, the channels it goes to.
 *
 * @example
 * ```ts
 * notificationRoutesSchema.parse({ 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }] });
 * ```
 */
export const notificationRoutesSchema = z.partialRecord(z.enum(NOTIFICATION_KINDS), z.array(routeSchema).min(1, 'needs at least one channel'));

/**
 * One channel a kind of notification goes to, and to whom.
 *
 * @example
 * ```ts
 * const route: NotificationRoute = { channel: 'email', audience: 'manager' };
 * ```
 */
export interface NotificationRoute {
  channel: string;
  audience?: 'owner' | 'manager' | 'both' | undefined;
}
/** Routes as written. */
export type NotificationRoutesConfig = Partial<Record<NotificationKind, NotificationRoute[]>>;
/** Routes per kind, validated. */
export type NotificationRoutes = Partial<Record<NotificationKind, NotificationRoute[]>>;

/** The route of kinds no configuration names: one `default` channel, to whom the decision says. */
export const DEFAULT_ROUTE: readonly NotificationRoute[] = [{ channel: 'default' }];

/**
 * Validates notification routes.
 *
 * @throws ConfigError naming every problem with its path.
 * @example
 * ```ts
 * const routes = notificationRoutes({ 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }] });
 * ```
 */
export function notificationRoutes(config: NotificationRoutesConfig): NotificationRoutes {
  return parseConfig(notificationRoutesSchema, config, 'notification routes');
}
