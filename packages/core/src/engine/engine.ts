/**
 * The durable engine: drives each lead's machine with pure transitions and turns what they decide into
 * one store commit (snapshot, timers, outbox, history, event ids) guarded by the lead's version. A
 * scheduler claims due timers and feeds them back as events. Nothing waits in memory, so an engine
 * built anew over the same store carries on where a crashed one stopped.
 *
 * @module
 */
import { z } from 'zod';
import { type Clock, systemClock } from '../clock.js';
import { ConcurrencyError, EventRejectedError, LeadNotFoundError, ValidationError, VersionConflictError } from '../errors.js';
import { type CaptureInput, captureInputSchema, dedupeKeyOf, type ParsedCaptureInput } from '../lead/capture-input.js';
import { type LeadEvent, type LeadEventInput, leadEventSchema, type MachineEvent, type TimerEvent } from '../lead/events.js';
import { type LifecycleState, lifecycleOf, TERMINAL_STATES } from '../lead/lifecycle.js';
import { createLeadMachine, type LeadMachine } from '../lead/machine.js';
import type { LeadPolicies } from '../policies/types.js';
import type { ClaimedTimer, CommitUnit, HistoryEntry, LeadStore, StoredLead } from '../store/lead-store.js';
import { MemoryStore } from '../store/memory-store.js';
import { formatInstant } from '../time/instant.js';
import { parseInput } from '../validation.js';
import { Effects } from './effects.js';
import { buildLeadView, type LeadView } from './lead-view.js';
import { type LeadSnapshot, MachineRunner, type ResolvedAction } from './machine-runner.js';
import { SnapshotCache } from './snapshot-cache.js';

const optionsSchema = z.object({
  tenantId: z.string().trim().min(1).max(100).default('default'),
  maxAttempts: z.number().int().min(1).max(100).default(8),
  cacheSize: z.number().int().min(0).default(10_000),
  leaseMs: z.number().int().min(1).default(30_000),
  batchSize: z.number().int().min(1).max(10_000).default(100),
});

/**
 * Options of {@link createEngine}.
 *
 * @example
 * ```ts
 * const options: EngineOptions = { store: new MemoryStore(), policies, clock: systemClock(), tenantId: 'acme' };
 * ```
 */
export interface EngineOptions {
  /** Where leads live; an in-memory store by default. */
  store?: LeadStore;
  /** The SLA, cadence, recycle, routing and qualification policies. */
  policies?: LeadPolicies;
  /** The source of "now" for `runDue()` and the worker; the system clock by default. */
  clock?: Clock;
  /** The tenant this engine works for; every read and write is scoped to it. */
  tenantId?: string;
  /** Makes ids for leads captured without one. */
  newLeadId?: () => string;
  /** Attempts per event when other writers move the lead's version on (default 8). */
  maxAttempts?: number;
  /** Live snapshots kept in memory, checked against the stored version (default 10,000; 0 disables). */
  cacheSize?: number;
  /** How long a claimed timer stays with this engine before another may take it (default 30 s). */
  leaseMs?: number;
  /** Timers claimed per round of `runDue` (default 100). */
  batchSize?: number;
  /** Receives errors of timers that failed to fire (they are retried when their lease ends). */
  onError?: (error: unknown, timer: ClaimedTimer) => void;
}

/**
 * What `capture()` did.
 *
 * @example
 * ```ts
 * const { leadId, outcome } = await engine.capture(input); // outcome: 'created' | 'merged' | 'duplicate'
 * ```
 */
export interface CaptureResult {
  leadId: string;
  /** `created` a new lead; `merged` into an open lead with the same email; `duplicate` intake id seen before. */
  outcome: 'created' | 'merged' | 'duplicate';
  state: LifecycleState;
  version: number;
}

/**
 * What `dispatch()` did.
 *
 * @example
 * ```ts
 * const { applied, state } = await engine.dispatch('lead-1', event);
 * ```
 */
export interface DispatchResult {
  leadId: string;
  /** False when this event id had been applied before (nothing changed). */
  applied: boolean;
  state: LifecycleState;
  version: number;
}

/**
 * A running Leadline engine.
 *
 * @example
 * ```ts
 * const engine = createEngine({ policies: { sla: firstTouchSla({ within: '5m' }) } });
 * const { leadId } = await engine.capture({ id: 'form-1', at: new Date(), source: 'demo_request', contact: { email: 'ada@example.com' } });
 * await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: new Date(), channel: 'call', outcome: 'connected' });
 * console.log((await engine.get(leadId)).history.map((entry) => entry.text));
 * ```
 */
