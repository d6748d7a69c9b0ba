/**
 * The team as a unit of work sees it: each rep's open leads, the reps, and the routes, audiences and
 * re-routing that say who hears of a lead. Built here alone, so that a capture and an event on a lead
 * see the same team. Routing reads loads from the store, which may not show this engine's latest
 * assignments yet; so a commit that routed a lead goes through here too, and the loads always include
 * what the store cannot show (see `in-flight-assignments.ts`).
 *
 * @module
 */
import type { NotificationAudiences, NotificationRoutes } from '../notify/routes.js';
import type { CommitUnit, OwnerLoad } from '../store/lead-store.js';
import type { Rep } from '../team/rep.js';
import type { EngineState } from './engine-state.js';
import { InFlightAssignments } from './in-flight-assignments.js';
import type { Steps } from './steps.js';

/**
 * What the engine knows of the team while it applies events: open leads per owner (for routing) and the
 * reps from the directory (for routing, managers and availability).
 *
 * @example
 * ```ts
 * import type { TeamView } from './team-view.js';
 *
 * const team: TeamView = { loads: new Map([['ann', { open: 3, assigned: 10 }]]), reps: [] };
 * ```
 */
export interface TeamView {
  loads: ReadonlyMap<string, OwnerLoad> | undefined;
  reps: readonly Rep[];
  /** Which channels each kind of notification goes to. */
  routes?: NotificationRoutes;
  /** Named audiences for routes and decisions that name a team, and `unowned` for leads with no owner. */
  audiences?: NotificationAudiences;
  /** What to do with a lead no rep can take; by default routing again every 15 minutes, the managers told. */
  rerouting?: Rerouting;
  /** The engine clock's now when the unit began, for deadlines that must not lie in the past. */
  now?: number;
}

/**
 * How the engine handles a lead that no rep can take: when to route it again, and who hears of it.
 *
 * @example
 * ```ts
 * import { MINUTE } from '@leadline/core';
 * import type { Rerouting } from './team-view.js';
 *
 * const rerouting: Rerouting = { retryAt: (at) => at + 15 * MINUTE, audience: 'team:sales_queue' };
 * ```
 */
export interface Rerouting {
  /** The instant of the next routing try after a failed one at `at`. */
  retryAt(at: number): number;
  /** A named audience to notify instead of the managers of the team. */
  audience?: `team:${string}` | undefined;
}

/**
 * What {@link createTeamViews} reads the team from (loads only when `policies` route: nothing else needs
 * them), and what it hands on with it.
 */
export interface TeamViewDeps extends Pick<EngineState, 'store' | 'tenantId' | 'policies' | 'reps' | 'clock'> {
  routes: NotificationRoutes;
  audiences: NotificationAudiences;
  rerouting: Rerouting;
}

/**
 * The engine's one source of {@link TeamView}s, and the commits that keep its routing decisions in the
 * loads until the store shows them.
 *
 * @example
 * ```ts
 * import type { LeadPolicies, MachineEvent, StoredLead } from '@leadline/core';
 * import type { LeadSnapshot, MachineRunner } from './machine-runner.js';
 * import type { Steps } from './steps.js';
 * import type { TeamViews } from './team-view.js';
 * import { UnitOfWork } from './unit-of-work.js';
 *
 * declare const teamViews: TeamViews; // createTeamViews({ ...state, routes, audiences, rerouting })
 * declare const runner: MachineRunner; // new MachineRunner(createLeadMachine(policies))
 * declare const policies: LeadPolicies;
 * declare const stored: StoredLead; // store.load(tenantId, leadId)
 * declare const snapshot: LeadSnapshot; // runner.restore(stored.snapshot)
 *
 * function* applyOne(event: MachineEvent): Steps<void> {
 *   const team = yield* teamViews.read();
 *   const work = UnitOfWork.forLead(runner, policies, stored, snapshot, team);
 *   if (work.apply(event)) yield* teamViews.commit(work.commitUnit());
 * }
 * ```
 */
export interface TeamViews {
  /** The team now: the store's loads plus this engine's assignments it may not show yet, and the reps. */
  read(): Steps<TeamView>;
  /**
   * Commits `unit` to the store, holding the rep its routing chose in the loads of every read meanwhile
   * (and after, until the store shows the commit to every later read); a refused commit lets go of it.
   */
  commit(unit: CommitUnit): Steps<void>;
}

const NO_REPS: readonly Rep[] = [];

/**
 * Makes the engine's {@link TeamViews}.
 *
 * @example
 * ```ts
 * import { MINUTE } from '@leadline/core';
 * import type { EngineState } from './engine-state.js';
 * import { runSteps } from './steps.js';
 * import { createTeamViews } from './team-view.js';
 *
 * declare const state: EngineState; // what createEngine builds from its options
 * const teamViews = createTeamViews({ ...state, routes: {}, audiences: {}, rerouting: { retryAt: (at) => at + 15 * MINUTE } });
 * const team = await runSteps(teamViews.read());
 * ```
 */
export function createTeamViews(deps: TeamViewDeps): TeamViews {
  const { store, tenantId, policies, reps, routes, audiences, rerouting, clock } = deps;
  /** Routing decisions whose commits later load reads may not see yet. */
  const inFlight = new InFlightAssignments();

  function* read(): Steps<TeamView> {
    const token = inFlight.startRead();
    try {
      const storedLoads = policies.routing ? ((yield store.ownerLoads(tenantId)) as Map<string, OwnerLoad>) : undefined;
      const team = reps ? ((yield reps.reps(tenantId)) as readonly Rep[]) : NO_REPS;
      // Without routing there are no loads to add to.
      const loads = storedLoads === undefined ? undefined : inFlight.loads(storedLoads, token);
      return { loads, reps: team, routes, audiences, rerouting, now: clock.now() };
    } finally {
      // A read that gave no loads (no routing, or the store failed) must not hold committed entries back.
      inFlight.endRead(token);
    }
  }

  function* commit(unit: CommitUnit): Steps<void> {
    const reservation = unit.routedTo ? inFlight.reserve(unit.routedTo.owner) : undefined;
    try {
      yield store.commit(unit);
    } catch (error) {
      reservation?.released();
      throw error;
    }
    reservation?.committed();
  }

  return { read, commit };
}
