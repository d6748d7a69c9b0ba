/**
 * The scheduler: claims the tenant's due timers with a lease and feeds each back to its lead as the
 * event it was set for, dated at its due time (an SLA due at 09:05 breaches at 09:05 in the history even
 * when the worker runs late). The commit that applies a fired timer deletes it. A timer whose firing
 * failed is tried again after a backoff, up to `retry.maxAttempts` claims; one that can never fire (its
 * event refused, its lead gone) or that used up its attempts goes to the timer dead letters, with the
 * reason, and is reported through `onError`. Nothing waits in memory, so a scheduler
 * built anew over the same store fires what a crashed one had left.
 *
 * @module
 */
import { EventRejectedError, LeadNotFoundError, RunawayTransitionError, TimerDeadLetteredError, ValidationError } from '../errors.js';
import { TIMER_EVENT_TYPES, type TimerEvent } from '../lead/events.js';
import { pollingLoop } from '../polling-loop.js';
import type { ClaimedTimer } from '../store/lead-store.js';
import { type Backoff, retryDelay } from '../time/backoff.js';
import type { EngineState } from './engine-state.js';
import type { LeadQueue } from './lead-queue.js';

/** How a timer whose firing fails is tried again, and when it is given up. */
export interface TimerRetry {
  /** Claims of one timer before it goes to the dead letters. */
  maxAttempts: number;
  /** The wait before each retry. */
  backoff: Backoff;
  /** Jitter for the backoff (`Math.random` unless a test pins it). */
  random: () => number;
}

/** What {@link createScheduler} works with: the engine's shared state and its scheduling options. */
export interface SchedulerDeps extends Pick<EngineState, 'store' | 'tenantId' | 'clock'> {
  /** Timers claimed per round. */
  batchSize: number;
  /** How long a claimed timer stays with this engine before another may take it. */
  leaseMs: number;
  /** Retries of a failed firing. */
  retry: TimerRetry;
  /** Receives a timer's failure, or a failed worker round's (`timer` undefined). */
  onError: (error: unknown, timer: ClaimedTimer | undefined) => void;
  /** A fired timer is an event on its lead, so it waits its turn there. */
  leadQueue: LeadQueue;
}

/**
 * Why a timer can never fire, whatever the attempt: an event no lead takes (an unknown type, a phase its
 * SLA is not in, a time before the lead), a lead that is gone, a transition that never comes to rest.
 * Anything else (the store failing, a conflict that outlasted the retries) may pass, so it is retried.
 */
function hopeless(error: unknown): boolean {
  return (
    error instanceof EventRejectedError || error instanceof ValidationError || error instanceof LeadNotFoundError || error instanceof RunawayTransitionError
  );
}

/** What is wrong with a timer row itself, before its lead is even loaded. */
function malformed(timer: ClaimedTimer): string | undefined {
  const type = timer.event?.type;
  if (typeof type !== 'string' || !(TIMER_EVENT_TYPES as readonly string[]).includes(type)) return `its event type ${JSON.stringify(type)} is not a timer's`;
  if (!Number.isSafeInteger(timer.dueAt) || timer.dueAt < 0) return `its due time ${timer.dueAt} is not an instant`;
  return undefined;
}

/**
 * Makes the engine's scheduler: `runDue`, `nextDueAt`, and the worker's `start` and `stop`, as
 * `Engine` describes them (and returns them).
 *
 * @example
 * ```ts
 * import type { ClaimedTimer } from '@leadline/core';
 * import type { EngineState } from './engine-state.js';
 * import type { LeadQueue } from './lead-queue.js';
 * import { createScheduler } from './scheduler.js';
 *
 * declare const state: EngineState; // what createEngine builds from its options
 * declare const leadQueue: LeadQueue; // createLeadQueue({ batchSize, applyBatch })
 * declare const onError: (error: unknown, timer: ClaimedTimer | undefined) => void;
 * const retry = { maxAttempts: 8, backoff: { baseMs: 1_000, maxMs: 5 * 60_000 }, random: Math.random };
 * const scheduler = createScheduler({ ...state, batchSize: 100, leaseMs: 30_000, retry, onError, leadQueue });
 * await scheduler.runDue();
 * ```
 */
export function createScheduler(deps: SchedulerDeps) {
  const { store, tenantId, clock, batchSize, leaseMs, retry, onError, leadQueue } = deps;

  /**
   * Gives a timer up: into the dead letters with the reason, and reported. A timer that no longer holds
   * its claim was completed, cancelled or raised anew while it fired (a stale one): nothing to give up.
   */
  async function giveUp(timer: ClaimedTimer, reason: string, cause?: unknown): Promise<boolean> {
    const moved = await store.deadLetterTimer(timer, { error: reason, at: clock.now() });
    if (moved) onError(new TimerDeadLetteredError(timer, reason, timer.attempt, cause), timer);
    return !moved;
  }

  /**
   * Fires a claimed timer; `true` when it is done with: its event applied (now or before), or the timer
   * dropped as out of date. `false` when it went to the dead letters.
   */
  async function fire(timer: ClaimedTimer, now: number): Promise<boolean> {
    const wrong = malformed(timer);
    if (wrong !== undefined) return giveUp(timer, wrong);
    // Claimed more often than allowed and never completed: each claim ended without an answer (the
    // worker died while firing it), so firing it again would likely end the same way.
    if (timer.attempt > retry.maxAttempts)
      return giveUp(timer, `claimed ${timer.attempt} times without completing${timer.lastError ? `; last error: ${timer.lastError}` : ''}`);
    const event = { ...timer.event, id: timer.eventId, at: timer.dueAt } as TimerEvent;
    try {
      await leadQueue.enqueue(timer.leadId, event, timer);
      return true;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (hopeless(error)) return giveUp(timer, why, error);
      if (timer.attempt >= retry.maxAttempts) return giveUp(timer, `failed ${timer.attempt} times; last error: ${why}`, error);
      // The wait counts from the failure (the clock now, not the round's start), and never ends within
      // this call's `now`, or the timer would be claimed again in the same call until its attempts ran out.
      const retryAt = Math.max(now, clock.now()) + retryDelay(timer.attempt, retry.backoff, retry.random);
      await store.retryTimer(timer, { retryAt, error: why });
      throw error;
    }
  }

  async function runDue(now: number = clock.now()): Promise<{ fired: number }> {
    let fired = 0;
    // Rounds go on until nothing is due: a fired timer may schedule another that is due already
    // (a cadence step at +0m). A timer that failed stays leased, so it cannot loop here.
    for (;;) {
      // `now` says what is due; the lease runs from the clock's now, however long this call has taken
      // (and never ends at or before `now`, so a timer that failed stays leased for the rest of the call).
      const lease = leaseMs + Math.max(0, clock.now() - now);
      const claimed = await store.claimDueTimers(tenantId, now, { limit: batchSize, leaseMs: lease });
      if (claimed.length === 0) return { fired };
      // All at once: each lead's queue keeps its own timers in order, and with a database the commits
      // of different leads travel together instead of one round trip each.
      await Promise.all(
        claimed.map(async (timer) => {
          try {
            if (await fire(timer, now)) fired++;
          } catch (error) {
            onError(error, timer);
          }
        }),
      );
    }
  }

  // A failed round (a database blip while claiming) is reported with no timer and the worker goes on.
  const worker = pollingLoop(clock, runDue, (error) => onError(error, undefined));

  return {
    runDue,
    nextDueAt: async () => store.nextDueAt(tenantId),
    start: worker.start,
    stop: worker.stop,
  };
}
