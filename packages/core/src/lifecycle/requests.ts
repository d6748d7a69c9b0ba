/**
 * What the machine asks of the engine beyond its own context: notifications (which become outbox
 * messages in the same commit) and team requests (which need the team the engine has at hand).
 *
 * @module
 */
import type { NotificationKind } from '../lead/notification-kind.js';

/**
 * A notification the machine asks for; the engine stores it in the outbox with the commit.
 *
 * @example
 * ```ts
 * import type { NotifyParams } from '@leadline/core';
 *
 * const params: NotifyParams = { kind: 'sla.breached', to: ['ann'], summary: 'first_touch SLA breached for lead lead-1' };
 * ```
 */
export interface NotifyParams {
  kind: NotificationKind;
  /** Recipients (rep ids); empty when the lead has no owner, so the embedding app routes it. */
  to: string[];
  summary: string;
  /**
   * `manager`: the engine sends it to the manager of each rep in `to` (from the rep directory);
   * `team:<name>`: to a named audience of the engine (a qualification team, a queue, a role).
   */
  audience?: 'owner' | 'manager' | `team:${string}`;
}

/**
 * A request the machine leaves for the engine, which has the team at hand: reassign the lead (never to
 * the reps in `avoid`), or mark a rep unavailable.
 *
 * @example
 * ```ts
 * import type { TeamRequest } from '@leadline/core';
 *
 * const request: TeamRequest = { kind: 'reassign', avoid: ['ann'], reason: 'follow_up SLA escalation: reassigned at 48h' };
 * ```
 */
export type TeamRequest = { kind: 'reassign'; avoid: string[]; reason: string } | { kind: 'mark_unavailable'; rep: string; reason: string };
