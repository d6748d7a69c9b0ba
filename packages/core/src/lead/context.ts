/**
 * What the lifecycle machine remembers about a lead: the facts from intake, the owner, the touches,
 * and a record of every SLA and of the cadence. The history (in the store) says how it got here.
 *
 * @module
 */
import type { TouchChannel } from './events.js';

/** How an SLA ended. */
export type SlaOutcome = 'met' | 'breached' | 'met_late' | 'cancelled';

/**
 * What an SLA's escalation step can do, in one list: the config schema and the type both come from it.
 *
 * @example
 * ```ts
 * import { ESCALATION_ACTIONS } from '@leadline/core';
 *
 * ESCALATION_ACTIONS.includes('reassign'); // true
 * ```
 */
export const ESCALATION_ACTIONS = ['notify_owner', 'notify_manager', 'reassign', 'mark_unavailable'] as const;

/** What an SLA's escalation step does. */
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];

/**
 * Each escalation action in words, for the labels of SLA records and the history.
 *
 * @example
 * ```ts
 * import { ESCALATION_WORDS } from './context.js';
 *
 * ESCALATION_WORDS.reassign; // 'reassigned'
 * ```
 */
export const ESCALATION_WORDS: Record<EscalationAction, string> = {
  notify_owner: 'owner notified',
  notify_manager: 'manager notified',
  reassign: 'reassigned',
  mark_unavailable: 'owner marked unavailable',
};

/** When an SLA starts: at intake (and at re-engagement), at qualification, at assignment, at a reply. */
export type SlaTrigger = 'captured' | 'qualified' | 'assigned' | 'replied';

/**
 * One step of an SLA's escalation chain, at its own instant.
 *
 * @example
 * ```ts
 * import { HOUR, type SlaEscalation } from '@leadline/core';
 *
 * const start = Date.parse('2026-03-02T09:00:00Z'); // when the SLA started
 * const step: SlaEscalation = { at: start + 24 * HOUR, action: 'notify_manager', label: 'manager notified at 24h' };
 * ```
 */
export interface SlaEscalation {
  at: number;
  action: EscalationAction;
  label: string;
  /** For `reassign`: how many of the lead's latest owners (besides the current one) not to pick again. */
  avoidLast?: number;
  /** Set once the step has run. */
  doneAt?: number;
}

/**
 * One SLA on a lead, from start to end, with the durations reports need. Times are epoch ms.
 *
 * @example
 * ```ts
 * import type { SlaRecord } from '@leadline/core';
 *
 * const t = Date.parse('2026-03-02T09:00:00Z'); // when the lead was captured
 * const sla: SlaRecord = {
 *   name: 'first_touch', label: 'first touch within 5m', clock: 'calendar', startedBy: 'captured', startedAt: t,
 *   targetMs: 300_000, dueAt: t + 300_000, escalations: [], endsOn: ['touch.logged'], pausedMs: 0,
 * };
 * ```
 */
export interface SlaRecord {
  /** Stable name, e.g. `first_touch`. */
  name: string;
  /** What the SLA promises, in words, e.g. `first touch within 5m (business hours, emea)`. */
  label: string;
  /** How it counts time: `calendar`, or the name of a business calendar. */
  clock: string;
  startedBy: SlaTrigger;
  startedAt: number;
  /** The target, as a duration in the SLA's clock. */
  targetMs: number;
  /** The deadline in force; moves later when the SLA resumes after a pause. */
  dueAt: number;
  /** When to warn before the deadline, if at all. */
  warnAt?: number;
  warnedAt?: number;
  escalations: SlaEscalation[];
  /** The event types that meet the SLA. */
  endsOn: string[];
  /** Calendar time spent paused (snoozed), not counted against the target. */
  pausedMs: number;
  /** Set while paused. */
  pausedAt?: number;
  outcome?: SlaOutcome;
  breachedAt?: number;
  /** A breach recorded by the timer, withdrawn because an event logged late proved the SLA met in time. */
  withdrawnBreachAt?: number;
  /** When the SLA ended (met, met late, breached at close, or cancelled). */
  endedAt?: number;
  /** Calendar time from start to end, pauses excluded. */
  elapsedMs?: number;
}

/**
 * The cadence a lead is on: which step comes next and when.
 *
 * @example
 * ```ts
 * import type { CadenceRecord } from '@leadline/core';
 *
 * const t = Date.parse('2026-03-02T09:00:00Z'); // when the cadence started
 * const cadence: CadenceRecord = { name: 'fixed', startedAt: t, shiftMs: 0, nextStep: 0, stepsDue: 0, status: 'active' };
 * ```
 */
