/**
 * Each lead's queue of events. Within one engine, calls on a lead never race: its events are applied
 * one after another in arrival order, and those that queue up while a commit is in flight (a database
 * round trip) are applied together in the next one (group commit, up to `batchSize` events).
 *
 * @module
 */
import type { MachineEvent } from '../lead/events.js';
import type { LifecycleState } from '../lead/states.js';
import type { ClaimedTimer } from '../store/lead-store.js';
import { runSteps, type Steps } from './steps.js';

/**
 * What `dispatch()` did.
 *
 * @example
 * ```ts
 * import type { DispatchResult, Engine } from '@leadline/core';
 *
 * declare const engine: Engine; // createEngine({ policies }), with lead-1 captured
 * const { applied, state }: DispatchResult = await engine.dispatch('lead-1', { type: 'touch.logged', id: 'call-1', at: new Date(), channel: 'call', outcome: 'connected' });
 * // applied: false when call-1 had been applied before
 * ```
 */
export interface DispatchResult {
  leadId: string;
  /** False when this event id had been applied before (nothing changed). */
  applied: boolean;
  state: LifecycleState;
  version: number;
}

/** An event waiting in a lead's queue, with the caller to answer. */
export interface Pending {
  event: MachineEvent;
  /** The claimed timer this event fires, if it is one: its commit deletes the timer. */
  firedTimer: ClaimedTimer | undefined;
  resolve(result: DispatchResult): void;
  reject(error: unknown): void;
}

/** Applies a batch of a lead's queued events, answering each; a throw fails the batch as a whole. */
export type ApplyBatch = (leadId: string, batch: Pending[]) => Steps<void>;

/** What {@link createLeadQueue} needs. */
export interface LeadQueueDeps {
  /** The most events applied in one commit. */
  batchSize: number;
  applyBatch: ApplyBatch;
}

/**
 * The engine's per-lead queues.
 *
 * @example
 * ```ts
 * import type { MachineEvent } from '@leadline/core';
 * import type { LeadQueue } from './lead-queue.js';
 *
 * declare const leadQueue: LeadQueue; // createLeadQueue({ batchSize, applyBatch })
 * declare const event: MachineEvent; // a validated event for lead-1
 * const result = await leadQueue.enqueue('lead-1', event); // after every event queued on lead-1 before it
 * ```
 */
export interface LeadQueue {
  /** Queues an event for a lead; answers once it is applied (or refused). */
  enqueue(leadId: string, event: MachineEvent, firedTimer?: ClaimedTimer): Promise<DispatchResult>;
  /** Whether the lead has events being applied right now (so it exists, or is about to). */
  has(leadId: string): boolean;
}

/**
 * Makes the per-lead queues of one engine.
 *
 * @example
 * ```ts
 * import { type ApplyBatch, createLeadQueue } from './lead-queue.js';
 *
 * declare const applyBatch: ApplyBatch; // createBatchApply({ ...state, teamViews })
 * const leadQueue = createLeadQueue({ batchSize: 100, applyBatch });
 * const at = Date.parse('2026-03-02T09:03:00Z');
 * await leadQueue.enqueue('lead-1', { type: 'touch.logged', id: 'call-1', at, channel: 'call', outcome: 'connected' });
 * ```
 */
export function createLeadQueue(deps: LeadQueueDeps): LeadQueue {
  const { batchSize, applyBatch } = deps;
  /** Events waiting per lead; a lead has an entry while its queue is being drained. */
  const queues = new Map<string, Pending[]>();

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

  return { enqueue, has: (leadId) => queues.has(leadId) };
}
