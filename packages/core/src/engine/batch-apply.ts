/**
 * Applies a batch of one lead's queued events in one commit: the lead is loaded once, each event runs
 * through the machine in order, and snapshot, timers, outbox, history and event ids are written
 * together, guarded by the lead's version. An event the lead's state does not take is refused on its
 * own; the others are applied. When another writer moved the version on, or took the rep routing
 * chose, the batch is applied anew on a fresh load, up to `maxAttempts` times.
 *
 * @module
 */
import {
  AssignmentConflictError,
  ConcurrencyError,
  DuplicateEventError,
  EventRejectedError,
  LeadNotFoundError,
  ValidationError,
  VersionConflictError,
} from '../errors.js';
import type { LifecycleState } from '../lead/states.js';
import type { ContactTouches, StoredLead } from '../store/lead-store.js';
import type { EngineState } from './engine-state.js';
import { beforeCapture } from './event-times.js';
import { idempotencyKey } from './idempotency-key.js';
import type { ApplyBatch, Pending } from './lead-queue.js';
import type { Steps } from './steps.js';
import { storedSnapshot } from './stored-snapshot.js';
import type { TeamViews } from './team-view.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * What {@link createBatchApply} works with: the engine's shared state (`reps` is where reps an SLA
 * escalation took off duty are marked unavailable) and its team views.
 */
export interface BatchApplyDeps extends Pick<EngineState, 'store' | 'tenantId' | 'policies' | 'runner' | 'cache' | 'reps' | 'maxAttempts'> {
  teamViews: TeamViews;
}

/**
 * Makes the engine's {@link ApplyBatch}, for its lead queue. Every pending event is answered: applied,
 * a repeat (`applied: false`), or rejected with its reason.
 *
 * @example
 * ```ts
 * import { createBatchApply } from './batch-apply.js';
 * import type { EngineState } from './engine-state.js';
 * import { createLeadQueue } from './lead-queue.js';
 * import type { TeamViews } from './team-view.js';
 *
 * declare const state: EngineState; // what createEngine builds from its options
 * declare const teamViews: TeamViews; // createTeamViews({ ...state, routes, audiences, rerouting })
 * const applyBatch = createBatchApply({ ...state, teamViews });
 * const leadQueue = createLeadQueue({ batchSize: 100, applyBatch });
 * ```
 */
export function createBatchApply(deps: BatchApplyDeps): ApplyBatch {
  const { store, tenantId, policies, runner, cache, reps, teamViews, maxAttempts } = deps;
  /** Whether the cadence has a contact cooldown, so that firing steps reads the contact's touches. */
  const cooldowns = policies.cadence?.contactCooldownMs !== undefined;

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
    // A timer the lead does not take is refused like any event: the scheduler puts it in the dead
    // letters with the reason (the built-in machine's exits cancel their timers in the same commit, and a
    // timer raised anew replaces the row, so a refused timer that still holds its claim is a bad row).
    pending.reject(new EventRejectedError(leadId, pending.event.type, state));
  }

  /** Loads the lead once, applies the batch in order, commits once; retries on version conflicts. */
  function* applyBatch(leadId: string, batch: Pending[]): Steps<void> {
    let remaining = batch;
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const stored = (yield store.load(tenantId, leadId)) as StoredLead | undefined;
      if (!stored) throw new LeadNotFoundError(leadId);
      const snapshot = storedSnapshot(stored, runner, cache);
      const team = yield* teamViews.read();
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
        try {
          yield* teamViews.commit(unit);
        } catch (error) {
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

  return applyBatch;
}
