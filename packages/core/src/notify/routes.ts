/**
 * Which channels each kind of notification goes to, and to whom: for example a breach to Slack and to
 * the manager's email, or the warnings of central qualification to the qualification team.
 *
 * @module
 */
import { z } from 'zod';
import { ConfigError, type Problem } from '../errors.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../lead/notification-kind.js';
import { parseConfig } from '../validation.js';

/** snake_case, like every other name in a config (SLA names, recycle reasons). */
const AUDIENCE_NAME = /^[a-z][a-z0-9_]*$/;
const TEAM_AUDIENCE = /^team:[a-z][a-z0-9_]*$/;

/**
 * The name of the audience that gets what is meant for the owner of a lead that has no owner (yet), when
 * a route does not say otherwise.
 *
 * @example
 * ```ts
 * import { createEngine, UNOWNED_AUDIENCE } from '@leadline/core';
 *
 * createEngine({ audiences: { [UNOWNED_AUDIENCE]: ['sales-ops@example.com'] } });
 * ```
 */
export const UNOWNED_AUDIENCE = 'unowned';

const teamAudienceSchema = z.string().regex(TEAM_AUDIENCE, 'must be team:<name>, the name in snake_case');

const routeSchema = z.strictObject({
  channel: z.string().trim().min(1),
  /**
   * `owner` (the lead's owner), `manager` (the owner's manager), `both`, or `team:<name>` (a named
   * audience of the engine); by default as the decision says.
   */
  audience: z
    .union([z.enum(['owner', 'manager', 'both']), teamAudienceSchema], { error: 'must be owner, manager, both or team:<name> (the name in snake_case)' })
    .optional(),
  /** Who gets it instead when it is meant for the owner (or the owner's manager) and the lead has no owner. */
  unowned: teamAudienceSchema.optional(),
});

/**
 * zod schema of notification routes: per kind, the channels it goes to.
 *
 * @example
 * ```ts
 * import { notificationRoutesSchema } from '@leadline/core';
 *
 * notificationRoutesSchema.parse({ 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }] });
 * ```
 */
export const notificationRoutesSchema = z.partialRecord(z.enum(NOTIFICATION_KINDS), z.array(routeSchema).min(1, 'needs at least one channel'));

/**
 * A named audience as a route or a decision names it: `team:<name>`, the name a key of the engine's
 * `audiences`.
 *
 * @example
 * ```ts
 * import type { TeamAudience } from '@leadline/core';
 *
 * const audience: TeamAudience = 'team:qualification';
 * ```
 */
export type TeamAudience = `team:${string}`;

/**
 * To whom a route sends: the lead's `owner`, the owner's `manager` (from the rep directory), `both`, or
 * a named audience of the engine (`team:<name>`: a team, a queue, a role).
 *
 * @example
 * ```ts
 * import type { NotificationAudience } from '@leadline/core';
 *
 * const audience: NotificationAudience = 'team:qualification';
 * ```
 */
export type NotificationAudience = 'owner' | 'manager' | 'both' | TeamAudience;

/**
 * One channel a kind of notification goes to, and to whom.
 *
 * @example
 * ```ts
 * import type { NotificationRoute } from '@leadline/core';
 *
 * const route: NotificationRoute = { channel: 'email', audience: 'manager' };
 * const qualification: NotificationRoute = { channel: 'slack', unowned: 'team:qualification' };
 * ```
 */
