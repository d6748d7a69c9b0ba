/**
 * The invariants of the rules model, checked after every step (every capture, dispatch and round of
 * due timers) from what the engine exposes: `engine.get` (state, owner, regions, the SLA records of the
 * lead's context), the store's `timersOf` and `historyOf`, and the timer ledger taken at the store port.
 */
import { type HistoryEntry, type LeadView, type SlaRecord, TERMINAL_STATES, type TimerRow } from '@leadline/core';
import type { TimerLedger } from './timer-ledger.js';
import { stamp } from './words.js';

export const INVARIANTS = {
  terminates: 'each event terminates within the microstep bound',
  refusalWritesNothing: 'an event the engine refuses writes nothing',
  slaEndsOnce: 'every SLA that starts ends exactly once (met, met late or breached), breaching at its deadline',
  slaWarnsOnce: 'every SLA warns at most once, at its warning time, before its deadline',
  escalationOnce: 'every escalation step runs exactly once at its offset unless its SLA ended first',
  escalationExplained: 'every escalation step that runs leaves a note in the history',
  slaRegion: 'the sla region shows where the worst open SLA stands',
  ownerOrRerouting: 'an open lead always has an owner or a re-routing deadline with a note saying why',
  historyAfterCapture: 'no history entry is dated before capture',
  terminalNoTimers: 'terminal leads hold no timers',
  timersFire: 'every timer that comes due fires once, at its due time, with its own event',
  callerIdNoSuppression: 'a caller id never suppresses a timer',
} as const;

export type InvariantName = keyof typeof INVARIANTS;

export interface Violation {
  invariant: InvariantName;
  leadId: string | undefined;
  at: number;
  message: string;
}

/** What the harness sees of one lead after a step. */
export interface LeadObservation {
  leadId: string;
  view: LeadView;
  timers: TimerRow[];
  history: HistoryEntry[];
}

const AWAITING_OWNER = new Set(['new', 'qualified']);
const REROUTING_TIMER = /rout/i;
const UNROUTED_NOTE = /no rep|unrout|not routed|could not (be )?rout|cannot (be )?rout|no one to route|nobody to (route|assign)/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function countNotes(history: readonly HistoryEntry[], pattern: RegExp): number {
  let count = 0;
  for (const entry of history) for (const note of entry.notes) if (pattern.test(note)) count++;
  return count;
}

function worstStanding(slas: readonly SlaRecord[]): 'clear' | 'at_risk' | 'breached' {
  let standing: 'clear' | 'at_risk' | 'breached' = 'clear';
  for (const sla of slas) {
    if (sla.outcome !== undefined) continue;
    if (sla.breachedAt !== undefined) return 'breached';
    if (sla.warnedAt !== undefined) standing = 'at_risk';
  }
  return standing;
}

function slaWords(sla: SlaRecord, index: number): string {
  return `SLA ${sla.name} #${index + 1} (started ${stamp(sla.startedAt)}, due ${stamp(sla.dueAt)})`;
}

/** Checks observations one after another, remembering what it saw before (records may only move forward). */
export class InvariantChecker {
  readonly violations: Violation[] = [];
  private readonly previousSlas = new Map<string, SlaRecord[]>();
  private readonly seen = new Set<string>();

