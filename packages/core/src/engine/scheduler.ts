/**
 * The scheduler: claims the tenant's due timers with a lease and feeds each back to its lead as the
 * event it was set for, dated at its due time (an SLA due at 09:05 breaches at 09:05 in the history even
 * when the worker runs late). The commit that applies a fired timer deletes it; a timer whose firing
 * failed stays leased and is claimed again when the lease ends. Nothing waits in memory, so a scheduler
 * built anew over the same store fires what a crashed one had left.
 *
 * @module
 */
import { LeadNotFoundError } from '../errors.js';
import type { TimerEvent } from '../lead/events.js';
import { pollingLoop } from '../polling-loop.js';
import type { ClaimedTimer } from '../store/lead-store.js';
import type { EngineState } from './engine-state.js';
import type { LeadQueue } from './lead-queue.js';

/** What {@link createScheduler} works with: the engine's shared state and its scheduling options. */
export interface SchedulerDeps extends Pick<EngineState, 'store' | 'tenantId' | 'clock'> {
  /** Timers claimed per round. */
  batchSize: number;
  /** How long a claimed timer stays with this engine before another may take it. */
  leaseMs: number;
  /** Receives a timer's failure, or a failed worker round's (`timer` undefined). */
  onError: (error: unknown, timer: ClaimedTimer | undefined) => void;
  /** A fired timer is an event on its lead, so it waits its turn there. */
  leadQueue: LeadQueue;
}

/**
 * Makes the engine's scheduler: `runDue`, `nextDueAt`, and the worker's `start` and `stop`, as
 * `Engine` describes them (and returns them).
 *
 * @example
 * ```ts
 * import type { EngineState } from './engine-state.js';
 * import type { LeadQueue } from './lead-queue.js';
 * import { createScheduler } from './scheduler.js';
 *
 * declare const state: EngineState; // what createEngine builds from its options
 * declare const leadQueue: LeadQueue; // createLeadQueue({ batchSize, applyBatch })
 * const onError = (error: unknown) => console.error('[leadline]', error);
 * const scheduler = createScheduler({ ...state, batchSize: 100, leaseMs: 30_000, onError, leadQueue });
 * const { fired } = await scheduler.runDue();
 * ```
 */
export function createScheduler(deps: SchedulerDeps) {
  const { store, tenantId, clock, batchSize, leaseMs, onError, leadQueue } = deps;

  async function fire(timer: ClaimedTimer): Promise<void> {
    const event = { ...timer.event, id: timer.eventId, at: timer.dueAt } as TimerEvent;
    try {
      await leadQueue.enqueue(timer.leadId, event, timer);
    } catch (error) {
      // The lead is gone: nothing will ever take its timer.
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

  return {
    runDue,
    nextDueAt: async () => store.nextDueAt(tenantId),
    start: worker.start,
    stop: worker.stop,
  };
}
