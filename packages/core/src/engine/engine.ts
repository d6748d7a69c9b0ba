/**
 * The durable engine: drives each lead's machine with pure transitions and turns what they decide into
 * one store commit (snapshot, timers, outbox, history, event ids) guarded by the lead's version. A
 * scheduler claims due timers and feeds them back as events. Nothing waits in memory, so an engine
 * built anew over the same store carries on where a crashed one stopped.
 *
 * This file holds the engine's options, checks what callers hand it, and wires its parts together;
 * each part has a file of its own (docs/engine.md, "Where it lives").
 *
 * @module
 */
import { z } from 'zod';
import type { AccountDirectory } from '../accounts/account-directory.js';
import { type Clock, systemClock } from '../clock.js';
import { ConfigError, LeadNotFoundError, ValidationError } from '../errors.js';
import type { CaptureInput } from '../lead/capture-input.js';
import { type HistoryNote, type LeadEvent, type LeadEventInput, leadEventSchema } from '../lead/events.js';
import { phoneRegionSchema } from '../lead/phone.js';
import { createLeadMachine, type LeadMachine } from '../lifecycle/machine.js';
import { MAX_ID_LENGTH } from '../limits.js';
import { engineRoutes, type NotificationRoutes, type NotificationRoutesConfig, notificationAudiences } from '../notify/routes.js';
import { durationSchema } from '../policies/duration-config.js';
import { recycleReasonRefusal } from '../policies/recycle-policy.js';
import type { LeadPolicies, WorkingClock } from '../policies/types.js';
import type { ClaimedTimer, LeadStore, StoredLead, TimerDeadLetter } from '../store/lead-store.js';
import { MemoryStore } from '../store/memory-store.js';
import type { RepDirectory } from '../team/rep-directory.js';
import type { Backoff } from '../time/backoff.js';
import { DAY } from '../time/duration.js';
import { parseInput, singleLineSchema, tenantIdSchema } from '../validation.js';
import { createBatchApply } from './batch-apply.js';
import type { EngineState } from './engine-state.js';
import { tooLate } from './event-times.js';
import { type CaptureResult, createIntake } from './intake.js';
import { createLeadQueue, type DispatchResult } from './lead-queue.js';
import { buildLeadView, type LeadView } from './lead-view.js';
import { type LeadSnapshot, MachineRunner } from './machine-runner.js';
import { createScheduler } from './scheduler.js';
import { SnapshotCache } from './snapshot-cache.js';
import { checkEventCount, storedSnapshot } from './stored-snapshot.js';
import { createTeamViews, type Rerouting } from './team-view.js';

// What capture() and dispatch() answer, defined with the parts that make them.
export type { CaptureResult } from './intake.js';
export type { DispatchResult } from './lead-queue.js';

const optionsSchema = z.object({
  tenantId: tenantIdSchema,
  maxAttempts: z.number().int().min(1).max(100).default(8),
  cacheSize: z.number().int().min(0).default(10_000),
  leaseMs: z.number().int().min(1).default(30_000),
  batchSize: z.number().int().min(1).max(10_000).default(100),
  dedupe: z.enum(['merge', 'route_to_owner']).default('merge'),
  eventTimeTolerance: durationSchema.refine((ms) => ms >= 0, 'must not be negative').default(5 * 60_000),
  defaultRegion: phoneRegionSchema.optional(),
  timerRetry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(100).default(8),
      backoff: z
        .strictObject({ baseMs: z.number().int().min(1).max(DAY), maxMs: z.number().int().min(1).max(DAY) })
        .refine((backoff) => backoff.baseMs <= backoff.maxMs, { message: 'baseMs must not exceed maxMs', path: ['baseMs'] })
        .default({ baseMs: 1_000, maxMs: 5 * 60_000 }),
    })
    .default({ maxAttempts: 8, backoff: { baseMs: 1_000, maxMs: 5 * 60_000 } }),
});

/**
 * Options of {@link createEngine}.
 *
 * @example
 * ```ts
 * import { type EngineOptions, firstTouchSla, MemoryStore, systemClock } from '@leadline/core';
 *
 * const options: EngineOptions = { store: new MemoryStore(), policies: { sla: firstTouchSla({ within: '5m' }) }, clock: systemClock(), tenantId: 'acme' };
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
   * A timer whose firing fails (the store is down, a conflict outlasts `maxAttempts`) is tried again
   * after a backoff (default 1 s doubling to 5 min, with jitter), up to `maxAttempts` claims in all
   * (default 8); then it goes to the timer dead letters. A timer that can never fire goes there at once.
   */
  timerRetry?: { maxAttempts?: number; backoff?: Backoff };
  /**
   * Receives errors of timers that failed to fire (retried after a backoff), timers given up
   * (`TimerDeadLetteredError`), and worker rounds that failed to claim (`timer` undefined; the worker
   * tries again at its next round).
   */
  onError?: (error: unknown, timer: ClaimedTimer | undefined) => void;
}