export interface NotificationRoute {
  channel: string;
  audience?: NotificationAudience | undefined;
  /**
   * Who gets it instead when it is meant for the owner (or the owner's manager) of a lead that has no
   * owner, such as a lead in central qualification; the engine's `unowned` audience otherwise.
   */
  unowned?: TeamAudience | undefined;
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
 * import { notificationRoutes } from '@leadline/core';
 *
 * const routes = notificationRoutes({ 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }] });
 * ```
 */
export function notificationRoutes(config: NotificationRoutesConfig): NotificationRoutes {
  // The schema's output type widens `team:<name>` to a string; the regex has checked it.
  return parseConfig(notificationRoutesSchema, config, 'notification routes') as NotificationRoutes;
}

/**
 * zod schema of named audiences: a snake_case name (a team, a queue, a role) to its recipients (rep
 * ids or addresses, as the notifiers take them), at least one each.
 *
 * @example
 * ```ts
 * import { notificationAudiencesSchema } from '@leadline/core';
 *
 * notificationAudiencesSchema.parse({ qualification: ['qa-lead', 'sdr-desk@example.com'] });
 * ```
 */
export const notificationAudiencesSchema = z.record(
  z.string().regex(AUDIENCE_NAME, 'must be snake_case: lower-case letters, digits and _, starting with a letter'),
  z.array(z.string().trim().min(1)).min(1, 'needs at least one recipient'),
);

/**
 * Named audiences, validated: name to recipients.
 *
 * @example
 * ```ts
 * import type { NotificationAudiences } from '@leadline/core';
 *
 * const audiences: NotificationAudiences = { qualification: ['qa-lead'], unowned: ['sales-ops@example.com'] };
 * ```
 */
export type NotificationAudiences = Readonly<Record<string, readonly string[]>>;

/**
 * Validates named audiences.
 *
 * @throws ConfigError naming every problem with its path, e.g. `["Qualification"]` or `["qualification", 0]`.
 * @example
 * ```ts
 * import { notificationAudiences } from '@leadline/core';
 *
 * const audiences = notificationAudiences({ qualification: ['qa-lead'], unowned: ['sales-ops@example.com'] });
 * ```
 */
export function notificationAudiences(config: Record<string, readonly string[]>): NotificationAudiences {
  return parseConfig(notificationAudiencesSchema, config, 'notification audiences');
}

/**
 * The routes an engine runs: those that come with its policies (a preset's), replaced kind by kind by
 * the engine's own, each checked against the audiences, so a route to a team nobody configured fails
 * at creation instead of notifying nobody at run time.
 *
 * @throws ConfigError naming the kind, the route's index and the known audiences of every route to an
 *   unknown team (and every problem of either set of routes).
 * @example
 * ```ts
 * import { engineRoutes } from './routes.js';
 *
 * const routes = engineRoutes(
 *   { policies: { 'sla.warning': [{ channel: 'default', unowned: 'team:qualification' }] }, engine: { 'sla.breached': [{ channel: 'slack' }] } },
 *   { qualification: ['qa-lead'] },
 * );
 * ```
 */
export function engineRoutes(
  sources: { policies?: NotificationRoutesConfig | undefined; engine?: NotificationRoutesConfig | undefined },
  audiences: NotificationAudiences,
): NotificationRoutes {
  const fromPolicies = sources.policies ? notificationRoutes(sources.policies) : {};
  const fromEngine = sources.engine ? notificationRoutes(sources.engine) : {};
  const routes: NotificationRoutes = { ...fromPolicies, ...fromEngine };
  const known = Object.keys(audiences);
  const problems: Problem[] = [];
  // Only the routes in force: a policy route the engine replaces needs no audience.
  for (const [kind, list] of Object.entries(routes) as [NotificationKind, NotificationRoute[]][]) {
    const mine = kind in fromEngine;
    for (const [index, route] of list.entries()) {
      for (const field of ['audience', 'unowned'] as const) {
        const audience = route[field];
        if (!audience?.startsWith('team:')) continue;
        const name = audience.slice('team:'.length);
        if (known.includes(name)) continue;
        problems.push({
          path: [...(mine ? [] : ['policies']), 'notificationRoutes', kind, index, field],
          message:
            `${mine ? "the engine's" : "the policies'"} route ${index} of ${kind} sends to team "${name}", but the engine has no audience "${name}" ` +
            `(known audiences: ${known.length > 0 ? known.join(', ') : 'none'}); add "${name}" to the engine's audiences`,
          code: 'unknown_audience',
        });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError('notification routes', problems);
  return routes;
}
