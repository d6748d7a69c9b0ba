/**
 * The durable engine: drives each lead's machine with pure transitions and turns what they decide into
 * one store commit (snapshot, timers, outbox, history, event ids) guarded by the lead's version. A
 * scheduler claims due timers and feeds them back as events. Nothing waits in memory, so an engine
 * built anew over the same store carries on where a crashed one stopped.
 *
 * @module
 */
import { z } from 'zod';
import { companyDomainOf } from '../accounts/account.js';
import type { AccountDirectory } from '../accounts/account-directory.js';
import { type Clock, systemClock } from '../clock.js';
import {
  AssignmentConflictError,
  ConcurrencyError,
  ConfigError,
  DuplicateEventError,
  EventRejectedError,
  LeadNotFoundError,
  ValidationError,
  VersionConflictError,
} from '../errors.js';
import { type CaptureInput, captureInputSchema, contactKeysOf, type ParsedCaptureInput } from '../lead/capture-input.js';
import { type HistoryNote, type LeadEvent, type LeadEventInput, leadEventSchema, type MachineEvent, type TimerEvent } from '../lead/events.js';
import { phoneRegionSchema } from '../lead/phone.js';
import type { LifecycleState } from '../lead/states.js';
import type { LeadMachineInput } from '../lifecycle/machine.js';
import { createLeadMachine, type LeadMachine } from '../lifecycle/machine.js';
import { engineRoutes, type NotificationRoutes, type NotificationRoutesConfig, notificationAudiences } from '../notify/routes.js';
import { durationSchema } from '../policies/duration-config.js';
import { recycleReasonRefusal } from '../policies/recycle-policy.js';
import type { LeadPolicies, WorkingClock } from '../policies/types.js';
import { pollingLoop } from '../polling-loop.js';
import type { ClaimedTimer, ContactTouches, LeadStore, OwnerLoad, StoredLead } from '../store/lead-store.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Rep } from '../team/rep.js';
import type { RepDirectory } from '../team/rep-directory.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import { parseInput } from '../validation.js';
import { idempotencyKey, idempotencyKindOf } from './idempotency-key.js';
import { InFlightAssignments, type Reservation } from './in-flight-assignments.js';
import { buildLeadView, type LeadView } from './lead-view.js';
import { type LeadSnapshot, MachineRunner } from './machine-runner.js';
import { SnapshotCache } from './snapshot-cache.js';
import { runSteps, type Steps } from './steps.js';
import { type Rerouting, type TeamView, UnitOfWork } from './unit-of-work.js';

