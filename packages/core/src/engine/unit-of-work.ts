/**
 * One unit of work on one lead: the events applied since it was loaded, and everything they decided
 * (timers, outbox, history, event ids), ready to commit in one store write. Several queued events for
 * the same lead share one unit (group commit): the lead is loaded, persisted and committed once, and
 * each event still gets its own history entry.
 *
 * @module
 */
import type { ParsedCaptureInput } from '../lead/capture-input.js';
import { contactKeysOf } from '../lead/capture-input.js';
import type { MachineEvent } from '../lead/events.js';
import { briefOf } from '../lead/lead-brief.js';
import { type LifecycleState, lifecycleOf, TERMINAL_STATES } from '../lead/states.js';
import { contactTouchOf } from '../lifecycle/contact-cooldown.js';
import type { LeadMachineInput } from '../lifecycle/initial-context.js';
import type { LeadPolicies } from '../policies/types.js';
import type { CommitUnit, ContactTouch, HistoryEntry, OwnerLoad, StoredLead } from '../store/lead-store.js';
import { Effects } from './effects.js';
import { derivedKey, idempotencyKey } from './idempotency-key.js';
import type { LeadSnapshot, MachineRunner } from './machine-runner.js';
import type { Rerouting, TeamView } from './team-view.js';

const NO_TIMERS: CommitUnit['firedTimers'] = [];
const NO_LOADS: ReadonlyMap<string, OwnerLoad> = new Map();

/** Routing again every 15 minutes of calendar time, the team's managers told. */
const DEFAULT_REROUTING: Rerouting = { retryAt: (at) => at + 15 * 60_000 };

/** The intake of a new lead, recorded as the first history entry. */
export interface CaptureEvent {
  type: 'lead.captured';
  id: string;
  at: number;
}

/**
 * Builds one commit for one lead.
 *
 * @example
 * ```ts
 * import { EventRejectedError, type LeadPolicies, type LeadStore, type MachineEvent, type StoredLead } from '@leadline/core';
 * import type { LeadSnapshot, MachineRunner } from './machine-runner.js';
 * import type { TeamView } from './team-view.js';
 * import { UnitOfWork } from './unit-of-work.js';
 *
 * declare const store: LeadStore;
 * declare const runner: MachineRunner; // new MachineRunner(createLeadMachine(policies))
 * declare const policies: LeadPolicies;
 * declare const stored: StoredLead; // await store.load(tenantId, leadId)
 * declare const snapshot: LeadSnapshot; // runner.restore(stored.snapshot)
 * declare const team: TeamView; // teamViews.read()
 * declare const event: MachineEvent; // a validated event for the lead
 *
 * const work = UnitOfWork.forLead(runner, policies, stored, snapshot, team);
 * if (!work.apply(event)) throw new EventRejectedError(stored.leadId, event.type, work.state);
 * await store.commit(work.commitUnit());
 * ```
 */
export class UnitOfWork {
  private readonly effects: Effects;
  private readonly history: HistoryEntry[] = [];
  private readonly eventIds: string[] = [];
  /** Reps an SLA escalation marked unavailable, for the engine to record after the commit. */
  readonly unavailable: string[] = [];
  /** Touches applied in this unit, for the contact's cooldown across their leads. */
  private readonly contactTouches: ContactTouch[] = [];
  /** The owner routing chose in this unit and the open leads it saw them hold, for the store to check. */
  routedTo: { owner: string; openBefore: number } | undefined;
  private readonly version: number;
  private eventCount: number;
  /** The snapshot after the events applied so far. */
  snapshot: LeadSnapshot;

  private constructor(
    private readonly runner: MachineRunner,
    private readonly policies: LeadPolicies,
    private readonly tenantId: string,
    readonly leadId: string,
    private readonly expectedVersion: number,
    eventCount: number,
    snapshot: LeadSnapshot,
    private readonly contactKeys: readonly string[] | undefined,
    private readonly team: TeamView,
  ) {
    this.version = expectedVersion + 1;
    this.eventCount = eventCount;
    this.snapshot = snapshot;
    this.effects = new Effects(tenantId, leadId, (rep) => team.reps.find((member) => member.id === rep)?.manager, team.routes, team.audiences);
  }

  /** Work on a stored lead, starting from its live snapshot. */
  static forLead(runner: MachineRunner, policies: LeadPolicies, stored: StoredLead, snapshot: LeadSnapshot, team: TeamView): UnitOfWork {
    return new UnitOfWork(runner, policies, stored.tenantId, stored.leadId, stored.version, stored.eventCount, snapshot, stored.contactKeys, team);
  }

