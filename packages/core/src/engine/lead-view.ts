/**
 * What `engine.get()` returns: a lead's state, owner, open deadlines, next touch and explained history,
 * in plain JSON with ISO instants, ready for a CRM screen or an API response.
 *
 * @module
 */
import { activeSlas, type LeadContext, type SlaRecord } from '../lead/context.js';
import { type LifecycleState, regionsOf } from '../lead/states.js';
import { TIMER_IDS } from '../lifecycle/timer-ids.js';
import type { HistoryEntry, StoredLead, TimerRow } from '../store/lead-store.js';
import { formatInstant } from '../time/instant.js';

/**
 * One pending deadline of a lead.
 *
 * @example
 * ```ts
 * import type { Deadline } from '@leadline/core';
 *
 * const deadline: Deadline = { timerId: 'sla:first_touch', event: 'sla.breached', dueAt: '2026-03-02T09:05Z' };
 * ```
 */
export interface Deadline {
  timerId: string;
  event: string;
  dueAt: string;
}

/**
 * One history entry in words.
 *
 * @example
 * ```ts
 * import type { ExplainedEntry } from '@leadline/core';
 *
 * const entry: ExplainedEntry = {
 *   seq: 3, at: '2026-03-02T09:05Z', event: 'sla.breached', eventId: 'lead-1/sla:first_touch/v1', from: 'assigned', to: 'assigned',
 *   notes: ['first_touch SLA breached at 2026-03-02T09:05Z (first touch within 5m, not met); ann notified'],
 *   text: '2026-03-02T09:05Z sla.breached (assigned): first_touch SLA breached at 2026-03-02T09:05Z (first touch within 5m, not met); ann notified',
 * };
 * ```
 */
export interface ExplainedEntry {
  seq: number;
  at: string;
  event: string;
  eventId: string;
  from: LifecycleState | null;
  to: LifecycleState;
  notes: string[];
  /** The entry as one line: time, event, move, and why. */
  text: string;
}

/**
 * A lead as the engine reports it.
 *
 * @example
 * ```ts
 * import { createEngine, firstTouchSla, type LeadView } from '@leadline/core';
 *
 * const engine = createEngine({ policies: { sla: firstTouchSla({ within: '5m' }) } });
 * const { leadId } = await engine.capture({ id: 'form-1', at: new Date(), source: 'demo_request', contact: { email: 'ada@example.com' } });
 * const view: LeadView = await engine.get(leadId);
 * console.log(view.state, view.owner, view.slas, view.deadlines, view.nextTouch);
 * for (const entry of view.history) console.log(entry.text);
 * ```
 */
export interface LeadView {
  leadId: string;
  tenantId: string;
  version: number;
  state: LifecycleState;
  /** The SLA and cadence regions while the lead is open. */
  regions: { sla: string; cadence: string } | undefined;
  owner: string | undefined;
  /** Every fact the machine keeps about the lead. */
  lead: LeadContext;
  /** The SLAs still running (or paused). */
  slas: SlaRecord[];
  deadlines: Deadline[];
  nextTouch: { channel: string | undefined; dueAt: string } | undefined;
  history: ExplainedEntry[];
}

/** Explains one history entry as a line of text. */
export function explainEntry(entry: HistoryEntry): ExplainedEntry {
  const at = formatInstant(entry.at);
  const move = entry.from === null ? `-> ${entry.to}` : entry.from === entry.to ? `(${entry.to})` : `${entry.from} -> ${entry.to}`;
  const why = entry.notes.length > 0 ? `: ${entry.notes.join('; ')}` : '';
  return {
    seq: entry.seq,
    at,
    event: entry.type,
    eventId: entry.eventId,
    from: entry.from,
    to: entry.to,
    notes: entry.notes,
    text: `${at} ${entry.type} ${move}${why}`,
  };
}

/** Builds the view of a lead from its record, live context, timers and history. */
export function buildLeadView(stored: StoredLead, value: unknown, lead: LeadContext, timers: TimerRow[], history: HistoryEntry[]): LeadView {
  const cadenceTimer = timers.find((timer) => timer.timerId === TIMER_IDS.cadence);
  return {
    leadId: stored.leadId,
    tenantId: stored.tenantId,
    version: stored.version,
    state: stored.state,
    regions: regionsOf(value),
    owner: stored.owner,
    lead,
    slas: activeSlas(lead),
    deadlines: timers.map((timer) => ({ timerId: timer.timerId, event: timer.event.type, dueAt: formatInstant(timer.dueAt) })),
    nextTouch: cadenceTimer && lead.cadence?.nextChannel ? { channel: lead.cadence.nextChannel, dueAt: formatInstant(cadenceTimer.dueAt) } : undefined,
    history: history.map(explainEntry),
  };
}
