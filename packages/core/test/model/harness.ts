/**
 * Runs one model case on the real engine (memory store seen through the timer ledger, a virtual clock
 * that advances through every due timer) and checks the invariants after every step. Every engine call
 * runs under the watchdog, so a hang fails the run instead of hanging the suite.
 */
import {
  type CaptureResult,
  createEngine,
  type DispatchResult,
  type Engine,
  EventRejectedError,
  type HistoryEntry,
  type LeadEventInput,
  type LeadStore,
  MemoryStore,
  type OutboxRecord,
  type StoredLead,
  type TimerRow,
  ValidationError,
} from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describeStep, type EventSpec, MAX_LEADS, type Step } from './event-stream.js';
import { CALL_LIMIT_MS } from './flags.js';
import { InvariantChecker, type LeadObservation, type Violation } from './invariants.js';
import { buildPolicies, describePolicies, type PolicySpec } from './policy-spec.js';
import { ledgerStore, TimerLedger } from './timer-ledger.js';
import { describeCase, guarded, WatchdogTimeout } from './watchdog.js';
import { stamp } from './words.js';

/** Monday 2026-03-02 00:00Z: the model's weeks start here (US DST changes on Sunday 03-08). */
export const MODEL_EPOCH = Date.parse('2026-03-02T00:00:00Z');

export interface ModelCase {
  /** Minutes after {@link MODEL_EPOCH} at which the first lead comes in. */
  startMinutes: number;
  policy: PolicySpec;
  steps: Step[];
  /** The store answers through promises, as a database adapter does. */
  asyncStore: boolean;
  /** After the last step, how long time runs on (every timer due by then fires). */
  drainMinutes: number;
}

export interface RunResult {
  violations: Violation[];
  /** The steps as run, with what the engine answered. */
  trace: string[];
  /** Every lead's history in words, by lead id. */
  histories: Map<string, string[]>;
  leads: string[];
  /** What the store holds for each lead at the end. */
  records: Map<string, LeadRecord>;
  /** The outbox at the end (nothing is delivered in the model). */
  outbox: OutboxRecord[];
}

/** Rounds of due timers one wait may take before the model calls it a runaway. */
const MAX_ROUNDS_PER_WAIT = 1000;

function eventOf(spec: EventSpec, id: string, at: number, now: number): LeadEventInput {
  switch (spec.type) {
    case 'lead.snoozed':
      return { type: spec.type, id, at, until: now + spec.untilMinutes * 60_000 };
    case 'prospect.out_of_office':
      return { type: spec.type, id, at, until: now + spec.untilMinutes * 60_000 };
    default:
      return { ...spec, id, at } as LeadEventInput;
  }
}

/** A model case in words, as a counterexample shows it. */
export function describeModelCase(c: ModelCase): string {
  const lines = [`start ${stamp(MODEL_EPOCH + c.startMinutes * 60_000)}, ${c.asyncStore ? 'store answering through promises' : 'synchronous memory store'}`];
  for (const line of describePolicies(c.policy)) lines.push(`  ${line}`);
  c.steps.forEach((step, index) => {
    lines.push(`  ${index + 1}. ${describeStep(step)}`);
  });
  lines.push(`  then time runs on for ${c.drainMinutes}m`);
  return lines.join('\n');
}

/** Options of {@link runModelCase}. */
export interface RunOptions {
  /** The store to run on (a fresh memory store by default; answering through promises when the case says so). */
  store?: LeadStore;
  /** The tenant to work in (default `default`), so that runs can share a database. */
  tenantId?: string;
}

/** What the store holds for a lead at the end of a run, for comparing stores. */
export interface LeadRecord {
  lead: StoredLead | undefined;
  history: HistoryEntry[];
  timers: TimerRow[];
}