  /** Records a violation once per invariant, lead and message (a broken state is seen at every later step). */
  report(invariant: InvariantName, leadId: string | undefined, at: number, message: string): void {
    const key = `${invariant}\u0000${leadId}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push({ invariant, leadId, at, message });
  }

  /** Checks every lead and the timer ledger at `now`; `settled` when every timer due by now has fired. */
  check(now: number, leads: readonly LeadObservation[], ledger: TimerLedger, settled: boolean): void {
    for (const lead of leads) this.checkLead(now, lead);
    this.checkLedger(now, leads, ledger, settled);
  }

  private checkLead(now: number, { leadId, view, timers, history }: LeadObservation): void {
    const context = view.lead;
    const capturedAt = context.capturedAt;
    for (const entry of history) {
      if (entry.at < capturedAt) {
        this.report(
          'historyAfterCapture',
          leadId,
          now,
          `entry #${entry.seq} ${entry.type} (${entry.eventId}) is dated ${stamp(entry.at)}, before the capture at ${stamp(capturedAt)}`,
        );
      }
    }
    if (TERMINAL_STATES.includes(view.state) && timers.length > 0) {
      this.report(
        'terminalNoTimers',
        leadId,
        now,
        `${view.state} lead holds ${timers.map((timer) => `${timer.timerId} (${timer.event.type} due ${stamp(timer.dueAt)})`).join(', ')}`,
      );
    }
    if (AWAITING_OWNER.has(view.state) && view.owner === undefined) {
      const rerouting = timers.find((timer) => REROUTING_TIMER.test(timer.timerId) || REROUTING_TIMER.test(timer.event.type));
      const why = history.some((entry) => entry.notes.some((note) => UNROUTED_NOTE.test(note)));
      if (!rerouting || !why) {
        const pending = timers.length === 0 ? 'no timers' : `timers ${timers.map((timer) => timer.timerId).join(', ')}`;
        this.report(
          'ownerOrRerouting',
          leadId,
          now,
          `${view.state} lead has no owner, ${rerouting ? 'a re-routing deadline' : `no re-routing deadline (${pending})`} and ${why ? 'a note saying why' : 'no note saying why it was not routed'}`,
        );
      }
    }
    if (view.regions !== undefined) {
      const worst = worstStanding(context.slas);
      if (view.regions.sla !== worst) this.report('slaRegion', leadId, now, `the sla region is ${view.regions.sla}, but the worst open SLA is ${worst}`);
    }
    this.checkSlas(now, leadId, view, history);
  }

  private checkSlas(now: number, leadId: string, view: LeadView, history: readonly HistoryEntry[]): void {
    const slas = view.lead.slas;
    const previous = this.previousSlas.get(leadId) ?? [];
    this.previousSlas.set(leadId, slas);
    if (slas.length < previous.length) this.report('slaEndsOnce', leadId, now, `the lead had ${previous.length} SLA records and now has ${slas.length}`);
    const closed = TERMINAL_STATES.includes(view.state) || view.state === 'recycled';
    slas.forEach((sla, index) => {
      const words = slaWords(sla, index);
      const before = previous[index];
      if (before) {
        if (before.name !== sla.name || before.startedAt !== sla.startedAt)
          this.report('slaEndsOnce', leadId, now, `${slaWords(before, index)} was replaced by ${words}`);
        else {
          if (before.outcome !== undefined && (sla.outcome !== before.outcome || sla.endedAt !== before.endedAt))
            this.report(
              'slaEndsOnce',
              leadId,
              now,
              `${words} ended twice: ${before.outcome} at ${stamp(before.endedAt)}, then ${sla.outcome} at ${stamp(sla.endedAt)}`,
            );
          if (before.breachedAt !== undefined && sla.breachedAt !== before.breachedAt)
            this.report('slaEndsOnce', leadId, now, `${words} breached at ${stamp(before.breachedAt)}, then at ${stamp(sla.breachedAt)}`);
          if (before.warnedAt !== undefined && sla.warnedAt !== before.warnedAt)
            this.report('slaWarnsOnce', leadId, now, `${words} warned at ${stamp(before.warnedAt)}, then at ${stamp(sla.warnedAt)}`);
          before.escalations.forEach((step, stepIndex) => {
            const after = sla.escalations[stepIndex];
            if (step.doneAt !== undefined && after?.doneAt !== step.doneAt)
              this.report(
                'escalationOnce',
                leadId,
                now,
                `${words} step ${stepIndex + 1} (${step.label}) ran at ${stamp(step.doneAt)}, then at ${stamp(after?.doneAt)}`,
              );
          });
        }
      }
      const running = sla.outcome === undefined;
      const paused = sla.pausedAt !== undefined;
      // Ends once, breaching at its deadline.
      if (running && closed) this.report('slaEndsOnce', leadId, now, `${words} is still running on a ${view.state} lead`);
      // How it ended is checked when it ends (an ended record never changes, see above). Met while paused
      // (the prospect away), its deadline is the one from before the pause, which had not moved on yet.
      const endsNow = sla.outcome !== undefined && before?.outcome === undefined;
      const metWhilePaused = before?.pausedAt !== undefined;
      if (endsNow && sla.outcome === 'met' && (sla.breachedAt !== undefined || (!metWhilePaused && (sla.endedAt ?? 0) >= sla.dueAt)))
        this.report('slaEndsOnce', leadId, now, `${words} ended met at ${stamp(sla.endedAt)}, not before its deadline`);
      if ((sla.outcome === 'met_late' || sla.outcome === 'breached') && sla.breachedAt === undefined)
        this.report('slaEndsOnce', leadId, now, `${words} ended ${sla.outcome} without having breached`);
      if (sla.outcome === 'cancelled' && sla.breachedAt !== undefined) this.report('slaEndsOnce', leadId, now, `${words} breached, then ended cancelled`);
      if (sla.breachedAt !== undefined && sla.breachedAt !== sla.dueAt)
        this.report('slaEndsOnce', leadId, now, `${words} breached at ${stamp(sla.breachedAt)}, not at its deadline`);
      if (running && !paused && sla.breachedAt === undefined && sla.dueAt <= now)
        this.report('slaEndsOnce', leadId, now, `${words} passed its deadline and has not breached`);
      // Warns at most once, at its time, before the deadline.
      if (sla.warnedAt !== undefined) {
        if (sla.warnAt === undefined || sla.warnedAt !== sla.warnAt)
          this.report('slaWarnsOnce', leadId, now, `${words} warned at ${stamp(sla.warnedAt)}, its warning time is ${stamp(sla.warnAt)}`);
        if (sla.warnedAt >= sla.dueAt) this.report('slaWarnsOnce', leadId, now, `${words} warned at ${stamp(sla.warnedAt)}, not before its deadline`);
        if (sla.breachedAt !== undefined && sla.warnedAt > sla.breachedAt)
          this.report('slaWarnsOnce', leadId, now, `${words} warned at ${stamp(sla.warnedAt)}, after its breach at ${stamp(sla.breachedAt)}`);
      } else if (running && !paused && sla.breachedAt === undefined && sla.warnAt !== undefined && sla.warnAt < sla.dueAt && sla.warnAt <= now) {
        this.report('slaWarnsOnce', leadId, now, `${words} should have warned at ${stamp(sla.warnAt)}`);
      }
      // Escalation steps: once each, at their offsets, unless the SLA ended first.
      sla.escalations.forEach((step, stepIndex) => {
        const what = `${words} step ${stepIndex + 1} (${step.label}, at ${stamp(step.at)})`;
        if (step.doneAt !== undefined) {
          if (sla.breachedAt === undefined) this.report('escalationOnce', leadId, now, `${what} ran at ${stamp(step.doneAt)} though the SLA never breached`);
          else if (step.doneAt !== Math.max(step.at, sla.breachedAt))
            this.report('escalationOnce', leadId, now, `${what} ran at ${stamp(step.doneAt)}, not at its offset`);
          return;
        }
        if (running && !paused && sla.breachedAt !== undefined && step.at <= now) this.report('escalationOnce', leadId, now, `${what} has not run`);
        // A step whose offset comes before the deadline (a longer target for this lead) is due at the breach.
        if (!running && sla.breachedAt !== undefined && sla.pausedMs === 0 && Math.max(step.at, sla.breachedAt) < (sla.endedAt ?? 0))
          this.report('escalationOnce', leadId, now, `${what} never ran, and the SLA ended later, at ${stamp(sla.endedAt)}`);
      });
    });
    // The history tells each phase once: as many notes as records that went through it.
    const names = new Set(slas.map((sla) => sla.name));
    for (const name of names) {
      const mine = slas.filter((sla) => sla.name === name);
      const prefix = `^${escapeRegExp(name)} SLA `;
      const compare = (invariant: InvariantName, phase: string, pattern: RegExp, expected: number) => {
        const notes = countNotes(history, pattern);
        if (notes !== expected)
          this.report(invariant, leadId, now, `${name}: ${notes} "${phase}" notes in the history for ${expected} SLA records that went through it`);
      };
      compare('slaEndsOnce', 'breached', new RegExp(`${prefix}breached at`), mine.filter((sla) => sla.breachedAt !== undefined).length);
      compare('slaEndsOnce', 'met', new RegExp(`${prefix}met (in|late)`), mine.filter((sla) => sla.outcome === 'met' || sla.outcome === 'met_late').length);
      compare('slaWarnsOnce', 'at risk', new RegExp(`${prefix}at risk`), mine.filter((sla) => sla.warnedAt !== undefined).length);
      const labels = new Map<string, { done: number; action: string }>();
      for (const sla of mine)
        for (const step of sla.escalations) {
          const entry = labels.get(step.label) ?? { done: 0, action: step.action };
          if (step.doneAt !== undefined) entry.done++;
          labels.set(step.label, entry);
        }
      for (const [label, { done, action }] of labels) {
        const notes = countNotes(history, new RegExp(`${prefix}escalation: ${escapeRegExp(label)}(;|$)`));
        if (notes > done) this.report('escalationOnce', leadId, now, `${name}: ${notes} notes for "${label}", which ran ${done} times`);
        else if (notes < done)
          this.report(
            action === 'mark_unavailable' ? 'escalationExplained' : 'escalationOnce',
            leadId,
            now,
            `${name}: "${label}" ran ${done} times (doneAt set) but the history has ${notes} notes for it`,
          );
      }
    }
  }

  private checkLedger(now: number, leads: readonly LeadObservation[], ledger: TimerLedger, settled: boolean): void {
    const historyOf = new Map(leads.map((lead) => [lead.leadId, lead.history]));
    for (const fate of ledger.takeEnded()) {
      const { row, end } = fate;
      if (!end) continue;
      const what = `timer ${row.timerId} (${row.event.type}, due ${stamp(row.dueAt)}, id ${row.eventId})`;
      switch (end.kind) {
        case 'fired': {
          const entry = end.history.find((candidate) => candidate.eventId === row.eventId && candidate.type === row.event.type);
          if (!entry) this.report('timersFire', row.leadId, now, `${what} was deleted by a commit at ${stamp(end.at)} that does not apply its event`);
          else if (entry.at !== row.dueAt) this.report('timersFire', row.leadId, now, `${what} fired dated ${stamp(entry.at)}`);
          break;
        }
        case 'cancelled':
        case 'replaced':
          if (end.at > row.dueAt) this.report('timersFire', row.leadId, now, `${what} was ${end.kind} at ${stamp(end.at)} without having fired`);
          break;
        case 'released': {
          this.report('timersFire', row.leadId, now, `${what} was claimed and dropped at ${stamp(end.at)} without being applied`);
          const taken = (historyOf.get(row.leadId) ?? []).find((entry) => entry.eventId === row.eventId && entry.type !== row.event.type);
          if (taken)
            this.report(
              'callerIdNoSuppression',
              row.leadId,
              now,
              `${what} was dropped at ${stamp(end.at)}: the caller's ${taken.type} at ${stamp(taken.at)} (entry #${taken.seq}) carried the same id`,
            );
          break;
        }
      }
    }
    for (const { claimed, at, history, current } of ledger.takeStale()) {
      const entry = history.find((candidate) => candidate.eventId === claimed.eventId);
      this.report(
        'timersFire',
        claimed.leadId,
        now,
        `timer ${claimed.timerId} (${claimed.event.type}${'step' in claimed.event ? ` for step index ${String(claimed.event.step)}` : ''}, due ${stamp(claimed.dueAt)}, id ${claimed.eventId}) was replaced while claimed, ` +
          `yet its stale event was applied at ${stamp(at)} (entry #${entry?.seq}: ${entry?.notes.join('; ')})` +
          (current ? `; the current timer ${current.eventId} (due ${stamp(current.dueAt)}) was replaced by that commit without firing` : ''),
      );
    }
    if (!settled) return;
    for (const fate of ledger.pending.values()) {
      if (fate.row.dueAt <= now)
        this.report(
          'timersFire',
          fate.row.leadId,
          now,
          `timer ${fate.row.timerId} (${fate.row.event.type}) was due at ${stamp(fate.row.dueAt)} and is still pending`,
        );
    }
  }
}
