/**
 * One unit of work on one lead: the events applied since it was loaded, and everything they decided
 * (timers, outbox, history, event ids), ready to commit in one store write. Several queued events for
 * the same lead share one unit (group commit): the lead is loaded, persisted and committed once, and
 * each event still gets its own history entry.
 *
 * @module
 */
import type { ParsedCaptureInput } from '../lead/capture-input.js';
import { dedupeKeyOf } from '../lead/capture-input.js';
import type { MachineEvent } from '../lead/events.js';
import { type LifecycleState, lifecycleOf, TERMINAL_STATES } from '../lifecycle/states.js';
import type { LeadPolicies } from '../policies/types.js';
import type { CommitUnit, HistoryEntry, StoredLead } from '../store/lead-store.js';
import { Effects } from './effects.js';
import type { LeadSnapshot, MachineRunner } from './machine-runner.js';

const NO_TIMERS: CommitUnit['firedTimers'] = [];

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
 * const work = UnitOfWork.forLead(runner, policies, stored, snapshot);
 * if (!work.apply(event, openLeads)) throw new EventRejectedError(...);
 * await store.commit(work.commitUnit());
 * ```
 */
export class UnitOfWork {
  private readonly effects: Effects;
  private readonly history: HistoryEntry[] = [];
  private readonly eventIds: string[] = [];
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
    private readonly dedupeKey: string | undefined,
  ) {
    this.version = expectedVersion + 1;
    this.eventCount = eventCount;
    this.snapshot = snapshot;
    this.effects = new Effects(tenantId, leadId);
  }

  /** Work on a stored lead, starting from its live snapshot. */
  static forLead(runner: MachineRunner, policies: LeadPolicies, stored: StoredLead, snapshot: LeadSnapshot): UnitOfWork {
    return new UnitOfWork(runner, policies, stored.tenantId, stored.leadId, stored.version, stored.eventCount, snapshot, stored.dedupeKey);
  }

  /** Work that creates a lead: its initial transition is the first entry, `lead.captured`. */
  static forCapture(
    runner: MachineRunner,
    policies: LeadPolicies,
    tenantId: string,
    leadId: string,
    input: ParsedCaptureInput,
    openLeads: ReadonlyMap<string, number> | undefined,
    intakeNote: (snapshot: LeadSnapshot) => string,
  ): UnitOfWork {
    const [snapshot, actions] = runner.initial({ leadId, tenantId, lead: input });
    const work = new UnitOfWork(runner, policies, tenantId, leadId, 0, 0, snapshot, dedupeKeyOf(input.contact));
    const event: CaptureEvent = { type: 'lead.captured', id: input.id, at: input.at };
    const notes = work.effects.collect(actions, { at: event.at, eventId: event.id, version: work.version });
    notes.unshift(intakeNote(snapshot));
    work.record(event, null, lifecycleOf(snapshot.value), notes);
    work.route(event, openLeads);
    return work;
  }

  /** How many events this unit applies. */
  get size(): number {
    return this.history.length;
  }

  /** Whether this unit already applies an event with this id. */
  has(eventId: string): boolean {
    return this.eventIds.includes(eventId);
  }

  /** The lifecycle state after the events applied so far. */
  get state(): LifecycleState {
    return lifecycleOf(this.snapshot.value);
  }

  /**
   * Applies one event. Returns false, changing nothing, when the lead's state does not accept it.
   * `openLeads` (owner -> open leads) is needed only when a routing policy may assign the lead.
   */
  apply(event: MachineEvent, openLeads: ReadonlyMap<string, number> | undefined): boolean {
    if (this.snapshot.status !== 'active' || !this.transition(event)) return false;
    this.route(event, openLeads);
    return true;
  }

  /** Runs one transition and records it; false when the state does not take the event. */
  private transition(event: MachineEvent): boolean {
    const before = this.snapshot;
    const [next, actions] = this.runner.transition(before, event);
    if (next === before) return false;
    this.snapshot = next;
    this.record(
      event,
      lifecycleOf(before.value),
      lifecycleOf(next.value),
      this.effects.collect(actions, { at: event.at, eventId: event.id, version: this.version }),
    );
    return true;
  }

  /**
   * A lead that awaits an owner is routed in the same commit, so no lead is ever left unowned between
   * two writes; the decision and its reason land in the history as a `lead.assigned` entry.
   */
  private route(cause: MachineEvent | CaptureEvent, openLeads: ReadonlyMap<string, number> | undefined): void {
    const routing = this.policies.routing;
    if (!routing || !openLeads || !this.snapshot.hasTag('awaiting-owner')) return;
    const decision = routing.route(this.snapshot.context, { at: cause.at, openLeadsByOwner: openLeads });
    if (!decision) return;
    const routed = {
      type: 'lead.assigned' as const,
      id: `${cause.id}#route`,
      at: cause.at,
      owner: decision.owner,
      reason: `${routing.name}: ${decision.reason}`,
    };
    const before = this.snapshot;
    const [next, actions] = this.runner.transition(before, routed);
    if (next === before) return;
    this.snapshot = next;
    this.record(
      routed,
      lifecycleOf(before.value),
      lifecycleOf(next.value),
      this.effects.collect(actions, { at: routed.at, eventId: routed.id, version: this.version }),
    );
  }

  private record(event: { type: string; id: string; at: number }, from: LifecycleState | null, to: LifecycleState, notes: string[]): void {
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
    this.eventIds.push(event.id);
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
      snapshot: this.runner.persist(snapshot),
      updatedAt: last.at,
    };
    if (snapshot.context.owner !== undefined) lead.owner = snapshot.context.owner;
    if (this.dedupeKey !== undefined && !TERMINAL_STATES.includes(state)) lead.dedupeKey = this.dedupeKey;
    return {
      lead,
      expectedVersion: this.expectedVersion,
      timers: this.effects.timerChanges(),
      firedTimers,
      outbox: this.effects.outbox,
      history: this.history,
      eventIds: this.eventIds,
    };
  }
}