const optionsSchema = z.object({
  tenantId: z.string().trim().min(1).max(100).default('default'),
  maxAttempts: z.number().int().min(1).max(100).default(8),
  cacheSize: z.number().int().min(0).default(10_000),
  leaseMs: z.number().int().min(1).default(30_000),
  batchSize: z.number().int().min(1).max(10_000).default(100),
  dedupe: z.enum(['merge', 'route_to_owner']).default('merge'),
  eventTimeTolerance: durationSchema.refine((ms) => ms >= 0, 'must not be negative').default(5 * 60_000),
  defaultRegion: phoneRegionSchema.optional(),
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
  /**
   * The SLA, cadence, recycle, routing and qualification policies, with the notification routes that come
   * with them (a preset's, through `definePolicies`); the engine's own `notificationRoutes` replace those
   * kind by kind.
   */
  policies?: LeadPolicies & { notificationRoutes?: NotificationRoutesConfig | undefined };
  /** The team, for routing, managers and escalations; none by default. */
  reps?: RepDirectory;
  /** Existing accounts, looked up by email domain at intake so their owners get the lead. */
  accounts?: AccountDirectory;
  /**
   * What happens to a second intake of a person with an open lead: `merge` it into that lead (its
   * activity appended; default), or `route_to_owner`: a new lead for the owner of the open one.
   */
  dedupe?: 'merge' | 'route_to_owner';
  /**
   * The region (ISO 3166-1 alpha-2, like `DE`) of phone numbers written without a country code, so that
   * `030 123456` and `+49 30 123456` find the same person at intake. Without it only numbers with a
   * country code are matched.
   */
  defaultRegion?: string;
  /**
   * Which channels each kind of notification goes to, and to whom, e.g.
   * `{ 'sla.breached': [{ channel: 'slack' }, { channel: 'email', audience: 'manager' }] }`. Unrouted kinds
   * go to the `default` channel. A route to `team:<name>` needs that audience in `audiences`.
   */
  notificationRoutes?: NotificationRoutesConfig;
  /**
   * Named audiences (a team, a queue, a role; snake_case) and their recipients, for routes and decisions
   * that name `team:<name>`, e.g. `{ qualification: ['qa-desk@example.com'] }`. `unowned` gets what is
   * meant for the owner of a lead that has none, unless its route names another audience for that.
   */
  audiences?: Record<string, readonly string[]>;
  /**
   * What happens to a lead that no rep can take (all at capacity, away, off hours): the engine records
   * why, tells the team's managers (or `audience`), and routes it again every `every` (default 15
   * minutes) counted on `clock` (a business calendar's `calendarClock`; calendar time by default)
   * until a rep is free. The lead's SLAs keep running meanwhile.
   */
  rerouting?: { every?: string | number; clock?: WorkingClock; audience?: `team:${string}` };
  /**
   * How far past the clock's now an event (or a capture) may be dated, for clocks that disagree a little
   * (default `5m`). Later ones are a `ValidationError` at `['at']`; so is an event dated before its lead's
   * capture. Late events are taken at their own time: see docs/lifecycle.md.
   */
  eventTimeTolerance?: string | number;
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
  /** Timers claimed per round of `runDue`, and events per group commit (default 100). */
  batchSize?: number;
  /**
   * Receives errors of timers that failed to fire (they are retried when their lease ends), and of worker
   * rounds that failed to claim (`timer` undefined; the worker tries again at its next round).
   */
  onError?: (error: unknown, timer: ClaimedTimer | undefined) => void;
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
  /** The notification routes in force (the policies' under the engine's own), validated; for the dispatcher. */
  readonly routes: NotificationRoutes;
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
  /**
   * Records a fact in the lead's history without a transition (a notification delivered or
   * dead-lettered), once per `id`. Terminal leads take it too.
   */
  recordNote(leadId: string, note: HistoryNote): Promise<DispatchResult>;
}

const NO_REPS: readonly Rep[] = [];

function defaultLeadId(): string {
  return globalThis.crypto.randomUUID();
}

/** An event waiting in a lead's queue, with the caller to answer. */
interface Pending {
  event: MachineEvent;
  firedTimer: ClaimedTimer | undefined;
  resolve(result: DispatchResult): void;
  reject(error: unknown): void;
}

const reroutingSchema = z
  .strictObject({
    every: durationSchema.refine((ms) => ms > 0, 'must be longer than zero').default(15 * 60_000),
    clock: z.custom<WorkingClock>((value) => typeof (value as WorkingClock | undefined)?.add === 'function', 'must be a WorkingClock').optional(),
    audience: z
      .string()
      .regex(/^team:[a-z][a-z0-9_]*$/, 'must name an audience, like team:sales_queue')
      .optional(),
  })
  .default({ every: 15 * 60_000 });

/** The engine's re-routing of unroutable leads, validated. */
function reroutingOf(config: EngineOptions['rerouting']): Rerouting {
  const { every, clock, audience } = parseInput(z.object({ rerouting: reroutingSchema }), { rerouting: config }, 'engine options').rerouting;
  const add = clock ? (at: number) => clock.add(at, every) : (at: number) => at + every;
  return { retryAt: add, audience: audience as Rerouting['audience'] };
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
      dedupe: options.dedupe,
      eventTimeTolerance: options.eventTimeTolerance,
      defaultRegion: options.defaultRegion,
    },
    'engine options',
  );
  const { tenantId, maxAttempts, leaseMs, batchSize, dedupe, defaultRegion, eventTimeTolerance } = settings;
  const accounts = options.accounts;
  const audiences = options.audiences ? notificationAudiences(options.audiences) : {};
  const routes = engineRoutes({ policies: options.policies?.notificationRoutes, engine: options.notificationRoutes }, audiences);
  const store = options.store ?? new MemoryStore();
  const policies = options.policies ?? {};
  const reps = options.reps;
  const clock = options.clock ?? systemClock();
  const newLeadId = options.newLeadId ?? defaultLeadId;
  const onError =
    options.onError ??
    ((error: unknown, timer: ClaimedTimer | undefined) =>
      console.error(timer ? `[leadline] timer ${timer.timerId} of lead ${timer.leadId} failed` : '[leadline] a scheduler round failed', error));
  const machine = createLeadMachine(policies);
  const runner = new MachineRunner(machine);
  const cache = new SnapshotCache(settings.cacheSize);
  /** Whether the cadence has a contact cooldown, so that firing steps reads the contact's touches. */
  const cooldowns = policies.cadence?.contactCooldownMs !== undefined;
  /** Routing decisions whose commits later load reads may not see yet. */
  const inFlight = new InFlightAssignments();
  const rerouting = reroutingOf(options.rerouting);
  const reroutingTeam = rerouting.audience?.slice('team:'.length);
  if (reroutingTeam !== undefined && audiences[reroutingTeam] === undefined) {
    throw new ConfigError('engine options', [
      {
        path: ['rerouting', 'audience'],
        message: `names the audience "${reroutingTeam}", which is not in audiences (known: ${Object.keys(audiences).join(', ') || 'none'})`,
        code: 'unknown_audience',
      },
    ]);
  }

  /** What the unit of work knows of the team: the loads (the store's plus those in flight), reps, routes. */
  function teamView(storedLoads: ReadonlyMap<string, OwnerLoad> | undefined, read: number, team: readonly Rep[]): TeamView {
    // Without routing there are no loads to add to (the caller ends the read).
    const loads = storedLoads === undefined ? undefined : inFlight.loads(storedLoads, read);
    return { loads, reps: team, routes, audiences, rerouting, now: clock.now() };
  }

  function reserve(routedTo: { owner: string } | undefined): Reservation | undefined {
    return routedTo ? inFlight.reserve(routedTo.owner) : undefined;
  }

  /** Events waiting per lead; a lead has an entry while its queue is being drained. */
  const queues = new Map<string, Pending[]>();
  /** Intakes in flight per dedupe key, so two fast form fills of one person make one lead. */
  const intakes = new Map<string, Promise<unknown>>();

  async function loadLead(leadId: string): Promise<{ stored: StoredLead; snapshot: LeadSnapshot }> {
    // The same lookup is inlined in applyBatch, the hot path, to save an async hop per event.
    const stored = await store.load(tenantId, leadId);
    if (!stored) throw new LeadNotFoundError(leadId);
    const snapshot = cache.get(leadId, stored.version) ?? runner.restore(stored.snapshot);
    return { stored, snapshot };
  }

  /**
   * Queues an event for a lead. Events for one lead are applied one after another in arrival order;
   * those that queue up while a commit is in flight are applied together in the next commit.
   */
  function enqueue(leadId: string, event: MachineEvent, firedTimer?: ClaimedTimer): Promise<DispatchResult> {
    return new Promise<DispatchResult>((resolve, reject) => {
      const pending: Pending = { event, firedTimer, resolve, reject };
      const queue = queues.get(leadId);
      if (queue) {
        queue.push(pending);
        return;
      }
      const fresh = [pending];
      queues.set(leadId, fresh);
      drain(leadId, fresh);
    });
  }

  /** Applies the lead's queue batch by batch; synchronous as long as the store answers at once. */
  function drain(leadId: string, queue: Pending[]): void {
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      let running: void | Promise<void>;
      try {
        running = runSteps(applyBatch(leadId, batch));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      }
      if (running instanceof Promise) {
        running.then(
          () => drain(leadId, queue),
          (error: unknown) => {
            for (const pending of batch) pending.reject(error);
            drain(leadId, queue);
          },
        );
        return;
      }
    }
    queues.delete(leadId);
  }

  /** The answer for an event id seen before: nothing changes (a timer fired twice is released). */
  function* alreadyApplied(pending: Pending, leadId: string, appliedTo: string, stored: StoredLead): Steps<void> {
    if (appliedTo !== leadId) {
      pending.reject(
        new ValidationError('event', [
          { path: ['id'], message: `event id "${pending.event.id}" was already applied to lead "${appliedTo}"`, code: 'duplicate_event_id' },
        ]),
      );
      return;
    }
    if (pending.firedTimer) yield store.releaseTimer(pending.firedTimer);
    pending.resolve({ leadId, applied: false, state: stored.state, version: stored.version });
  }

  /**
   * An event the lead's state does not take: a repeat of an applied event, or a rejection. `state` is
   * the lead's state when the event came up; `stored` the lead as committed.
   */
  function* refused(pending: Pending, leadId: string, state: LifecycleState, stored: StoredLead): Steps<void> {
    // Idempotency is checked by the store at commit; a refused event may still be a repeat.
    const appliedTo = (yield store.eventLead(tenantId, idempotencyKey(pending.event))) as string | undefined;
    if (appliedTo !== undefined) return yield* alreadyApplied(pending, leadId, appliedTo, stored);
    if (pending.firedTimer) {
      // A timer the lead no longer expects (it cannot happen with the built-in machine, whose exits
      // cancel their timers in the same commit); drop it rather than fire it forever.
      yield store.releaseTimer(pending.firedTimer);
      pending.resolve({ leadId, applied: false, state: stored.state, version: stored.version });
      return;
    }
    pending.reject(new EventRejectedError(leadId, pending.event.type, state));
  }

  /** Loads the lead once, applies the batch in order, commits once; retries on version conflicts. */
  function* applyBatch(leadId: string, batch: Pending[]): Steps<void> {
    let remaining = batch;
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const stored = (yield store.load(tenantId, leadId)) as StoredLead | undefined;
      if (!stored) throw new LeadNotFoundError(leadId);
      const snapshot = cache.get(leadId, stored.version) ?? runner.restore(stored.snapshot);
      const read = inFlight.startRead();
      let team: TeamView;
      try {
        const storedLoads = policies.routing ? ((yield store.ownerLoads(tenantId)) as Map<string, OwnerLoad>) : undefined;
        team = teamView(storedLoads, read, reps ? ((yield reps.reps(tenantId)) as readonly Rep[]) : NO_REPS);
      } finally {
        inFlight.endRead(read);
      }
      const work = UnitOfWork.forLead(runner, policies, stored, snapshot, team);
      const applied: Pending[] = [];
      const states: LifecycleState[] = [];
      const notTaken: { pending: Pending; state: LifecycleState }[] = [];
      const fired: { timerId: string; claimToken: string }[] = [];
      for (const pending of remaining) {
        if (cooldowns && pending.event.type === 'cadence.step_due' && stored.contactKeys?.length) {
          // The contact's latest touches on any of their leads, for the step's cooldown (read as it fires).
          const touches = (yield store.lastContactTouches(tenantId, stored.contactKeys)) as ContactTouches;
          pending.event = { ...pending.event, contactTouches: touches };
        }
        const early = beforeCapture(pending.event, work.snapshot.context.capturedAt);
        if (early) {
          pending.reject(early);
          continue;
        }
        if (!work.has(pending.event) && work.apply(pending.event)) {
          applied.push(pending);
          states.push(work.state);
          if (pending.firedTimer) fired.push({ timerId: pending.firedTimer.timerId, claimToken: pending.firedTimer.claimToken });
        } else {
          notTaken.push({ pending, state: work.state });
        }
      }
      let after = stored;
      if (applied.length > 0) {
        const unit = work.commitUnit(fired);
        const reservation = reserve(unit.routedTo);
        try {
          yield store.commit(unit);
          reservation?.committed();
        } catch (error) {
          reservation?.released();
          if (error instanceof VersionConflictError || error instanceof AssignmentConflictError) {
            lastConflict = error;
            continue;
          }
          if (error instanceof DuplicateEventError) {
            // A redelivered event in the batch: answer it, and apply the rest anew.
            const repeat = remaining.find((pending) => idempotencyKey(pending.event) === error.eventId);
            if (repeat) {
              yield* alreadyApplied(repeat, leadId, error.leadId, stored);
              remaining = remaining.filter((pending) => pending !== repeat);
              attempt--;
              continue;
            }
          }
          throw error;
        }
        after = unit.lead;
        cache.set(leadId, unit.lead.version, work.snapshot);
        // After the commit, and idempotent: a crash before this line leaves the rep available, which
        // errs on the side of keeping leads flowing.
        for (const rep of work.unavailable) if (reps) yield reps.setAvailable(tenantId, rep, false);
        for (let index = 0; index < applied.length; index++) {
          (applied[index] as Pending).resolve({ leadId, applied: true, state: states[index] as LifecycleState, version: unit.lead.version });
        }
      }
      for (const { pending, state } of notTaken) yield* refused(pending, leadId, state, after);
      return;
    }
    const error = new ConcurrencyError(leadId, maxAttempts, lastConflict);
    for (const pending of remaining) pending.reject(error);
  }

  /** An event dated later than the clock allows: refused before anything is written. */
  function tooLate(at: number, subject: string): ValidationError | undefined {
    const latest = clock.now() + eventTimeTolerance;
    if (at <= latest) return undefined;
    return new ValidationError(subject, [
      {
        path: ['at'],
        message: `is ${formatInstant(at)}, later than now (${formatInstant(clock.now())}) plus the tolerance of ${formatDuration(eventTimeTolerance)}`,
        code: 'event_in_future',
      },
    ]);
  }

  /** A caller's event dated before its lead's capture: refused, since nothing can happen to a lead before it exists. */
  function beforeCapture(event: MachineEvent, capturedAt: number): ValidationError | undefined {
    const kind = idempotencyKindOf(event.type);
    if ((kind !== 'event' && kind !== 'intake') || event.at >= capturedAt) return undefined;
    const subject = kind === 'intake' ? 'capture input' : 'event';
    return new ValidationError(subject, [
      { path: ['at'], message: `is ${formatInstant(event.at)}, before the lead was captured (${formatInstant(capturedAt)})`, code: 'event_before_capture' },
    ]);
  }

  async function capture(raw: CaptureInput): Promise<CaptureResult> {
    const input = parseInput(captureInputSchema, raw, 'capture input');
    const late = tooLate(input.at, 'capture input');
    if (late) throw late;
    const contactKeys = contactKeysOf(input.contact, defaultRegion);
    const keys = contactKeys.length > 0 ? contactKeys : [`intake:${input.id}`];
    // After every intake in flight that shares a key: one person's email and phone may sit in two.
    const previous = keys.flatMap((key) => intakes.get(key) ?? []);
    const run = previous.length === 0 ? intake(input) : Promise.allSettled(previous).then(() => intake(input));
    for (const key of keys) intakes.set(key, run);
    const clear = () => {
      for (const key of keys) if (intakes.get(key) === run) intakes.delete(key);
    };
    run.then(clear, clear);
    return run;
  }

  /** The company's account (by email domain) and the owner the lead should go to, if any. */
  async function whatIntakeFinds(input: ParsedCaptureInput, duplicateOf: StoredLead | undefined): Promise<LeadMachineInput['found']> {
    const domain = companyDomainOf(input.contact.email);
    const account = domain && accounts ? await accounts.findByDomain(tenantId, domain) : undefined;
    const found: NonNullable<LeadMachineInput['found']> = {};
    if (account) {
      found.account = { id: account.id, domain: account.domain, customer: account.customer };
      if (account.name !== undefined) found.account.name = account.name;
      if (account.owner !== undefined) found.account.owner = account.owner;
    }
    if (account?.owner) {
      found.ownerHint = { owner: account.owner, reason: `owner of ${account.customer ? 'customer' : 'account'} ${account.name ?? account.domain}` };
    } else if (duplicateOf?.owner) {
      found.ownerHint = { owner: duplicateOf.owner, reason: `owner of ${duplicateOf.leadId}, an open lead of the same person` };
    }
    return found.account || found.ownerHint ? found : undefined;
  }

  async function intake(input: ParsedCaptureInput): Promise<CaptureResult> {
    const seen = await store.eventLead(tenantId, idempotencyKey({ type: 'lead.captured', id: input.id }));
    if (seen !== undefined) {
      const stored = await store.load(tenantId, seen);
      return { leadId: seen, outcome: 'duplicate', state: stored?.state ?? 'new', version: stored?.version ?? 0 };
    }
    const contactKeys = contactKeysOf(input.contact, defaultRegion);
    const existing = contactKeys.length === 0 ? undefined : await store.findByContactKeys(tenantId, contactKeys);
    if (existing && dedupe === 'merge') {
      const merged: MachineEvent = { type: 'lead.merged', id: input.id, at: input.at, source: input.source, campaign: input.campaign, asset: input.asset };
      const result = await enqueue(existing.leadId, merged);
      return { leadId: existing.leadId, outcome: result.applied ? 'merged' : 'duplicate', state: result.state, version: result.version };
    }
    const leadId = input.leadId ?? newLeadId();
    if (queues.has(leadId) || (await store.load(tenantId, leadId))) {
      throw new ValidationError('capture input', [{ path: ['leadId'], message: `lead "${leadId}" already exists`, code: 'duplicate_lead_id' }]);
    }
    const found = await whatIntakeFinds(input, existing);
    for (let attempt = 1; ; attempt++) {
      const read = inFlight.startRead();
      let team: TeamView;
      try {
        const storedLoads = policies.routing ? await store.ownerLoads(tenantId) : undefined;
        team = teamView(storedLoads, read, reps ? await reps.reps(tenantId) : NO_REPS);
      } finally {
        inFlight.endRead(read);
      }
      if (reps && team.reps.length === 0) {
        throw new ConfigError('engine options', [
          { path: ['reps'], message: `the rep directory holds no rep for tenant "${tenantId}": no lead could ever be routed or escalated`, code: 'no_reps' },
        ]);
      }
      const created = await createLead(input, leadId, found, team, contactKeys);
      if (created !== undefined) return created;
      // Another engine assigned the chosen rep meanwhile: route again on fresh loads.
      if (attempt >= maxAttempts) throw new ConcurrencyError(leadId, maxAttempts);
    }
  }

  /** One try at committing a new lead; `undefined` when routing's choice was taken meanwhile. */
  async function createLead(
    input: ParsedCaptureInput,
    leadId: string,
    found: LeadMachineInput['found'],
    team: TeamView,
    contactKeys: string[],
  ): Promise<CaptureResult | undefined> {
    const work = UnitOfWork.forCapture(
      runner,
      policies,
      tenantId,
      leadId,
      input,
      found,
      team,
      (snapshot) => {
        const slas = snapshot.context.slas.map((sla) => `; ${sla.label}: due ${formatInstant(sla.dueAt)}`).join('');
        return `captured from ${input.source}${input.campaign ? ` (campaign ${input.campaign})` : ''}${slas}`;
      },
      contactKeys,
    );
    const unit = work.commitUnit();
    const reservation = reserve(unit.routedTo);
    try {
      await store.commit(unit);
      reservation?.committed();
    } catch (error) {
      reservation?.released();
      if (error instanceof AssignmentConflictError) return undefined;
      if (error instanceof VersionConflictError) {
        throw new ValidationError('capture input', [{ path: ['leadId'], message: `lead "${leadId}" was created concurrently`, code: 'duplicate_lead_id' }]);
      }
      if (error instanceof DuplicateEventError) {
        const other = await store.load(tenantId, error.leadId);
        return { leadId: error.leadId, outcome: 'duplicate', state: other?.state ?? 'new', version: other?.version ?? 0 };
      }
      throw error;
    }
    cache.set(leadId, unit.lead.version, work.snapshot);
    return { leadId, outcome: 'created', state: unit.lead.state, version: unit.lead.version };
  }

  // Not `async`: an async wrapper around the queue's promise would cost extra turns of the event loop
  // on every event; validation errors still reach the caller as a rejected promise.
  function dispatch(leadId: string, raw: LeadEventInput): Promise<DispatchResult> {
    if (typeof leadId !== 'string' || leadId.length === 0) {
      return Promise.reject(new ValidationError('lead id', [{ path: [], message: 'must be a non-empty string', code: 'invalid_type' }]));
    }
    let event: LeadEvent;
    try {
      event = parseInput(leadEventSchema, raw, 'event');
    } catch (error) {
      return Promise.reject(error);
    }
    const late = tooLate(event.at, 'event');
    if (late) return Promise.reject(late);
    const refusal = event.type === 'lead.recycled' ? recycleReasonRefusal(policies.recycle, event.reason) : undefined;
    if (refusal) return Promise.reject(new ValidationError('event', [{ path: ['reason'], message: refusal, code: 'invalid_value' }]));
    return enqueue(leadId, event);
  }

  async function fire(timer: ClaimedTimer): Promise<void> {
    const event = { ...timer.event, id: timer.eventId, at: timer.dueAt } as TimerEvent;
    try {
      await enqueue(timer.leadId, event, timer);
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
      // All at once: each lead's queue keeps its own timers in order, and with a database the commits
      // of different leads travel together instead of one round trip each.
      await Promise.all(
        claimed.map(async (timer) => {
          try {
            await fire(timer);
            fired++;
          } catch (error) {
            onError(error, timer);
          }
        }),
      );
    }
  }

  // A failed round (a database blip while claiming) is reported with no timer and the worker goes on.
  const worker = pollingLoop(clock, runDue, (error) => onError(error, undefined));

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
    routes,
    capture,
    dispatch,
    runDue,
    nextDueAt: async () => store.nextDueAt(tenantId),
    recordNote: (leadId, note) => enqueue(leadId, note),
    start: worker.start,
    stop: worker.stop,
    get,
  };
}
