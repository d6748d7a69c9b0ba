/**
 * Leadline's typed errors. Every error has a stable `code` that callers can switch on, and a message
 * that says what went wrong and where.
 *
 * @module
 */

/** One problem found in an input: where it is (`path`) and what is wrong with it. */
export interface Problem {
  /** Path into the input, for example `["contact", "email"]`. Empty for the input as a whole. */
  readonly path: readonly (string | number)[];
  /** A sentence that says what is wrong. */
  readonly message: string;
  /** zod's issue code, or a Leadline code for checks done outside zod. */
  readonly code: string;
}

/**
 * The base class of every error Leadline throws.
 *
 * @example
 * ```ts
 * import { createEngine, LeadlineError } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { email: 'ada@example.com' } });
 * try {
 *   await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: '2026-03-02T09:03:00Z', channel: 'call', outcome: 'connected' });
 * } catch (error) {
 *   if (error instanceof LeadlineError) console.log(error.code);
 * }
 * ```
 */
export class LeadlineError extends Error {
  /** A stable, machine-readable code such as `validation_failed`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Formats problems as `path: message` lines, so that an error message names every problem. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.path.length > 0 ? problem.path.join('.') : '(root)'}: ${problem.message}`).join('; ');
}

/**
 * Bad input to a public function: an event, a capture input or an option. Nothing was written.
 *
 * @example
 * ```ts
 * import { createEngine, ValidationError } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { email: 'ada@example.com' } });
 * try {
 *   // @ts-expect-error: the types refuse 'fax' too; a CRM's JSON reaches the same check at run time
 *   await engine.dispatch(leadId, { type: 'touch.logged', id: 'e1', at: '2026-03-02T09:03:00Z', channel: 'fax', outcome: 'connected' });
 * } catch (error) {
 *   if (error instanceof ValidationError) console.log(error.problems[0]?.path); // ['channel']
 * }
 * ```
 */
export class ValidationError extends LeadlineError {
  /** Every problem found, each with its path. */
  readonly problems: readonly Problem[];
  /** What was being validated, for example `event` or `capture input`. */
  readonly subject: string;

  constructor(subject: string, problems: readonly Problem[]) {
    super('validation_failed', `Invalid ${subject}: ${describeProblems(problems)}`);
    this.subject = subject;
    this.problems = problems;
  }
}

/**
 * A policy configuration is invalid. Lists every problem with its exact path.
 *
 * @example
 * ```ts
 * import { ConfigError, firstTouchSla } from '@leadline/core';
 *
 * try {
 *   firstTouchSla({ within: '-5m' });
 * } catch (error) {
 *   if (error instanceof ConfigError) console.log(error.problems);
 * }
 * ```
 */
export class ConfigError extends LeadlineError {
  /** Every problem found in the configuration. */
  readonly problems: readonly Problem[];

  constructor(subject: string, problems: readonly Problem[]) {
    super('config_invalid', `Invalid ${subject}: ${describeProblems(problems)}`);
    this.problems = problems;
  }
}

/**
 * No lead with this id exists in the store (for this tenant).
 *
 * @example
 * ```ts
 * import { createEngine, LeadNotFoundError } from '@leadline/core';
 *
 * const engine = createEngine();
 * await engine.get('missing').catch((error: unknown) => error instanceof LeadNotFoundError); // true
 * ```
 */
export class LeadNotFoundError extends LeadlineError {
  /** The id that was looked up. */
  readonly leadId: string;

  constructor(leadId: string) {
    super('lead_not_found', `No lead with id "${leadId}" exists`);
    this.leadId = leadId;
  }
}

/**
 * The lead's current state does not accept this event (for example a touch on a converted lead).
 * Nothing was written.
 *
 * @example
 * ```ts
 * import { createEngine } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { email: 'ada@example.com' } });
 * await engine.dispatch(leadId, { type: 'lead.converted', id: 'c1', at: '2026-03-02T10:00:00Z' });
 * await engine.dispatch(leadId, { type: 'lead.converted', id: 'c2', at: '2026-03-02T11:00:00Z' }); // already converted
 * // -> EventRejectedError: lead "..." is converted and does not accept lead.converted
 * ```
 */
export class EventRejectedError extends LeadlineError {
  /** The lead the event was sent to. */
  readonly leadId: string;
  /** The event's type. */
  readonly eventType: string;
  /** The lead's lifecycle state when the event arrived. */
  readonly state: string;

