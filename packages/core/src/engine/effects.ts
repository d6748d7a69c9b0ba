/**
 * Turns the actions of a transition into durable effects: delayed raises become timer rows, cancels
 * delete them, `notify` becomes outbox messages, `note` becomes the words of the history entry.
 *
 * @module
 */
import type { NotifyParams, TeamRequest } from '../lifecycle/machine.js';
import { DEFAULT_ROUTE, type NotificationRoutes } from '../notify/routes.js';
import type { OutboxMessage, TimerRow } from '../store/lead-store.js';
import type { ResolvedAction } from './machine-runner.js';

/**
 * The effects gathered while applying one or more events to a lead, before the commit.
 *
 * @example
 * ```ts
 * const effects = new Effects('default', 'lead-1');
 * effects.collect(actions, { at, eventId: 'e1', version: 2 });
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
          const managers = () => params.to.flatMap((rep) => this.managerOf(rep) ?? []);
          const index = this.notifications++;
          for (const route of this.routes[params.kind] ?? DEFAULT_ROUTE) {
            const audience = route.audience ?? params.audience ?? 'owner';
            const to = audience === 'owner' ? params.to : audience === 'manager' ? managers() : [...params.to, ...managers()];
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
          break;
        }
        default:
          // Other XState actions (assign, history bookkeeping) have already taken effect in the snapshot.
          break;
      }
    }
    return notes;
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
