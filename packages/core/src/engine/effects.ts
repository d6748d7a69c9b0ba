/**
 * Turns the actions of a transition into durable effects: delayed raises become timer rows, cancels
 * delete them, `notify` becomes outbox messages, `note` becomes the words of the history entry.
 *
 * @module
 */
import type { NotifyParams, TeamRequest } from '../lifecycle/requests.js';
import { DEFAULT_ROUTE, type NotificationAudiences, type NotificationRoute, type NotificationRoutes, UNOWNED_AUDIENCE } from '../notify/routes.js';
import type { OutboxMessage, TimerRow } from '../store/lead-store.js';
import type { ResolvedAction } from './machine-runner.js';

/**
 * The effects gathered while applying one or more events to a lead, before the commit.
 *
 * @example
 * ```ts
 * import { Effects } from './effects.js';
 * import type { ResolvedAction } from './machine-runner.js';
 *
 * declare const actions: ResolvedAction[]; // what runner.transition returned for touch.logged call-1
 * const effects = new Effects('default', 'lead-1');
 * const notes = effects.collect(actions, { at: Date.parse('2026-03-02T09:03:00Z'), eventId: 'event:call-1', version: 2 });
 * const { upsert, cancel } = effects.timerChanges(); // the timer rows to write and the timer ids to delete
 * ```
 */
export class Effects {
  /** Timer id -> its new row, or `null` when the net effect is a cancel. */
  private readonly timers = new Map<string, TimerRow | null>();
  /** Notifications to send, one per channel route; the lead's brief is added at the commit. */
  readonly outbox: Omit<OutboxMessage, 'lead'>[] = [];
  private notifications = 0;
  /** Requests for the team (reassign, mark unavailable) not yet handled by the unit of work. */
  requests: TeamRequest[] = [];

  constructor(
    readonly tenantId: string,
    readonly leadId: string,
    /** The manager of a rep, from the rep directory; for notifications meant for managers. */
    private readonly managerOf: (rep: string) => string | undefined = () => undefined,
    /** Which channels each kind goes to; unrouted kinds go to the `default` channel. */
    private readonly routes: NotificationRoutes = {},
    /** Named audiences (`team:<name>`), and `unowned` for what is meant for the owner of a lead with none. */
    private readonly audiences: NotificationAudiences = {},
  ) {}

  /**
   * Gathers one transition's actions. Returns that event's notes. `version` is the lead version the
   * commit will create, which makes each scheduled timer's event id unique.
   */
  collect(actions: readonly ResolvedAction[], { at, eventId, version }: { at: number; eventId: string; version: number }): string[] {
    const notes: string[] = [];
    for (const action of actions) {
      switch (action.type) {
        case 'xstate.raise': {
          const { event, id, delay } = action.params as { event: TimerRow['event']; id?: string; delay?: number };
          if (typeof delay !== 'number' || id === undefined) break;
          this.timers.set(id, {
            tenantId: this.tenantId,
            leadId: this.leadId,
            timerId: id,
            dueAt: at + delay,
            eventId: `${this.leadId}/${id}/v${version}`,
            event,
          });
          break;
        }
        case 'xstate.cancel':
          this.timers.set((action.params as { sendId: string }).sendId, null);
          break;
        case 'note':
          notes.push((action.params as { text: string }).text);
          break;
        case 'team':
          this.requests.push(action.params as TeamRequest);
          break;
        case 'notify': {
          const params = action.params as NotifyParams;
          const index = this.notifications++;
          const missing = new Set<string>();
          for (const route of this.routes[params.kind] ?? DEFAULT_ROUTE) {
            const { to, nobody } = this.recipients(params, route);
            if (nobody) missing.add(nobody);
            this.outbox.push({
              // Stable: the same decision, replayed after a crash, yields the same key per channel.
              id: `${this.leadId}:${eventId}:${index}:${route.channel}`,
              tenantId: this.tenantId,
              leadId: this.leadId,
              kind: params.kind,
              channel: route.channel,
              to: [...new Set(to)],
              summary: params.summary,
              createdAt: at,
            });
          }
          // Still queued (the embedding app may route it by its webhook), but the history says nobody
          // is addressed instead of a later "delivered" that reads as if someone was told.
          for (const why of missing) notes.push(`${params.kind} notification has no recipient: ${why}`);
          break;
        }
        default:
          // Other XState actions (assign, history bookkeeping) have already taken effect in the snapshot.
          break;
      }
    }
    return notes;
  }

  /**
   * Whom one route of a decision reaches, or why nobody. The route's audience wins over the decision's
   * (which wins over the owner). What is meant for the owner, or the owner's manager, of a lead that
   * has no owner goes to the route's `unowned` audience, else the engine's `unowned` one.
   */
  private recipients(params: NotifyParams, route: NotificationRoute): { to: readonly string[]; nobody?: string } {
    const audience = route.audience ?? params.audience ?? 'owner';
    if (audience.startsWith('team:')) return this.team(audience.slice('team:'.length));
    const owners = params.to;
    if (owners.length === 0) {
      if (route.unowned) return this.team(route.unowned.slice('team:'.length));
      if (this.audiences[UNOWNED_AUDIENCE]) return this.team(UNOWNED_AUDIENCE);
      return { to: [], nobody: `the lead has no owner and no "${UNOWNED_AUDIENCE}" audience is configured` };
    }
    const managers = audience === 'owner' ? [] : owners.flatMap((rep) => this.managerOf(rep) ?? []);
    const to = audience === 'owner' ? owners : audience === 'manager' ? managers : [...owners, ...managers];
    return to.length > 0 ? { to } : { to, nobody: `${owners.join(', ')} has no manager in the rep directory` };
  }

  private team(name: string): { to: readonly string[]; nobody?: string } {
    const members = this.audiences[name];
    // Routes are checked against the audiences when the engine is built; a decision's own
    // `team:<name>` can only be checked here.
    return members ? { to: members } : { to: [], nobody: `no "${name}" audience is configured` };
  }

  /** The net timer changes: rows to upsert and ids to cancel. */
  timerChanges(): { upsert: TimerRow[]; cancel: string[] } {
    const upsert: TimerRow[] = [];
    const cancel: string[] = [];
    for (const [timerId, row] of this.timers) {
      if (row) upsert.push(row);
      else cancel.push(timerId);
    }
    return { upsert, cancel };
  }
}
