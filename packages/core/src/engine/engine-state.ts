/**
 * What the parts of one engine share. `createEngine` builds it once from the options; each part (intake,
 * batch apply, the scheduler, the team views) takes the pieces it uses, named in its own deps type, so a
 * reader sees from the type alone what a part can touch.
 *
 * @module
 */
import type { Clock } from '../clock.js';
import type { LeadPolicies } from '../policies/types.js';
import type { LeadStore } from '../store/lead-store.js';
import type { RepDirectory } from '../team/rep-directory.js';
import type { MachineRunner } from './machine-runner.js';
import type { SnapshotCache } from './snapshot-cache.js';

/**
 * The engine's shared state.
 *
 * @example
 * ```ts
 * import { createLeadMachine, firstTouchSla, MemoryStore, systemClock } from '@leadline/core';
 * import { createBatchApply } from './batch-apply.js';
 * import type { EngineState } from './engine-state.js';
 * import { MachineRunner } from './machine-runner.js';
 * import { SnapshotCache } from './snapshot-cache.js';
 * import type { TeamViews } from './team-view.js';
 *
 * const policies = { sla: firstTouchSla({ within: '5m' }) };
 * const runner = new MachineRunner(createLeadMachine(policies));
 * const state: EngineState = { store: new MemoryStore(), tenantId: 'acme', policies, reps: undefined, clock: systemClock(), runner, cache: new SnapshotCache(10_000), maxAttempts: 8 };
 * declare const teamViews: TeamViews; // createTeamViews({ ...state, routes, audiences, rerouting })
 * const applyBatch = createBatchApply({ ...state, teamViews });
 * ```
 */
export interface EngineState {
  /** Where leads live. */
  readonly store: LeadStore;
  /** Every read and write is scoped to it. */
  readonly tenantId: string;
  readonly policies: LeadPolicies;
  /** The team, for routing, managers and escalations; none when the engine has no rep directory. */
  readonly reps: RepDirectory | undefined;
  /** The source of "now" for event times, deadlines and the worker. */
  readonly clock: Clock;
  /** The lifecycle machine's pure transitions. */
  readonly runner: MachineRunner;
  /** Live snapshots by lead, used only at the version the store holds. */
  readonly cache: SnapshotCache;
  /** Attempts at a commit when other writers move the lead's version on, or take routing's choice. */
  readonly maxAttempts: number;
}