/**
 * A running Leadline engine.
 *
 * @example
 * ```ts
 * import { createEngine, firstTouchSla } from '@leadline/core';
 *
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
  /**
   * Fires every timer due at `now` (default: the clock's now); returns how many fired (applied, or dropped
   * as out of date; not those that failed or went to the timer dead letters).
   */
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
  /** Timers given up (see `timerRetry`), oldest first, with why (default: the first 100). */
  timerDeadLetters(options?: { limit?: number }): Promise<TimerDeadLetter[]>;
  /**
   * Puts a dead timer back, due now, with its attempts reset; `false` when there is no dead letter with
   * this event id, or its lead has raised that timer anew since (discard the old one then).
   */
  requeueTimer(eventId: string): Promise<boolean>;
  /** Deletes a timer dead letter; `false` when there is none with this event id. */
  discardTimer(eventId: string): Promise<boolean>;
}

/** A lead id as callers may pass it: one line, at most `MAX_ID_LENGTH` characters, no control characters. */
const leadIdSchema = singleLineSchema(MAX_ID_LENGTH, { trim: false });

/** Why a lead id handed to `dispatch`, `get` or `recordNote` is refused, before any store sees it. */
function leadIdRefusal(leadId: unknown): ValidationError | undefined {
  if (typeof leadId !== 'string' || leadId.length === 0) {
    return new ValidationError('lead id', [{ path: [], message: 'must be a non-empty string', code: 'invalid_type' }]);
  }
  try {
    parseInput(leadIdSchema, leadId, 'lead id');
    return undefined;
  } catch (error) {
    return error as ValidationError;
  }
}

function defaultLeadId(): string {
  return globalThis.crypto.randomUUID();
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
 * import { createEngine, firstTouchSla, fixedCadence, leastLoadedRouting, MemoryStore, nurtureRecycle, systemClock } from '@leadline/core';
 *
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
      timerRetry: options.timerRetry,
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

  const state: EngineState = { store, tenantId, policies, reps, clock, runner, cache, maxAttempts };
  const teamViews = createTeamViews({ ...state, routes, audiences, rerouting });
  const leadQueue = createLeadQueue({ batchSize, applyBatch: createBatchApply({ ...state, teamViews }) });
  const intake = createIntake({ ...state, accounts, teamViews, leadQueue, dedupe, defaultRegion, newLeadId, eventTimeTolerance });
  const retry = { ...settings.timerRetry, random: Math.random };
  const scheduler = createScheduler({ ...state, batchSize, leaseMs, retry, onError, leadQueue });

  // Not `async`: an async wrapper around the queue's promise would cost extra turns of the event loop
  // on every event; validation errors still reach the caller as a rejected promise.
  function dispatch(leadId: string, raw: LeadEventInput): Promise<DispatchResult> {
    const badId = leadIdRefusal(leadId);
    if (badId) return Promise.reject(badId);
    let event: LeadEvent;
    try {
      event = parseInput(leadEventSchema, raw, 'event');
    } catch (error) {
      return Promise.reject(error);
    }
    const late = tooLate(event.at, 'event', clock, eventTimeTolerance);
    if (late) return Promise.reject(late);
    const refusal = event.type === 'lead.recycled' ? recycleReasonRefusal(policies.recycle, event.reason) : undefined;
    if (refusal) return Promise.reject(new ValidationError('event', [{ path: ['reason'], message: refusal, code: 'invalid_value' }]));
    return leadQueue.enqueue(leadId, event);
  }

  async function loadLead(leadId: string): Promise<{ stored: StoredLead; snapshot: LeadSnapshot }> {
    // The same lookup is inlined in batch-apply.ts, the hot path, to save an async hop per event.
    const stored = await store.load(tenantId, leadId);
    if (!stored) throw new LeadNotFoundError(leadId);
    const snapshot = storedSnapshot(stored, runner, cache);
    return { stored, snapshot };
  }

  async function get(leadId: string): Promise<LeadView> {
    const badId = leadIdRefusal(leadId);
    if (badId) throw badId;
    const { stored, snapshot } = await loadLead(leadId);
    const [timers, history] = await Promise.all([store.timersOf(tenantId, leadId), store.historyOf(tenantId, leadId)]);
    checkEventCount(stored, history.length);
    return buildLeadView(stored, snapshot.value, snapshot.context, timers, history);
  }

  return {
    machine,
    store,
    clock,
    tenantId,
    routes,
    capture: intake.capture,
    dispatch,
    runDue: scheduler.runDue,
    nextDueAt: scheduler.nextDueAt,
    recordNote: (leadId: string, note: HistoryNote) => {
      const badId = leadIdRefusal(leadId);
      return badId ? Promise.reject(badId) : leadQueue.enqueue(leadId, note);
    },
    start: scheduler.start,
    stop: scheduler.stop,
    get,
    timerDeadLetters: async (options) => store.timerDeadLetters(tenantId, options?.limit ?? 100),
    requeueTimer: async (eventId) => store.requeueTimerDeadLetter(tenantId, eventId, clock.now()),
    discardTimer: async (eventId) => store.discardTimerDeadLetter(tenantId, eventId),
  };
}