export interface CadenceRecord {
  name: string;
  startedAt: number;
  /** How far later steps moved: pauses, send windows, minimum gaps. */
  shiftMs: number;
  /** Index of the next step (the step count when the next thing is the end, or an extra step). */
  nextStep: number;
  nextDueAt?: number;
  nextChannel?: TouchChannel;
  /** The next step in words, e.g. `step 2 of 7: email at +1h`. */
  nextLabel?: string;
  /** True when what comes next is the cadence's end rather than a step. */
  nextIsEnd?: boolean;
  /** Set while paused (snoozed or out of office): how long until the next step was due, and since when. */
  remainingMs?: number;
  pausedAt?: number;
  /** Out of office until then. */
  pausedUntil?: number;
  /** How many steps have come due so far. */
  stepsDue: number;
  /** When the latest step came due (its reminder went out). */
  lastDueAt?: number;
  /** Steps in a row that came due with no touch logged before the next one. */
  missed?: number;
  status: 'active' | 'paused' | 'stopped' | 'exhausted';
  stopReason?: string;
}

/**
 * The lead machine's context.
 *
 * @example
 * ```ts
 * import { createEngine, type LeadContext } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { email: 'ada@example.com' } });
 * const lead: LeadContext = (await engine.get(leadId)).lead;
 * console.log(lead.owner, lead.touches);
 * ```
 */
export interface LeadContext {
  leadId: string;
  tenantId: string;
  capturedAt: number;
  source: string;
  campaign?: string;
  asset?: string;
  form?: string;
  priority: 'low' | 'normal' | 'high';
  segment?: string;
  territory?: string;
  score?: number;
  contact: { name?: string; email?: string; phone?: string; company?: string; timeZone?: string };
  doNotCall: boolean;
  doNotEmail: boolean;
  attributes?: Record<string, string | number | boolean>;
  /** The existing account of the lead's company, found at intake by email domain. */
  account?: { id: string; name?: string; domain: string; owner?: string; customer: boolean };
  /**
   * An owner the lead should go to, found at intake: the account's owner, or the owner of an earlier
   * lead of the same person. Routing policies may honour it.
   */
  ownerHint?: { owner: string; reason: string };
  owner?: string;
  /**
   * Set while no rep can take the lead: since when, how many routing tries so far, and when the next
   * one comes. Cleared when the lead gets an owner.
   */
  unrouted?: { since: number; attempts: number; retryAt: number };
  /** Owners before the current one, oldest first. */
  previousOwners: string[];
  qualified: boolean;
  touches: number;
  firstTouchAt?: number;
  lastTouchAt?: number;
  /** When the prospect first replied. */
  repliedAt?: number;
  /** When the booked meeting takes place (or was booked, when no time was given). */
  meetingAt?: number;
  /** Every SLA the lead has had, oldest first; those without an outcome are still running. */
  slas: SlaRecord[];
  cadence?: CadenceRecord;
  /** How many times the lead enrolled in a cadence. */
  cadenceRuns: number;
  /** Out of office until then (an auto-reply): SLAs and the cadence wait for the prospect. */
  awayUntil?: number;
  snoozedAt?: number;
  snoozedUntil?: number;
  /**
   * Hand-backs so far (`count`), re-engagements (`reengaged`), the latest reason and when, the next
   * re-check, and the current cycle: hand-backs in a row with the same reason, since `cycleStartedAt`
   * (re-check dates count from there).
   */
  recycle: {
    count: number;
    reengaged: number;
    reason?: string;
    recycledAt?: number;
    recheckAt?: number;
    cycleStartedAt?: number;
    cycleCount?: number;
  };
  /** Activities so far; the latest few (newest first) go into notifications as context for the rep. */
  engagement: { count: number; lastActivity?: string; lastAt?: number; recent?: { activity: string; at: number }[] };
  /** Duplicate intakes merged into this lead. */
  merges: number;
  disqualifiedReason?: string;
  convertedAt?: number;
}

/**
 * The SLAs still running (or paused), oldest first.
 *
 * @example
 * ```ts
 * import { activeSlas, createEngine, firstTouchSla } from '@leadline/core';
 *
 * const engine = createEngine({ policies: { sla: firstTouchSla({ within: '5m' }) } });
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { email: 'ada@example.com' } });
 * const view = await engine.get(leadId);
 * activeSlas(view.lead).map((sla) => sla.name); // ['first_touch']
 * ```
 */
export function activeSlas(lead: LeadContext): SlaRecord[] {
  return lead.slas.filter((sla) => sla.outcome === undefined);
}
