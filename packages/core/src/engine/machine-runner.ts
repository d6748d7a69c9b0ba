/**
 * Drives the lead machine with XState's pure transition semantics, paying the set-up cost once.
 *
 * `xstate.transition()` builds a fresh actor scope (a whole inert actor and system) on every call,
 * which is most of its cost. The scope holds no per-lead state when actions are only collected, never
 * executed, so one scope per machine serves every lead: the runner swaps in a collecting
 * `actionExecutor` per call and calls the machine's own `transition`/`getInitialSnapshot`, exactly
 * what `transition()` and `initialTransition()` do inside.
 *
 * @module
 */
import { type AnyActorScope, createActor } from 'xstate';
import { RunawayTransitionError } from '../errors.js';
import type { MachineEvent } from '../lead/events.js';
import type { LeadMachineInput } from '../lifecycle/initial-context.js';
import { type LeadMachine, MAX_MICROSTEPS } from '../lifecycle/machine.js';

/** The serialised history value of a lead that has never left a state with history (most leads). */
const NO_HISTORY: Record<string, { id: string }[]> = Object.freeze({}) as Record<string, { id: string }[]>;

/** The snapshot type of the lead machine. */
export type LeadSnapshot = ReturnType<LeadMachine['getInitialSnapshot']>;

/**
 * An action XState resolved during a transition and left for the engine to execute.
 *
 * @example
 * ```ts
 * import type { ResolvedAction } from './machine-runner.js';
 *
 * const dueAt = Date.parse('2026-03-02T09:05:00Z'); // the first-touch SLA's deadline, 5 minutes after capture
 * const action: ResolvedAction = { type: 'xstate.raise', params: { event: { type: 'sla.breached', sla: 'first_touch', at: dueAt }, id: 'sla:first_touch', delay: 300_000 } };
 * ```
 */
export interface ResolvedAction {
  type: string;
  params?: unknown;
}

/** XState's own error for a machine past its `maxIterations`, as Leadline's typed error; others pass. */
function runaway(error: unknown, leadId: string | undefined, eventType: string, state: string): unknown {
  if (error instanceof Error && error.message.startsWith('Infinite loop detected')) {
    return new RunawayTransitionError(leadId, eventType, state, MAX_MICROSTEPS, error);
  }
  return error;
}

/**
 * Pure transitions of one machine through one reusable actor scope.
 *
 * @example
 * ```ts
 * import { captureInputSchema, createLeadMachine, firstTouchSla } from '@leadline/core';
 * import { MachineRunner } from './machine-runner.js';
 *
 * const runner = new MachineRunner(createLeadMachine({ sla: firstTouchSla({ within: '5m' }) }));
 * const lead = captureInputSchema.parse({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'demo_request', contact: { email: 'ada@example.com' } });
 * const [snapshot, actions] = runner.initial({ leadId: 'lead-1', tenantId: 'default', lead }); // raises the SLA's timer, sla:first_touch
 * const [next, more] = runner.transition(snapshot, { type: 'touch.logged', id: 'call-1', at: lead.at + 60_000, channel: 'call', outcome: 'connected' }); // notes, and cancels sla:first_touch
 * ```
 */
export class MachineRunner {
  readonly machine: LeadMachine;
  private readonly scope: AnyActorScope;
  private collected: ResolvedAction[] = [];

  constructor(machine: LeadMachine) {
    this.machine = machine;
    // Like xstate's createInertActorScope, built once: the actor is never started and its initial
    // snapshot (computed without input) is never used.
    const self = createActor(machine as never, {} as never);
    this.scope = {
      self,
      id: '',
      sessionId: '',
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      system: self.system,
      actionExecutor: (action: ResolvedAction) => {
        this.collected.push(action);
      },
    } as unknown as AnyActorScope;
  }

  /** The first snapshot of a new lead, and the actions its entry produced. */
  initial(input: LeadMachineInput): [LeadSnapshot, ResolvedAction[]] {
    this.collected = [];
    try {
      const snapshot = this.machine.getInitialSnapshot(this.scope as never, input);
      return [snapshot, this.collected];
    } catch (error) {
      throw runaway(error, input.leadId, 'xstate.init', 'its initial state');
    }
  }

  /** The next snapshot after `event`, and the actions the transition produced. */
  transition(snapshot: LeadSnapshot, event: MachineEvent): [LeadSnapshot, ResolvedAction[]] {
    this.collected = [];
    try {
      const next = this.machine.transition(snapshot, event, this.scope as never);
      return [next, this.collected];
    } catch (error) {
      throw runaway(error, snapshot.context.leadId, event.type, JSON.stringify(snapshot.value));
    }
  }

  /**
   * The snapshot in XState's persisted form, for the store. Built here rather than by
   * `getPersistedSnapshot`, which copies the snapshot and walks the whole context looking for actor
   * references: the lead machine spawns no actors, so its context is plain data already and is shared
   * as it is (snapshots are immutable). Only the history value needs its state nodes turned into ids,
   * and that value changes rarely, so its serialised form is cached.
   */
  persist(snapshot: LeadSnapshot): unknown {
    const { status, output, error, value, context, historyValue } = snapshot as LeadSnapshot & { historyValue: Record<string, { id: string }[]> };
    return { status, output, error, value, context, children: {}, historyValue: this.serialiseHistory(historyValue) };
  }

  private readonly histories = new WeakMap<object, Record<string, { id: string }[]>>();

  private serialiseHistory(historyValue: Record<string, { id: string }[]> | undefined): Record<string, { id: string }[]> {
    if (!historyValue) return NO_HISTORY;
    let serialised = this.histories.get(historyValue);
    if (serialised) return serialised;
    serialised = NO_HISTORY;
    for (const key in historyValue) {
      if (serialised === NO_HISTORY) serialised = {};
      serialised[key] = (historyValue[key] ?? []).map((node) => ({ id: node.id }));
    }
    this.histories.set(historyValue, serialised);
    return serialised;
  }

  /** A live snapshot from its persisted form. */
  restore(persisted: unknown): LeadSnapshot {
    return this.machine.restoreSnapshot(persisted as never, this.scope as never) as LeadSnapshot;
  }
}