  constructor(leadId: string, eventType: string, state: string) {
    super('event_rejected', `Lead "${leadId}" is ${state} and does not accept ${eventType}`);
    this.leadId = leadId;
    this.eventType = eventType;
    this.state = state;
  }
}

/**
 * A store refused a commit because the lead's version moved on since it was loaded. Stores throw it;
 * the engine retries on it and only surfaces {@link ConcurrencyError} when retries run out.
 *
 * @example
 * ```ts
 * import { type CommitUnit, type StoredLead, VersionConflictError } from '@leadline/core/adapter-kit';
 *
 * // In a store's commit: the unit to write, and the lead as the store holds it.
 * declare const unit: CommitUnit;
 * declare const stored: StoredLead | undefined;
 * const actual = stored?.version ?? 0;
 * if (actual !== unit.expectedVersion) throw new VersionConflictError(unit.lead.leadId, unit.expectedVersion, actual);
 * ```
 */
export class VersionConflictError extends LeadlineError {
  /** The lead whose version moved on. */
  readonly leadId: string;

  constructor(leadId: string, expected: number, actual: number) {
    super('version_conflict', `Lead "${leadId}" is at version ${actual}, expected ${expected}`);
    this.leadId = leadId;
  }
}

/**
 * A store refused a commit because one of its event ids was applied before (to `leadId`). Stores
 * throw it; the engine answers the caller that the event was already applied.
 *
 * @example
 * ```ts
 * import { type CommitUnit, DuplicateEventError } from '@leadline/core/adapter-kit';
 *
 * // In a store's commit: the event ids applied so far, each with its lead.
 * declare const unit: CommitUnit;
 * declare const applied: Map<string, string>;
 * for (const eventId of unit.eventIds) {
 *   const leadId = applied.get(eventId);
 *   if (leadId !== undefined) throw new DuplicateEventError(eventId, leadId);
 * }
 * ```
 */
export class DuplicateEventError extends LeadlineError {
  /** The event id seen before. */
  readonly eventId: string;
  /** The lead it was applied to. */
  readonly leadId: string;

  constructor(eventId: string, leadId: string) {
    super('duplicate_event', `Event "${eventId}" was already applied to lead "${leadId}"`);
    this.eventId = eventId;
    this.leadId = leadId;
  }
}

/**
 * Optimistic concurrency retries ran out: other writers kept changing the lead. Nothing of this call
 * was written; it is safe to retry later with the same event id.
 *
 * @example
 * ```ts
 * import { ConcurrencyError, createEngine, type LeadEventInput } from '@leadline/core';
 *
 * const engine = createEngine();
 * const retryLater: LeadEventInput[] = [];
 * const event: LeadEventInput = { type: 'touch.logged', id: 'call-1', at: '2026-03-02T09:03:00Z', channel: 'call', outcome: 'connected' };
 * try {
 *   await engine.dispatch('lead-1', event);
 * } catch (error) {
 *   if (error instanceof ConcurrencyError) retryLater.push(event); // the same event id: applied once
 * }
 * ```
 */
export class ConcurrencyError extends LeadlineError {
  /** The contended lead. */
  readonly leadId: string;
  /** How many attempts were made. */
  readonly attempts: number;

  constructor(leadId: string, attempts: number, cause?: unknown) {
    super('concurrency_conflict', `Lead "${leadId}" kept changing; gave up after ${attempts} attempts`, { cause });
    this.leadId = leadId;
    this.attempts = attempts;
  }
}

/**
 * A transition did not come to rest: the lead machine took more microsteps for one event than the
 * bound allows (a cycle of eventless transitions). Nothing of the event was written; the lead stays
 * as it was committed.
 *
 * @example
 * ```ts
 * import { createEngine, RunawayTransitionError } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { email: 'ada@example.com' } });
 * try {
 *   await engine.dispatch(leadId, { type: 'lead.assigned', id: 'a1', at: '2026-03-02T09:01:00Z', owner: 'ann' });
 * } catch (error) {
 *   if (error instanceof RunawayTransitionError) console.error(error.state, error.eventType);
 * }
 * ```
 */
export class RunawayTransitionError extends LeadlineError {
  /** The lead the event was applied to, when known. */
  readonly leadId: string | undefined;
  /** The event's type. */
  readonly eventType: string;
  /** The state the lead was in when the event came (its machine value, as JSON). */
  readonly state: string;
  /** The microstep bound that was passed. */
  readonly maxMicrosteps: number;