  /** Work that creates a lead: its initial transition is the first entry, `lead.captured`. */
  static forCapture(
    runner: MachineRunner,
    policies: LeadPolicies,
    tenantId: string,
    leadId: string,
    input: ParsedCaptureInput,
    found: LeadMachineInput['found'],
    team: TeamView,
    intakeNote: (snapshot: LeadSnapshot) => string,
    contactKeys: readonly string[] = contactKeysOf(input.contact),
  ): UnitOfWork {
    const [snapshot, actions] = runner.initial(found ? { leadId, tenantId, lead: input, found } : { leadId, tenantId, lead: input });
    const work = new UnitOfWork(runner, policies, tenantId, leadId, 0, 0, snapshot, contactKeys, team);
    const event: CaptureEvent = { type: 'lead.captured', id: input.id, at: input.at };
    const key = idempotencyKey(event);
    const notes = work.effects.collect(actions, { at: event.at, eventId: key, version: work.version });
    notes.unshift(intakeNote(snapshot));
    work.record(event, null, lifecycleOf(snapshot.value), notes, key);
    work.route(event, key, false);
    return work;
  }

  /** How many events this unit applies. */
  get size(): number {
    return this.history.length;
  }

  /** Whether this unit already applies this event (by its idempotency key). */
  has(event: { type: string; id: string }): boolean {
    return this.eventIds.includes(idempotencyKey(event));
  }

  /** The lifecycle state after the events applied so far. */
  get state(): LifecycleState {
    return lifecycleOf(this.snapshot.value);
  }

  /** Applies one event. Returns false, changing nothing, when the lead's state does not accept it. */
  apply(event: MachineEvent): boolean {
    if (event.type === 'notification.delivered' || event.type === 'notification.dead_lettered') {
      // A note for the history: no transition, and terminal leads take it too.
      const state = lifecycleOf(this.snapshot.value);
      this.record(event, state, state, event.notes, idempotencyKey(event));
      return true;
    }
    // A lead already waiting for an owner, woken by anything but its re-routing timer, is routed again
    // quietly: its retry is already scheduled and its history already says why.
    // (A lead left waiting with no record of it, from before re-routing existed, is recorded anew.)
    const waiting = this.snapshot.hasTag('awaiting-owner') && event.type !== 'routing.retry_due' && this.snapshot.context.unrouted !== undefined;
    const key = idempotencyKey(event);
    if (this.snapshot.status !== 'active' || !this.transition(event, key)) return false;
    this.route(event, key, waiting);
    return true;
  }

  /** Runs one transition and records it under `key`; false when the state does not take the event. */
  private transition(event: MachineEvent, key: string): boolean {
    const before = this.snapshot;
    const [next, actions] = this.runner.transition(before, event);
    if (next === before) return false;
    this.snapshot = next;
    const touch = contactTouchOf(event, this.contactKeys);
    if (touch) this.contactTouches.push(touch);
    this.record(
      event,
      lifecycleOf(before.value),
      lifecycleOf(next.value),
      this.effects.collect(actions, { at: event.at, eventId: key, version: this.version }),
      key,
    );
    return true;
  }