export interface Engine {
  /** The lifecycle machine built from the policies. */
  readonly machine: LeadMachine;
  readonly store: LeadStore;
  readonly clock: Clock;
  readonly tenantId: string;
  /** Takes in a new lead: dedupes it, starts its SLA, routes it, all in one commit. */
  capture(input: CaptureInput): Promise<CaptureResult>;
  /** Applies one event to a lead, once per event id. */
  dispatch(leadId: string, event: LeadEventInput): Promise<DispatchResult>;
  /** Fires every timer due at `now` (default: the clock's now); returns how many fired. */
  runDue(now?: number): Promise<{ fired: number }>;
  /** When the next timer comes due, for virtual clocks that jump to it. */
  nextDueAt(): Promise<number | undefined>;
  /** Starts a worker that runs `runDue` every `pollIntervalMs` (default 1 s) on the clock. */
  start(options?: { pollIntervalMs?: number }): void;
  /** Stops the worker and waits for its current round to finish. */
  stop(): Promise<void>;
  /** The lead's state, owner, deadlines, next touch and explained history. */
  get(leadId: string): Promise<LeadView>;
}

/** Where a unit of work starts: an existing lead, or the intake of a new one. */
type Origin = { kind: 'existing'; stored: StoredLead; snapshot: LeadSnapshot } | { kind: 'new'; leadId: string; input: ParsedCaptureInput };