  constructor(leadId: string | undefined, eventType: string, state: string, maxMicrosteps: number, cause?: unknown) {
    super(
      'runaway_transition',
      `${leadId ? `Lead "${leadId}"` : 'The lead machine'} in state ${state} did not come to rest within ${maxMicrosteps} microsteps on ${eventType}; nothing was written`,
      { cause },
    );
    this.leadId = leadId;
    this.eventType = eventType;
    this.state = state;
    this.maxMicrosteps = maxMicrosteps;
  }
}

/**
 * A store refused a commit that assigns a lead by routing, because the chosen rep's open leads grew
 * past what routing saw (another engine assigned them meanwhile). The engine routes again; nothing of
 * the refused commit was written.
 *
 * @example
 * ```ts
 * import { AssignmentConflictError, type CommitUnit, type OwnerLoad } from '@leadline/core/adapter-kit';
 *
 * // In a store's commit: the unit, and the loads of the owners as the store holds them.
 * declare const unit: CommitUnit;
 * declare const loads: Map<string, OwnerLoad>;
 * if (unit.routedTo) {
 *   const openNow = loads.get(unit.routedTo.owner)?.open ?? 0;
 *   if (openNow > unit.routedTo.openBefore) throw new AssignmentConflictError(unit.lead.leadId, unit.routedTo.owner, unit.routedTo.openBefore, openNow);
 * }
 * ```
 */
export class AssignmentConflictError extends LeadlineError {
  /** The lead being assigned. */
  readonly leadId: string;
  /** The rep routing chose. */
  readonly owner: string;

  constructor(leadId: string, owner: string, expected: number, actual: number) {
    super('assignment_conflict', `Lead "${leadId}" was routed to ${owner} at ${expected} open leads, but ${owner} now holds ${actual}`);
    this.leadId = leadId;
    this.owner = owner;
  }
}

/**
 * A timer was given up and moved to the timer dead letters: its event cannot apply to its lead (an
 * unknown type, an SLA the lead does not have, a time before the lead, a lead that is gone), or firing
 * it failed on every attempt. The engine reports it through `onError`; `engine.timerDeadLetters()` lists
 * it, `engine.requeueTimer()` and `engine.discardTimer()` settle it.
 *
 * @example
 * ```ts
 * import { createEngine, TimerDeadLetteredError } from '@leadline/core';
 *
 * const engine = createEngine({
 *   onError: (error) => {
 *     if (error instanceof TimerDeadLetteredError) process.stderr.write(`timer ${error.eventId} of lead ${error.leadId}: ${error.reason}\n`);
 *   },
 * });
 * ```
 */
export class TimerDeadLetteredError extends LeadlineError {
  /** The timer's lead. */
  readonly leadId: string;
  /** The timer's id on its lead (`sla:<name>`, `cadence`, ...). */
  readonly timerId: string;
  /** The id its event carries: how the dead letter is re-queued or discarded. */
  readonly eventId: string;
  /** Why it was given up. */
  readonly reason: string;
  /** How many times it was claimed. */
  readonly attempts: number;

  constructor(timer: { leadId: string; timerId: string; eventId: string }, reason: string, attempts: number, cause?: unknown) {
    super('timer_dead_lettered', `Timer ${timer.timerId} of lead "${timer.leadId}" was given up after ${attempts} attempt(s): ${reason}`, { cause });
    this.leadId = timer.leadId;
    this.timerId = timer.timerId;
    this.eventId = timer.eventId;
    this.reason = reason;
    this.attempts = attempts;
  }
}

/**
 * A stored row failed the checks of the store or the engine when read (edited by hand, written by
 * another program, damaged by a bad migration). Nothing is written in response; the message names
 * the table, the tenant, the row's key and what is wrong, so that someone can repair it.
 *
 * @example
 * ```ts
 * import { MalformedRowError } from '@leadline/core';
 * import type { PostgresStore } from '@leadline/postgres';
 *
 * declare const store: PostgresStore;
 * try {
 *   await store.load('acme', 'lead-7');
 * } catch (error) {
 *   if (error instanceof MalformedRowError) console.error(error.table, error.key, error.problem);
 * }
 * ```
 */
export class MalformedRowError extends LeadlineError {
  /** The table the row came from, e.g. `leads`. */
  readonly table: string;
  readonly tenantId: string;
  /** The row's key within the tenant, e.g. the lead id. */
  readonly key: string;
  /** What is wrong with it. */
  readonly problem: string;

  constructor(table: string, tenantId: string, key: string, problem: string) {
    super('malformed_row', `Malformed row in ${table} for tenant "${tenantId}", ${key}: ${problem}`);
    this.table = table;
    this.tenantId = tenantId;
    this.key = key;
    this.problem = problem;
  }
}
