/**
 * An independent oracle for SLA outcomes: from the SLA definitions, the calendars (through the
 * independent {@link oracleClock}) and the times of the events a lead received, it computes each SLA's
 * start, deadline, warning, escalation instants and outcome, written from the documented rules
 * (docs/policies.md, docs/lifecycle.md) rather than from the engine's code:
 *
 * - an SLA starts on its trigger (`captured`, `assigned`, `replied`) unless one of that name runs; its
 *   target is the first matching rule's (here: by source), else `within`; it is counted in its clock;
 * - it warns at a share of the target or at an offset from its start, if that comes before the deadline;
 * - it breaches at its deadline; after the breach each escalation step runs at its own offset (a step
 *   whose offset comes before the deadline runs at the breach);
 * - an event in `endsOn` meets it (`met`, or `met_late` after the breach); closing the lead ends it
 *   (`breached` if it had breached, else `cancelled`);
 * - a snooze pauses every running SLA; when it ends, every instant still ahead keeps the distance it had,
 *   in the SLA's clock, and the pause does not count in its elapsed time;
 * - so does the prospect being out of office (`prospect.out_of_office { until }`), back by timer at that
 *   date; a snooze that ends while the prospect is still away leaves the SLAs paused until the return;
 *   an SLA that starts while the prospect is away waits too ({@link SLAS_STARTED_WHILE_AWAY_WAIT});
 * - an SLA met while paused is met on time unless it had breached before the pause;
 * - timers due at an instant fire before an event at that instant.
 *
 * It also models which of the events it knows a lead takes in each state.
 */
import { CALENDARS } from './calendars.js';
import { type OracleClock, oracleClock } from './oracle-clock.js';
import type { SlaSpec } from './policy-spec.js';

/**
 * docs/policies.md: "While the lead waits on the prospect every SLA pauses: while it is snoozed, and while
 * the prospect is out of office". Read literally, an SLA that starts while the prospect is away (a rep
 * assigned meanwhile) starts paused and counts from the return. LEADLINE_ORACLE_AWAY_STARTS_RUNNING=1
 * models SLAs that start running whatever the prospect does (what the engine does today).
 */
export const SLAS_STARTED_WHILE_AWAY_WAIT = process.env.LEADLINE_ORACLE_AWAY_STARTS_RUNNING !== '1';

export type OracleEvent =
  | { type: 'lead.assigned'; owner: string }
  | { type: 'prospect.out_of_office'; until: number }
  | { type: 'touch.logged' }
  | { type: 'prospect.replied' }
  | { type: 'meeting.booked' }
  | { type: 'lead.snoozed'; until: number }
  | { type: 'lead.converted' }
  | { type: 'lead.disqualified' };

/** What the oracle expects of one SLA record, in the engine's field names. */
export interface ExpectedSla {
  name: string;
  startedAt: number;
  dueAt: number;
  warnAt?: number;
  warnedAt?: number;
  breachedAt?: number;
  outcome?: 'met' | 'met_late' | 'breached' | 'cancelled';
  endedAt?: number;
  elapsedMs?: number;
  pausedMs: number;
  pausedAt?: number;
  escalations: { at: number; doneAt?: number }[];
}

const clocks = new Map<string, OracleClock>();
function clockOf(name: string): OracleClock {
  let clock = clocks.get(name);
  if (!clock) {
    clock = oracleClock(name === 'calendar' ? undefined : CALENDARS.find((calendar) => calendar.name === name));
    clocks.set(name, clock);
  }
  return clock;
}

interface Instance {
  spec: SlaSpec;
  record: ExpectedSla;
}

export class SlaOracle {
  private readonly instances: Instance[] = [];
  private stage: 'new' | 'assigned' | 'working' = 'new';
  private life: 'open' | 'snoozed' | 'closed' = 'open';
  private snoozedUntil = 0;
  /** Out of office until then. */
  private awayUntil: number | undefined;

  constructor(
    private readonly slas: readonly SlaSpec[],
    private readonly source: string,
    capturedAt: number,
  ) {
    this.start('captured', capturedAt);
  }

  /** Whether a lead in the oracle's state takes the event (the engine refuses the others). */
  takes(event: OracleEvent): boolean {
    if (this.life === 'closed') return false;
    if (this.life === 'snoozed') return event.type === 'lead.converted' || event.type === 'lead.disqualified' || event.type === 'prospect.replied';
    if (event.type === 'lead.assigned') return this.stage === 'new';
    return true;
  }

  /** True while snoozed: the oracle leaves a reply during a snooze alone (the docs do not say what it meets). */
  get snoozed(): boolean {
    return this.life === 'snoozed';
  }

  get closed(): boolean {
    return this.life === 'closed';
  }

