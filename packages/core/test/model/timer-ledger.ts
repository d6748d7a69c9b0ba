/**
 * A record of every timer row the engine ever wrote, and how each one ended, taken at the `LeadStore`
 * port: a wrapper around the store sees each claim, each commit's upserts, cancels and fired timers,
 * and every timer released without a commit (dropped). The model checks from it that every timer that
 * comes due fires, at its due time, with its own event, that none is dropped, and that a timer replaced
 * while it was claimed is dropped rather than applied (docs/engine.md, "Timers and the scheduler").
 */
import type { ClaimedTimer, CommitUnit, HistoryEntry, LeadStore, TimerRow } from '@leadline/core';

export type TimerEnd =
  | { kind: 'fired'; at: number; history: HistoryEntry[] }
  | { kind: 'cancelled'; at: number }
  | { kind: 'replaced'; at: number; by: TimerRow }
  | { kind: 'released'; at: number };

export interface TimerFate {
  row: TimerRow;
  /** When the row was written (the virtual now). */
  writtenAt: number;
  end?: TimerEnd;
}

/**
 * A claimed timer whose row had been replaced or cancelled while it was claimed (the lead changed
 * meanwhile), and whose old event a commit applied all the same.
 */
export interface StaleFire {
  claimed: ClaimedTimer;
  at: number;
  history: HistoryEntry[];
  /** The row pending under the same timer id when the stale event was applied. */
  current: TimerRow | undefined;
}

const keyOf = (leadId: string, timerId: string) => `${leadId}\u0000${timerId}`;

export class TimerLedger {
  /** Rows pending in the store, by lead and timer id. */
  readonly pending = new Map<string, TimerFate>();
  /** Rows that ended since the last {@link TimerLedger.takeEnded}. */
  private ended: TimerFate[] = [];
  /** Leads committed since the last {@link TimerLedger.takeTouched}. */
  private touched = new Set<string>();
  /** Timers handed out by `claimDueTimers`, by claim token. */
  private readonly claims = new Map<string, ClaimedTimer>();
  private stale: StaleFire[] = [];

  constructor(private readonly now: () => number) {}

  recordCommit(unit: CommitUnit): void {
    const at = this.now();
    const leadId = unit.lead.leadId;
    this.touched.add(leadId);
    for (const fired of unit.firedTimers) {
      const claimed = this.claims.get(fired.claimToken);
      const fate = this.pending.get(keyOf(leadId, fired.timerId));
      if (claimed && fate?.row.eventId !== claimed.eventId) {
        // The row it was claimed as is gone: the commit applies the event of a timer that was replaced.
        if (unit.history.some((entry) => entry.eventId === claimed.eventId)) this.stale.push({ claimed, at, history: unit.history, current: fate?.row });
        continue;
      }
      this.end(leadId, fired.timerId, { kind: 'fired', at, history: unit.history });
    }
    for (const timerId of unit.timers.cancel) this.end(leadId, timerId, { kind: 'cancelled', at });
    for (const row of unit.timers.upsert) {
      this.end(leadId, row.timerId, { kind: 'replaced', at, by: row });
      this.pending.set(keyOf(leadId, row.timerId), { row, writtenAt: at });
    }
  }

  recordClaims(timers: readonly ClaimedTimer[]): void {
    for (const timer of timers) this.claims.set(timer.claimToken, timer);
  }

  /** A claimed timer deleted without a commit: its own row dropped, or a stale claim let go (as documented). */
  recordRelease(timer: ClaimedTimer): void {
    const fate = this.pending.get(keyOf(timer.leadId, timer.timerId));
    if (fate?.row.eventId !== timer.eventId) return;
    this.touched.add(timer.leadId);
    this.end(timer.leadId, timer.timerId, { kind: 'released', at: this.now() });
  }

  /** Stale timers whose events were applied since the last call. */
  takeStale(): StaleFire[] {
    const stale = this.stale;
    this.stale = [];
    return stale;
  }

  private end(leadId: string, timerId: string, end: TimerEnd): void {
    const key = keyOf(leadId, timerId);
    const fate = this.pending.get(key);
    if (!fate) return;
    this.pending.delete(key);
    fate.end = end;
    this.ended.push(fate);
  }

  /** The leads committed since the last call. */
  takeTouched(): Set<string> {
    const touched = this.touched;
    this.touched = new Set();
    return touched;
  }

  /** The rows that ended since the last call. */
  takeEnded(): TimerFate[] {
    const ended = this.ended;
    this.ended = [];
    return ended;
  }
}

/**
 * A store seen through a ledger (recorded once a commit or a release has succeeded); answering through
 * promises when `async` (as a database adapter does), so the engine's asynchronous path is modelled too.
 */
export function ledgerStore(inner: LeadStore, ledger: TimerLedger, async: boolean): LeadStore {
  return new Proxy(inner, {
    get(target, property) {
      const member = Reflect.get(target, property, target);
      if (typeof member !== 'function') return member;
      const record = (args: unknown[], value: unknown) => {
        if (property === 'commit') ledger.recordCommit(args[0] as CommitUnit);
        else if (property === 'releaseTimer') ledger.recordRelease(args[0] as ClaimedTimer);
        else if (property === 'claimDueTimers') ledger.recordClaims(value as ClaimedTimer[]);
      };
      const call = (...args: unknown[]) => {
        const result = member.apply(target, args);
        if (result instanceof Promise)
          return result.then((value) => {
            record(args, value);
            return value;
          });
        record(args, result);
        return result;
      };
      if (!async) return call;
      return (...args: unknown[]) => Promise.resolve().then(() => call(...args));
    },
  }) as LeadStore;
}