  /**
   * Decisions that need the team, made in the same commit as the event that called for them: a lead
   * that awaits an owner is routed (so no lead is ever left unowned between two writes), and an SLA
   * escalation's reassignment or "mark unavailable" is carried out. Each lands in the history with its
   * reason. A lead no rep can take is recorded as unrouted, with why and when routing is tried again.
   * Derived events get keys in their own namespace, made from the cause's key.
   */
  private route(cause: MachineEvent | CaptureEvent, causeKey: string, alreadyWaiting: boolean): void {
    const routing = this.policies.routing;
    let reassigns = 0;
    for (const request of this.effects.requests.splice(0)) {
      if (request.kind === 'mark_unavailable') {
        this.unavailable.push(request.rep);
        continue;
      }
      const decision = routing?.route(this.snapshot.context, this.routingContext(cause.at, request.avoid));
      if (decision?.owner !== undefined) {
        this.routedTo = { owner: decision.owner, openBefore: this.team.loads?.get(decision.owner)?.open ?? 0 };
        const id = reassigns++ === 0 ? 'reassign' : `reassign${reassigns}`;
        this.transition(
          {
            type: 'lead.reassigned',
            id: `${cause.id}#${id}`,
            at: cause.at,
            owner: decision.owner,
            reason: `${request.reason}; ${routing?.name}: ${decision.reason}`,
          },
          derivedKey(causeKey, id),
        );
      } else {
        const why = routing ? (decision ? `: ${decision.reason}` : '') : ' (no routing policy)';
        this.note(`no rep to reassign to${why}; the lead stays with ${this.snapshot.context.owner ?? 'nobody'}`);
      }
    }
    if (!routing || !this.snapshot.hasTag('awaiting-owner')) return;
    const decision = routing.route(this.snapshot.context, this.routingContext(cause.at, []));
    if (decision?.owner !== undefined) {
      this.routedTo = { owner: decision.owner, openBefore: this.team.loads?.get(decision.owner)?.open ?? 0 };
      this.transition(
        { type: 'lead.assigned', id: `${cause.id}#route`, at: cause.at, owner: decision.owner, reason: `${routing.name}: ${decision.reason}` },
        derivedKey(causeKey, 'route'),
      );
      return;
    }
    if (alreadyWaiting) return;
    const rerouting = this.team.rerouting ?? DEFAULT_REROUTING;
    const managers = [...new Set(this.team.reps.flatMap((rep) => (rep.manager ? [rep.manager] : [])))];
    this.transition(
      {
        type: 'lead.unrouted',
        id: `${cause.id}#unrouted`,
        at: cause.at,
        reason: decision?.reason ?? `${routing.name} found no rep${this.team.reps.length === 0 ? ' (the rep directory has no reps)' : ''}`,
        // From now, not from the cause: a retry timer fired late (the workers were down) tries again one
        // interval later, instead of catching up on every interval it missed.
        retryAt: Math.max(rerouting.retryAt(Math.max(cause.at, this.team.now ?? cause.at)), cause.at + 1),
        notify: managers,
        first: this.snapshot.context.unrouted === undefined,
        audience: rerouting.audience,
      },
      derivedKey(causeKey, 'unrouted'),
    );
  }

  private routingContext(at: number, exclude: readonly string[]) {
    return { at, loads: this.team.loads ?? NO_LOADS, exclude, reps: this.team.reps };
  }

  /** Adds a note to the latest history entry. */
  private note(text: string): void {
    this.history[this.history.length - 1]?.notes.push(text);
  }

  private record(event: { type: string; id: string; at: number }, from: LifecycleState | null, to: LifecycleState, notes: string[], key: string): void {
    this.history.push({
      tenantId: this.tenantId,
      leadId: this.leadId,
      seq: ++this.eventCount,
      eventId: event.id,
      type: event.type,
      at: event.at,
      from,
      to,
      notes,
    });
    this.eventIds.push(key);
  }

  /** The store write for everything applied. `firedTimers` are the claimed timers whose events are in it. */
  commitUnit(firedTimers: CommitUnit['firedTimers'] = NO_TIMERS): CommitUnit {
    const snapshot = this.snapshot;
    const state = lifecycleOf(snapshot.value);
    const last = this.history[this.history.length - 1] as HistoryEntry;
    const lead: StoredLead = {
      tenantId: this.tenantId,
      leadId: this.leadId,
      version: this.version,
      eventCount: this.eventCount,
      state,
      open: snapshot.hasTag('open') || state === 'snoozed',
      overdue: snapshot.context.slas.some((sla) => sla.outcome === undefined && sla.breachedAt !== undefined),
      snapshot: this.runner.persist(snapshot),
      updatedAt: last.at,
    };
    if (snapshot.context.owner !== undefined) lead.owner = snapshot.context.owner;
    if (this.contactKeys !== undefined && this.contactKeys.length > 0 && !TERMINAL_STATES.includes(state)) lead.contactKeys = [...this.contactKeys];
    return {
      lead,
      expectedVersion: this.expectedVersion,
      timers: this.effects.timerChanges(),
      firedTimers,
      outbox: this.effects.outbox.map((message) => ({ ...message, lead: briefOf(snapshot.context, state, message.createdAt) })),
      history: this.history,
      eventIds: this.eventIds,
      ...(this.contactTouches.length > 0 ? { contactTouches: this.contactTouches } : {}),
      // Only while routing's choice still owns the lead (a later event in the unit may have moved it).
      ...(this.routedTo && this.routedTo.owner === snapshot.context.owner ? { routedTo: this.routedTo } : {}),
    };
  }
}