  /** Applies an event the lead takes, at `at` (after every timer due by then). */
  apply(event: OracleEvent, at: number): void {
    this.advanceTo(at);
    switch (event.type) {
      case 'lead.assigned':
        this.stage = 'assigned';
        this.meet('lead.assigned', at);
        this.start('assigned', at);
        break;
      case 'touch.logged':
        if (this.stage === 'assigned') this.stage = 'working';
        this.meet('touch.logged', at);
        break;
      case 'prospect.replied':
        this.meet('prospect.replied', at);
        this.start('replied', at);
        break;
      case 'meeting.booked':
        this.meet('meeting.booked', at);
        break;
      case 'prospect.out_of_office':
        this.awayUntil = event.until;
        for (const { record } of this.running()) if (record.pausedAt === undefined) record.pausedAt = at;
        break;
      case 'lead.snoozed':
        this.life = 'snoozed';
        this.snoozedUntil = event.until;
        // Already paused (out of office): the pause began then, and the snooze continues it.
        for (const { record } of this.running()) if (record.pausedAt === undefined) record.pausedAt = at;
        break;
      case 'lead.converted':
      case 'lead.disqualified':
        this.life = 'closed';
        for (const { record } of this.running()) this.end(record, at, record.breachedAt === undefined ? 'cancelled' : 'breached');
        break;
    }
  }

  /** Lets time pass to `t`: warnings, breaches, escalation steps and the end of a snooze, in time order. */
  advanceTo(t: number): void {
    for (;;) {
      let next: { at: number; run: () => void } | undefined;
      const consider = (at: number, run: () => void) => {
        if (at <= t && (next === undefined || at < next.at)) next = { at, run };
      };
      if (this.life === 'snoozed')
        consider(this.snoozedUntil, () => {
          this.life = 'open';
          // Still out of office: the SLAs wait for the prospect's return.
          if (this.awayUntil === undefined || this.snoozedUntil >= this.awayUntil) {
            // The prospect came back during the snooze: the return is behind us.
            this.awayUntil = undefined;
            this.resume(this.snoozedUntil);
          }
        });
      const awayUntil = this.awayUntil;
      if (this.life === 'open' && awayUntil !== undefined)
        consider(awayUntil, () => {
          this.awayUntil = undefined;
          this.resume(awayUntil);
        });
      if (this.life === 'open') {
        for (const { record } of this.running()) {
          if (record.pausedAt !== undefined) continue;
          if (record.breachedAt === undefined) {
            if (record.warnAt !== undefined && record.warnedAt === undefined && record.warnAt < record.dueAt) {
              const warnAt = record.warnAt;
              consider(warnAt, () => {
                record.warnedAt = warnAt;
              });
            } else
              consider(record.dueAt, () => {
                record.breachedAt = record.dueAt;
              });
            continue;
          }
          // A step whose offset comes before the breach (a target rule longer than the chain) runs at the breach.
          const step = record.escalations.find((escalation) => escalation.doneAt === undefined);
          const breachedAt = record.breachedAt;
          if (step)
            consider(Math.max(step.at, breachedAt), () => {
              step.doneAt = Math.max(step.at, breachedAt);
            });
        }
      }
      if (!next) return;
      next.run();
    }
  }

  /** What the oracle expects of the lead's SLA records, oldest first. */
  expected(): ExpectedSla[] {
    return this.instances.map(({ record }) => structuredClone(record));
  }

  private running(): Instance[] {
    return this.instances.filter(({ record }) => record.outcome === undefined);
  }

  private start(trigger: SlaSpec['startsOn'], at: number): void {
    for (const spec of this.slas) {
      if (spec.startsOn !== trigger) continue;
      if (this.running().some(({ spec: other }) => other.name === spec.name)) continue;
      const clock = clockOf(spec.clock);
      const target = (this.source === 'demo_request' ? spec.demoWithinMinutes : undefined) ?? spec.withinMinutes;
      const targetMs = target * 60_000;
      const record: ExpectedSla = {
        name: spec.name,
        startedAt: at,
        dueAt: clock.add(at, targetMs),
        pausedMs: 0,
        escalations: spec.escalations.map((step) => ({ at: clock.add(at, step.afterMinutes * 60_000) })),
      };
      if (spec.warn) record.warnAt = clock.add(at, spec.warn.kind === 'share' ? Math.round((targetMs * spec.warn.percent) / 100) : spec.warn.minutes * 60_000);
      if (this.awayUntil !== undefined && SLAS_STARTED_WHILE_AWAY_WAIT) record.pausedAt = at;
      this.instances.push({ spec, record });
    }
  }

  private meet(eventType: string, at: number): void {
    for (const { spec, record } of this.running()) {
      if (!(spec.endsOn as string[]).includes(eventType)) continue;
      this.end(record, at, record.breachedAt === undefined ? 'met' : 'met_late');
    }
  }

  private end(record: ExpectedSla, at: number, outcome: NonNullable<ExpectedSla['outcome']>): void {
    if (record.pausedAt !== undefined) {
      record.pausedMs += at - record.pausedAt;
      delete record.pausedAt;
    }
    record.outcome = outcome;
    record.endedAt = at;
    record.elapsedMs = at - record.startedAt - record.pausedMs;
  }

  private resume(at: number): void {
    for (const { spec, record } of this.running()) {
      const pausedAt = record.pausedAt;
      if (pausedAt === undefined) continue;
      const clock = clockOf(spec.clock);
      const shift = (instant: number) => (instant <= pausedAt ? instant : clock.add(at, clock.between(pausedAt, instant)));
      record.pausedMs += at - pausedAt;
      delete record.pausedAt;
      record.dueAt = shift(record.dueAt);
      if (record.warnAt !== undefined) record.warnAt = shift(record.warnAt);
      for (const step of record.escalations) if (step.doneAt === undefined) step.at = shift(step.at);
    }
  }
}
