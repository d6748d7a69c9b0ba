/**
 * The intake of a lead: a capture is validated, deduped against the person's open lead (merged into it,
 * or a new lead for its owner), matched with the company's account, and committed as a new lead with its
 * SLA started and its owner routed, all in one write. Two fast form fills of one person make one lead:
 * intakes that share an email or phone run one after another.
 *
 * @module
 */
import { companyDomainOf } from '../accounts/account.js';
import type { AccountDirectory } from '../accounts/account-directory.js';
import { AssignmentConflictError, ConcurrencyError, ConfigError, DuplicateEventError, ValidationError, VersionConflictError } from '../errors.js';
import { type CaptureInput, captureInputSchema, contactKeysOf, type ParsedCaptureInput } from '../lead/capture-input.js';
import type { MachineEvent } from '../lead/events.js';
import type { LifecycleState } from '../lead/states.js';
import type { LeadMachineInput } from '../lifecycle/initial-context.js';
import type { StoredLead } from '../store/lead-store.js';
import { formatInstant } from '../time/instant.js';
import { parseInput } from '../validation.js';
import type { EngineState } from './engine-state.js';
import { tooLate } from './event-times.js';
import { idempotencyKey } from './idempotency-key.js';
import type { LeadQueue } from './lead-queue.js';
import type { LeadSnapshot } from './machine-runner.js';
import { runSteps, type Steps } from './steps.js';
import type { TeamViews } from './team-view.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * What `capture()` did.
 *
 * @example
 * ```ts
 * import { type CaptureResult, createEngine } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId, outcome }: CaptureResult = await engine.capture({ id: 'form-1', at: new Date(), source: 'demo_request', contact: { email: 'ada@example.com' } });
 * // outcome: 'created' here; 'merged' for a second form of ada@example.com, 'duplicate' for form-1 again
 * ```
 */
export interface CaptureResult {
  leadId: string;
  /** `created` a new lead; `merged` into an open lead with the same email; `duplicate` intake id seen before. */
  outcome: 'created' | 'merged' | 'duplicate';
  state: LifecycleState;
  version: number;
}

/**
 * What {@link createIntake} works with: the engine's shared state (`maxAttempts` bounds the routing
 * tries when another engine assigns the chosen rep meanwhile) and its intake options.
 */
export interface IntakeDeps extends EngineState {
  accounts: AccountDirectory | undefined;
  teamViews: TeamViews;
  /** A merge is an event on the open lead, so it waits its turn there. */
  leadQueue: LeadQueue;
  /** What a second intake of a person with an open lead does (see `EngineOptions.dedupe`). */
  dedupe: 'merge' | 'route_to_owner';
  /** The region of phone numbers written without a country code. */
  defaultRegion: string | undefined;
  newLeadId: () => string;
  /** How far past the clock's now a capture may be dated. */
  eventTimeTolerance: number;
}

/**
 * The engine's intake.
 *
 * @example
 * ```ts
 * import type { Intake } from './intake.js';
 *
 * declare const intake: Intake; // createIntake({ ...state, accounts, teamViews, leadQueue, ... })
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * const { leadId, outcome } = await intake.capture({ id: 'form-1', at, source: 'demo_request', contact: { email: 'ada@example.com' } });
 * ```
 */
export interface Intake {
  /** Takes in a new lead: dedupes it, starts its SLA, routes it, all in one commit. */
  capture(raw: CaptureInput): Promise<CaptureResult>;
}

/**
 * Makes the engine's intake.
 *
 * @example
 * ```ts
 * import { MemoryAccountDirectory, MINUTE } from '@leadline/core';
 * import type { EngineState } from './engine-state.js';
 * import { createIntake } from './intake.js';
 * import type { LeadQueue } from './lead-queue.js';
 * import type { TeamViews } from './team-view.js';
 *
 * declare const state: EngineState; // what createEngine builds from its options
 * declare const teamViews: TeamViews; // createTeamViews({ ...state, routes, audiences, rerouting })
 * declare const leadQueue: LeadQueue; // createLeadQueue({ batchSize, applyBatch })
 * const accounts = new MemoryAccountDirectory();
 * const newLeadId = () => crypto.randomUUID();
 * const intake = createIntake({ ...state, accounts, teamViews, leadQueue, dedupe: 'merge', defaultRegion: 'DE', newLeadId, eventTimeTolerance: 5 * MINUTE });
 * await intake.capture({ id: 'form-1', at: new Date(), source: 'demo_request', contact: { phone: '030 123456' } });
 * ```
 */