/** Runs the case, checking the invariants after every step. */
export async function runModelCase(c: ModelCase, options: RunOptions = {}): Promise<RunResult> {
  const start = MODEL_EPOCH + c.startMinutes * 60_000;
  const tenantId = options.tenantId ?? 'default';
  const clock = new VirtualClock(start);
  const ledger = new TimerLedger(() => clock.now());
  const inner: LeadStore = options.store ?? new MemoryStore();
  const store: LeadStore = ledgerStore(inner, ledger, options.store === undefined && c.asyncStore);
  const { policies, reps } = buildPolicies(c.policy, start, tenantId);
  const checker = new InvariantChecker();
  const trace: string[] = [];
  const leads: string[] = [];
  const usedIds: string[] = [];
  let leadCount = 0;
  const engine: Engine = createEngine({
    store,
    tenantId,
    policies,
    reps,
    clock,
    newLeadId: () => `lead-${++leadCount}`,
    onError: (error, timer) =>
      checker.report(
        'terminates',
        timer?.leadId,
        clock.now(),
        `${timer ? `timer ${timer.timerId} (${timer.event.type})` : 'a worker round'} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
  });
  describeCase(describeModelCase(c));

  const call = async <T>(label: string, run: () => T | PromiseLike<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> => {
    try {
      return { ok: true, value: await guarded(label, CALL_LIMIT_MS, run) };
    } catch (error) {
      if (error instanceof WatchdogTimeout) checker.report('terminates', undefined, clock.now(), error.message);
      return { ok: false, error };
    }
  };

  // Between rounds only the leads that changed are looked at; once time has settled, every lead is (the
  // time-based invariants, such as a deadline that passed, concern leads that did not change).
  const observe = async (settled: boolean) => {
    const observations: LeadObservation[] = [];
    const touched = ledger.takeTouched();
    for (const leadId of leads) {
      if (!settled && !touched.has(leadId)) continue;
      const got = await call(`get ${leadId}`, () => engine.get(leadId));
      if (!got.ok) {
        checker.report('terminates', leadId, clock.now(), `engine.get failed: ${String(got.error)}`);
        continue;
      }
      observations.push({ leadId, view: got.value, timers: await inner.timersOf(tenantId, leadId), history: await inner.historyOf(tenantId, leadId) });
    }
    checker.check(clock.now(), observations, ledger, settled);
  };

  /** Fires due timers round by round, each at its due time, until `target`; then sets the clock there. */
  const advanceTo = async (target: number) => {
    for (let round = 0; ; round++) {
      if (round >= MAX_ROUNDS_PER_WAIT) {
        checker.report('terminates', undefined, clock.now(), `time does not advance: ${MAX_ROUNDS_PER_WAIT} rounds of due timers before ${stamp(target)}`);
        break;
      }
      const next = await call('nextDueAt', () => engine.nextDueAt());
      if (!next.ok || next.value === undefined || next.value > target) break;
      clock.set(Math.max(clock.now(), next.value));
      const fired = await call(`runDue at ${stamp(clock.now())}`, () => engine.runDue(clock.now()));
      if (!fired.ok) checker.report('terminates', undefined, clock.now(), `runDue failed: ${String(fired.error)}`);
      await observe(false);
    }
    clock.set(Math.max(clock.now(), target));
    await observe(true);
  };

  const capture = async (label: string, input: { source: string; email: string; timeZone: string | undefined }) => {
    const id = `intake-${usedIds.length + 1}`;
    usedIds.push(id);
    const result = await call(label, () =>
      engine.capture({
        id,
        at: clock.now(),
        source: input.source,
        contact: { email: input.email, ...(input.timeZone ? { timeZone: input.timeZone } : {}) },
      }),
    );
    if (!result.ok) {
      checker.report('terminates', undefined, clock.now(), `capture failed: ${String(result.error)}`);
      return `failed: ${String(result.error)}`;
    }
    const captured: CaptureResult = result.value;
    if (!leads.includes(captured.leadId)) leads.push(captured.leadId);
    return `${captured.outcome} ${captured.leadId} (${captured.state})`;
  };

  const emails = new Map<string, string>();
  for (const [index, step] of c.steps.entries()) {
    const at = stamp(clock.now());
    let outcome = '';
    switch (step.kind) {
      case 'capture': {
        if (leads.length >= MAX_LEADS) {
          outcome = 'skipped (enough leads)';
          break;
        }
        const email = `person${index + 1}@example.com`;
        outcome = await capture(`capture (step ${index + 1})`, { source: step.source, email, timeZone: step.timeZone });
        const leadId = leads[leads.length - 1];
        if (leadId && !emails.has(leadId)) emails.set(leadId, email);
        break;
      }
      case 'intake-again': {
        const original = leads[step.lead % Math.max(1, leads.length)];
        const email = original === undefined ? undefined : emails.get(original);
        if (!email) {
          outcome = 'skipped (no such lead)';
          break;
        }
        outcome = await capture(`intake again (step ${index + 1})`, { source: step.source, email, timeZone: undefined });
        break;
      }
      case 'wait':
        await advanceTo(clock.now() + step.minutes * 60_000);
        outcome = `now ${stamp(clock.now())}`;
        break;
      case 'event': {
        const leadId = leads[step.lead % Math.max(1, leads.length)];
        if (!leadId) {
          outcome = 'skipped (no lead yet)';
          break;
        }
        let id = `event-${index + 1}`;
        if (step.id.kind === 'timer') {
          const timers = await inner.timersOf(tenantId, leadId);
          const timer = timers[step.id.index % Math.max(1, timers.length)];
          if (timer) id = timer.eventId;
        } else if (step.id.kind === 'reuse' && usedIds.length > 0) {
          id = usedIds[step.id.index % usedIds.length] as string;
        }
        usedIds.push(id);
        const before = await inner.load(tenantId, leadId);
        const capturedAt = (await inner.historyOf(tenantId, leadId))[0]?.at ?? clock.now();
        const eventAt = step.beforeCaptureMinutes === undefined ? clock.now() : capturedAt - step.beforeCaptureMinutes * 60_000;
        const event = eventOf(step.event, id, eventAt, clock.now());
        const result = await call(`dispatch ${step.event.type} to ${leadId} (step ${index + 1})`, () => engine.dispatch(leadId, event));
        if (result.ok) {
          const answer: DispatchResult = result.value;
          outcome = `${leadId} ${answer.applied ? 'applied' : 'not applied (seen before)'} -> ${answer.state} (id ${id}${eventAt === clock.now() ? '' : `, dated ${stamp(eventAt)}`})`;
          if (!answer.applied && (await inner.load(tenantId, leadId))?.version !== before?.version)
            checker.report(
              'refusalWritesNothing',
              leadId,
              clock.now(),
              `${step.event.type} (id ${id}) was answered "not applied" but the lead's version moved`,
            );
        } else {
          const error = result.error;
          const refused = error instanceof EventRejectedError || error instanceof ValidationError;
          outcome = `${leadId} refused: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
          if (!refused && !(error instanceof WatchdogTimeout))
            checker.report(
              'terminates',
              leadId,
              clock.now(),
              `${step.event.type} (id ${id}) threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
            );
          const after = await inner.load(tenantId, leadId);
          if (after?.version !== before?.version || (await inner.historyOf(tenantId, leadId)).length !== (before?.eventCount ?? 0))
            checker.report('refusalWritesNothing', leadId, clock.now(), `${step.event.type} (id ${id}) was refused but the lead changed`);
        }
        break;
      }
    }
    trace.push(`${index + 1}. [${at}] ${describeStep(step)} -> ${outcome}`);
    if (step.kind !== 'wait') {
      await observe(false);
      // A worker that is always running: what the step made due now fires before the next step.
      await advanceTo(clock.now());
    }
  }
  await advanceTo(clock.now() + c.drainMinutes * 60_000);
  trace.push(`end [${stamp(clock.now())}]`);

  const histories = new Map<string, string[]>();
  const records = new Map<string, LeadRecord>();
  for (const leadId of leads) {
    const view = await call(`get ${leadId}`, () => engine.get(leadId));
    if (view.ok)
      histories.set(leadId, [`${leadId}: ${view.value.state}, owner ${view.value.owner ?? 'none'}`, ...view.value.history.map((entry) => entry.text)]);
    records.set(leadId, {
      lead: await inner.load(tenantId, leadId),
      history: await inner.historyOf(tenantId, leadId),
      timers: await inner.timersOf(tenantId, leadId),
    });
  }
  return { violations: checker.violations, trace, histories, leads, records, outbox: await inner.pendingOutbox(tenantId, 10_000) };
}