function defaultLeadId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Builds an engine.
 *
 * @throws ValidationError when an option is invalid.
 * @example
 * ```ts
 * const engine = createEngine({
 *   store: new MemoryStore(),
 *   clock: systemClock(),
 *   policies: {
 *     sla: firstTouchSla({ within: '1h', bySource: { demo_request: '5m' } }),
 *     cadence: fixedCadence({ steps: [{ channel: 'call', after: '0m' }, { channel: 'email', after: '1d' }] }),
 *     recycle: nurtureRecycle({ recheckAfter: '90d' }),
 *     routing: leastLoadedRouting({ reps: ['ann', 'bob'] }),
 *   },
 * });
 * engine.start();
 * ```
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const settings = parseInput(
    optionsSchema,
    {
      tenantId: options.tenantId,
      maxAttempts: options.maxAttempts,
      cacheSize: options.cacheSize,
      leaseMs: options.leaseMs,
      batchSize: options.batchSize,
    },
    'engine options',
  );
  const { tenantId, maxAttempts, leaseMs, batchSize } = settings;
  const store = options.store ?? new MemoryStore();
  const policies = options.policies ?? {};
  const clock = options.clock ?? systemClock();
  const newLeadId = options.newLeadId ?? defaultLeadId;
  const onError =
    options.onError ?? ((error: unknown, timer: ClaimedTimer) => console.error(`[leadline] timer ${timer.timerId} of lead ${timer.leadId} failed`, error));
  const machine = createLeadMachine(policies);
  const runner = new MachineRunner(machine);
  const cache = new SnapshotCache(settings.cacheSize);
  const lanes = new Map<string, Promise<unknown>>();

  /** Runs work for one key after the work already queued for it, so one process never races itself. */
  function inLane<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = lanes.get(key);
    const run = previous ? previous.then(work, work) : work();
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    lanes.set(key, tail);
    void tail.then(() => {
      if (lanes.get(key) === tail) lanes.delete(key);
    });
    return run;
  }

  async function loadLead(leadId: string): Promise<{ stored: StoredLead; snapshot: LeadSnapshot }> {
    const stored = await store.load(tenantId, leadId);
    if (!stored) throw new LeadNotFoundError(leadId);
    const snapshot = cache.get(leadId, stored.version) ?? runner.restore(stored.snapshot);
    return { stored, snapshot };
  }

  /**
   * Applies `event` (and the routing decision it may call for) to a lead and commits the result.
   * Returns `undefined` when the machine does not accept the event.
   */
  function plan(origin: Origin, event: MachineEvent | { type: 'lead.captured'; id: string; at: number }, openLeads: Map<string, number> | undefined) {
    const leadId = origin.kind === 'new' ? origin.leadId : origin.stored.leadId;
    const expectedVersion = origin.kind === 'new' ? 0 : origin.stored.version;
    const version = expectedVersion + 1;
    const effects = new Effects(tenantId, leadId);
    const history: HistoryEntry[] = [];
    let eventCount = origin.kind === 'new' ? 0 : origin.stored.eventCount;
    const eventIds: string[] = [];

    let before: LeadSnapshot | undefined;
    let snapshot: LeadSnapshot;
    let actions: ResolvedAction[];
    if (origin.kind === 'new') {
      [snapshot, actions] = runner.initial({ leadId, tenantId, lead: origin.input });
    } else {
      before = origin.snapshot;
      if (before.status !== 'active') return undefined;
      [snapshot, actions] = runner.transition(before, event as MachineEvent);
      if (snapshot === before) return undefined;
    }
    const record = (type: string, eventId: string, at: number, from: LifecycleState | null, to: LifecycleState, notes: string[]) => {
      history.push({ tenantId, leadId, seq: ++eventCount, eventId, type, at, from, to, notes });
      eventIds.push(eventId);
    };
    record(
      event.type,
      event.id,
      event.at,
      before ? lifecycleOf(before.value) : null,
      lifecycleOf(snapshot.value),
      effects.collect(actions, { at: event.at, eventId: event.id, version }),
    );

    // A lead that awaits an owner is routed in the same commit, so no lead is ever left unowned
    // between two writes; the decision and its reason land in the history.
    if (policies.routing && openLeads && snapshot.hasTag('awaiting-owner')) {
      const decision = policies.routing.route(snapshot.context, { at: event.at, openLeadsByOwner: openLeads });
      if (decision) {
        const routed = {
          type: 'lead.assigned' as const,
          id: `${event.id}#route`,
          at: event.at,
          owner: decision.owner,
          reason: `${policies.routing.name}: ${decision.reason}`,
        };
        const from = lifecycleOf(snapshot.value);
        const [next, more] = runner.transition(snapshot, routed);
        if (next !== snapshot) {
          snapshot = next;
          record(routed.type, routed.id, routed.at, from, lifecycleOf(snapshot.value), effects.collect(more, { at: routed.at, eventId: routed.id, version }));
        }
      }
    }

    const state = lifecycleOf(snapshot.value);
    const terminal = TERMINAL_STATES.includes(state);
    const dedupeKey = origin.kind === 'new' ? dedupeKeyOf(origin.input.contact) : origin.stored.dedupeKey;
    const lead: StoredLead = {
      tenantId,
      leadId,
      version,
      eventCount,
      state,
      open: snapshot.hasTag('open') || state === 'snoozed',
      snapshot: runner.persist(snapshot),
      updatedAt: event.at,
    };
    if (snapshot.context.owner !== undefined) lead.owner = snapshot.context.owner;
    if (dedupeKey !== undefined && !terminal) lead.dedupeKey = dedupeKey;
    const unit: CommitUnit = { lead, expectedVersion, timers: effects.timerChanges(), outbox: effects.outbox, history, eventIds };
    return { unit, snapshot };
  }

  /** Loads, plans and commits, retrying on version conflicts. */
  async function apply(leadId: string, event: MachineEvent, firedTimer?: ClaimedTimer): Promise<DispatchResult> {
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const { stored, snapshot } = await loadLead(leadId);
      const appliedTo = await store.eventLead(tenantId, event.id);
      if (appliedTo !== undefined) {
        if (appliedTo !== leadId) {
          throw new ValidationError('event', [
            { path: ['id'], message: `event id "${event.id}" was already applied to lead "${appliedTo}"`, code: 'duplicate_event_id' },
          ]);
        }
        if (firedTimer) await store.releaseTimer(firedTimer);
        return { leadId, applied: false, state: stored.state, version: stored.version };
      }
      const openLeads = policies.routing ? await store.openLeadsByOwner(tenantId) : undefined;
      const planned = plan({ kind: 'existing', stored, snapshot }, event, openLeads);
      if (!planned) {
        if (firedTimer) {
          // A timer the lead no longer expects (it cannot happen with the built-in machine, whose
          // exits cancel their timers in the same commit); drop it rather than fire it forever.
          await store.releaseTimer(firedTimer);
          return { leadId, applied: false, state: stored.state, version: stored.version };
        }
        throw new EventRejectedError(leadId, event.type, stored.state);
      }
      if (firedTimer) planned.unit.firedTimer = { timerId: firedTimer.timerId, claimToken: firedTimer.claimToken };
      try {
        await store.commit(planned.unit);
      } catch (error) {
        if (error instanceof VersionConflictError) {
          lastConflict = error;
          continue;
        }
        throw error;
      }
      cache.set(leadId, planned.unit.lead.version, planned.snapshot);
      return { leadId, applied: true, state: planned.unit.lead.state, version: planned.unit.lead.version };
    }
    throw new ConcurrencyError(leadId, maxAttempts, lastConflict);
  }

  async function capture(raw: CaptureInput): Promise<CaptureResult> {
    const input = parseInput(captureInputSchema, raw, 'capture input');
    const dedupeKey = dedupeKeyOf(input.contact);
    // Intakes of the same person queue behind each other, so two fast form fills make one lead.
    return inLane(`intake:${dedupeKey ?? input.id}`, async () => {
      const seen = await store.eventLead(tenantId, input.id);
      if (seen !== undefined) {
        const stored = await store.load(tenantId, seen);
        return { leadId: seen, outcome: 'duplicate', state: stored?.state ?? 'new', version: stored?.version ?? 0 };
      }
      const existing = dedupeKey === undefined ? undefined : await store.findByDedupeKey(tenantId, dedupeKey);
      if (existing) {
        const merged: MachineEvent = { type: 'lead.merged', id: input.id, at: input.at, source: input.source, campaign: input.campaign, asset: input.asset };
        const result = await inLane(existing.leadId, () => apply(existing.leadId, merged));
        return { leadId: existing.leadId, outcome: 'merged', state: result.state, version: result.version };
      }
      const leadId = input.leadId ?? newLeadId();
      return inLane(leadId, async () => {
        if (await store.load(tenantId, leadId)) {
          throw new ValidationError('capture input', [{ path: ['leadId'], message: `lead "${leadId}" already exists`, code: 'duplicate_lead_id' }]);
        }
        const openLeads = policies.routing ? await store.openLeadsByOwner(tenantId) : undefined;
        const planned = plan({ kind: 'new', leadId, input }, { type: 'lead.captured', id: input.id, at: input.at }, openLeads);
        if (!planned) throw new Error('unreachable: a new lead always has an initial state');
        const [captured] = planned.unit.history;
        if (captured) {
          const sla = planned.snapshot.context.slas[0];
          captured.notes.unshift(
            `captured from ${input.source}${input.campaign ? ` (campaign ${input.campaign})` : ''}${sla ? `; ${sla.label}, due ${formatInstant(sla.dueAt)}` : ''}`,
          );
        }
        try {
          await store.commit(planned.unit);
        } catch (error) {
          if (error instanceof VersionConflictError) {
            throw new ValidationError('capture input', [{ path: ['leadId'], message: `lead "${leadId}" was created concurrently`, code: 'duplicate_lead_id' }]);
          }
          throw error;
        }
        cache.set(leadId, planned.unit.lead.version, planned.snapshot);
        return { leadId, outcome: 'created', state: planned.unit.lead.state, version: planned.unit.lead.version };
      });
    });
  }

  async function dispatch(leadId: string, raw: LeadEventInput): Promise<DispatchResult> {
    if (typeof leadId !== 'string' || leadId.length === 0) {
      throw new ValidationError('lead id', [{ path: [], message: 'must be a non-empty string', code: 'invalid_type' }]);
    }
    const event: LeadEvent = parseInput(leadEventSchema, raw, 'event');
    return inLane(leadId, () => apply(leadId, event));
  }

  async function fire(timer: ClaimedTimer): Promise<void> {
    const event = { ...timer.event, id: timer.eventId, at: timer.dueAt } as TimerEvent;
    try {
      await inLane(timer.leadId, () => apply(timer.leadId, event, timer));
    } catch (error) {
      if (error instanceof LeadNotFoundError) await store.releaseTimer(timer);
      else throw error;
    }
  }

  async function runDue(now: number = clock.now()): Promise<{ fired: number }> {
    let fired = 0;
    // Rounds go on until nothing is due: a fired timer may schedule another that is due already
    // (a cadence step at +0m). A timer that failed stays leased, so it cannot loop here.
    for (;;) {
      const claimed = await store.claimDueTimers(tenantId, now, { limit: batchSize, leaseMs });
      if (claimed.length === 0) return { fired };
      for (const timer of claimed) {
        try {
          await fire(timer);
          fired++;
        } catch (error) {
          onError(error, timer);
        }
      }
    }
  }

  let worker: { controller: AbortController; loop: Promise<void> } | undefined;

  function start({ pollIntervalMs = 1000 }: { pollIntervalMs?: number } = {}): void {
    if (worker) return;
    if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
      throw new ValidationError('worker options', [{ path: ['pollIntervalMs'], message: 'must be a positive number of ms', code: 'too_small' }]);
    }
    const controller = new AbortController();
    const loop = (async () => {
      while (!controller.signal.aborted) {
        await runDue(clock.now());
        await clock.sleep(pollIntervalMs, controller.signal);
      }
    })();
    worker = { controller, loop };
  }

  async function stop(): Promise<void> {
    const running = worker;
    if (!running) return;
    worker = undefined;
    running.controller.abort();
    await running.loop;
  }

  async function get(leadId: string): Promise<LeadView> {
    const { stored, snapshot } = await loadLead(leadId);
    const [timers, history] = await Promise.all([store.timersOf(tenantId, leadId), store.historyOf(tenantId, leadId)]);
    return buildLeadView(stored, snapshot.value, snapshot.context, timers, history);
  }

  return {
    machine,
    store,
    clock,
    tenantId,
    capture,
    dispatch,
    runDue,
    nextDueAt: () => store.nextDueAt(tenantId),
    start,
    stop,
    get,
  };
}