export function createIntake(deps: IntakeDeps): Intake {
  const {
    store,
    tenantId,
    policies,
    runner,
    cache,
    reps,
    clock,
    maxAttempts,
    accounts,
    teamViews,
    leadQueue,
    dedupe,
    defaultRegion,
    newLeadId,
    eventTimeTolerance,
  } = deps;
  /** Intakes in flight per dedupe key, so two fast form fills of one person make one lead. */
  const intakes = new Map<string, Promise<unknown>>();

  async function capture(raw: CaptureInput): Promise<CaptureResult> {
    const input = parseInput(captureInputSchema, raw, 'capture input');
    const late = tooLate(input.at, 'capture input', clock, eventTimeTolerance);
    if (late) throw late;
    const contactKeys = contactKeysOf(input.contact, defaultRegion);
    const keys = contactKeys.length > 0 ? contactKeys : [`intake:${input.id}`];
    // After every intake in flight that shares a key: one person's email and phone may sit in two.
    const previous = keys.flatMap((key) => intakes.get(key) ?? []);
    const run = previous.length === 0 ? intake(input) : Promise.allSettled(previous).then(() => intake(input));
    for (const key of keys) intakes.set(key, run);
    const clear = () => {
      for (const key of keys) if (intakes.get(key) === run) intakes.delete(key);
    };
    run.then(clear, clear);
    return run;
  }

  /** The company's account (by email domain) and the owner the lead should go to, if any. */
  async function whatIntakeFinds(input: ParsedCaptureInput, duplicateOf: StoredLead | undefined): Promise<LeadMachineInput['found']> {
    const domain = companyDomainOf(input.contact.email);
    const account = domain && accounts ? await accounts.findByDomain(tenantId, domain) : undefined;
    const found: NonNullable<LeadMachineInput['found']> = {};
    if (account) {
      found.account = { id: account.id, domain: account.domain, customer: account.customer };
      if (account.name !== undefined) found.account.name = account.name;
      if (account.owner !== undefined) found.account.owner = account.owner;
    }
    if (account?.owner) {
      found.ownerHint = { owner: account.owner, reason: `owner of ${account.customer ? 'customer' : 'account'} ${account.name ?? account.domain}` };
    } else if (duplicateOf?.owner) {
      found.ownerHint = { owner: duplicateOf.owner, reason: `owner of ${duplicateOf.leadId}, an open lead of the same person` };
    }
    return found.account || found.ownerHint ? found : undefined;
  }

  async function intake(input: ParsedCaptureInput): Promise<CaptureResult> {
    const seen = await store.eventLead(tenantId, idempotencyKey({ type: 'lead.captured', id: input.id }));
    if (seen !== undefined) {
      const stored = await store.load(tenantId, seen);
      return { leadId: seen, outcome: 'duplicate', state: stored?.state ?? 'new', version: stored?.version ?? 0 };
    }
    const contactKeys = contactKeysOf(input.contact, defaultRegion);
    const existing = contactKeys.length === 0 ? undefined : await store.findByContactKeys(tenantId, contactKeys);
    if (existing && dedupe === 'merge') {
      const merged: MachineEvent = { type: 'lead.merged', id: input.id, at: input.at, source: input.source, campaign: input.campaign, asset: input.asset };
      const result = await leadQueue.enqueue(existing.leadId, merged);
      return { leadId: existing.leadId, outcome: result.applied ? 'merged' : 'duplicate', state: result.state, version: result.version };
    }
    const leadId = input.leadId ?? newLeadId();
    if (leadQueue.has(leadId) || (await store.load(tenantId, leadId))) {
      throw new ValidationError('capture input', [{ path: ['leadId'], message: `lead "${leadId}" already exists`, code: 'duplicate_lead_id' }]);
    }
    const found = await whatIntakeFinds(input, existing);
    for (let attempt = 1; ; attempt++) {
      const created = await runSteps(createLead(input, leadId, found, contactKeys));
      if (created !== undefined) return created;
      // Another engine assigned the chosen rep meanwhile: route again on fresh loads.
      if (attempt >= maxAttempts) throw new ConcurrencyError(leadId, maxAttempts);
    }
  }

  /**
   * One try at committing a new lead; `undefined` when routing's choice was taken meanwhile. Steps, so
   * that reading the loads and reserving routing's choice happen with no turn of the event loop between
   * them, for another intake to route on the same loads.
   */
  function* createLead(input: ParsedCaptureInput, leadId: string, found: LeadMachineInput['found'], contactKeys: string[]): Steps<CaptureResult | undefined> {
    const team = yield* teamViews.read();
    if (reps && team.reps.length === 0) {
      throw new ConfigError('engine options', [
        { path: ['reps'], message: `the rep directory holds no rep for tenant "${tenantId}": no lead could ever be routed or escalated`, code: 'no_reps' },
      ]);
    }
    const work = UnitOfWork.forCapture(runner, policies, tenantId, leadId, input, found, team, intakeNote(input), contactKeys);
    const unit = work.commitUnit();
    try {
      yield* teamViews.commit(unit);
    } catch (error) {
      if (error instanceof AssignmentConflictError) return undefined;
      if (error instanceof VersionConflictError) {
        throw new ValidationError('capture input', [{ path: ['leadId'], message: `lead "${leadId}" was created concurrently`, code: 'duplicate_lead_id' }]);
      }
      if (error instanceof DuplicateEventError) {
        const other = (yield store.load(tenantId, error.leadId)) as StoredLead | undefined;
        return { leadId: error.leadId, outcome: 'duplicate', state: other?.state ?? 'new', version: other?.version ?? 0 };
      }
      throw error;
    }
    cache.set(leadId, unit.lead.version, work.snapshot);
    return { leadId, outcome: 'created', state: unit.lead.state, version: unit.lead.version };
  }

  return { capture };
}

/** The words of a new lead's first history entry: where it came from, and when its SLAs fall due. */
function intakeNote(input: ParsedCaptureInput): (snapshot: LeadSnapshot) => string {
  return (snapshot) => {
    const slas = snapshot.context.slas.map((sla) => `; ${sla.label}: due ${formatInstant(sla.dueAt)}`).join('');
    return `captured from ${input.source}${input.campaign ? ` (campaign ${input.campaign})` : ''}${slas}`;
  };
}