/** A failed run in words: what broke, the case, the steps as run, and the histories of the leads involved. */
export function describeFailure(c: ModelCase, result: RunResult, violations: readonly Violation[]): string {
  const lines: string[] = [];
  for (const violation of violations.slice(0, 8)) lines.push(`- [${stamp(violation.at)}] ${violation.leadId ?? '(engine)'}: ${violation.message}`);
  if (violations.length > 8) lines.push(`- ... and ${violations.length - 8} more`);
  const others = [...new Set(result.violations.map((violation) => violation.invariant))].filter(
    (name) => !violations.some((violation) => violation.invariant === name),
  );
  if (others.length > 0) lines.push(`(this case also breaks: ${others.join(', ')})`);
  lines.push('case:', describeModelCase(c), 'as run:', ...result.trace.map((line) => `  ${line}`));
  const involved = new Set(violations.map((violation) => violation.leadId).filter((leadId): leadId is string => leadId !== undefined));
  for (const [leadId, history] of result.histories) {
    if (involved.size > 0 && !involved.has(leadId)) continue;
    const entries = history.slice(1);
    const shown = entries.length <= 40 ? entries : [...entries.slice(0, 30), `... ${entries.length - 38} entries ...`, ...entries.slice(-8)];
    lines.push(`history of ${history[0]}`, ...shown.map((line) => `  ${line}`));
  }
  return lines.join('\n');
}
