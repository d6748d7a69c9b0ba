/**
 * `MemoryStore`: the embedded default `LeadStore`. Everything lives in maps in this process; due
 * timers are indexed by a min-heap so that the scheduler never scans every lead.
 *
 * @module
 */
import { VersionConflictError } from '../errors.js';
import type { ClaimedTimer, CommitUnit, HistoryEntry, LeadQuery, LeadStore, OutboxMessage, StoredLead, TimerRow } from './lead-store.js';
import { TimerHeap } from './timer-heap.js';

interface TimerEntry {
  row: TimerRow;
  generation: number;
  claimToken?: string;
  leaseUntil?: number;
}

const SEP = '\u0000';

/**
 * An in-process `LeadStore`. Fast and simple; its data is gone when the process ends, so use it for
 * tests, simulations and single-process embedding, and a database adapter when leads must survive.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const engine = createEngine({ store, policies });
 * // later, as after a crash: a new engine over the same store picks up the pending timers
 * const again = createEngine({ store, policies });
 * ```
 */
export class MemoryStore implements LeadStore {
  private readonly leads = new Map<string, StoredLead>();
  private readonly events = new Map<string, string>();
  private readonly timers = new Map<string, TimerEntry>();
  private readonly timersByLead = new Map<string, Set<string>>();
  /** One heap per tenant: a tenant's scheduler never sees another's timers. */
  private readonly heaps = new Map<string, TimerHeap>();
  private readonly history = new Map<string, HistoryEntry[]>();
  private readonly outbox: OutboxMessage[] = [];
  private readonly dedupe = new Map<string, string>();
  private readonly ownerLoad = new Map<string, Map<string, number>>();
  private generation = 0;
  private claims = 0;

  async load(tenantId: string, leadId: string): Promise<StoredLead | undefined> {
    return this.leads.get(tenantId + SEP + leadId);
  }

  async eventLead(tenantId: string, eventId: string): Promise<string | undefined> {
    return this.events.get(tenantId + SEP + eventId);
  }

  async commit(unit: CommitUnit): Promise<void> {
    const { lead } = unit;
    const leadKey = lead.tenantId + SEP + lead.leadId;
    const current = this.leads.get(leadKey);
    // Check everything before writing anything: a refused commit leaves no trace.
    const actual = current?.version ?? 0;
    if (actual !== unit.expectedVersion) throw new VersionConflictError(lead.leadId, unit.expectedVersion, actual);
    if (lead.version !== unit.expectedVersion + 1) throw new VersionConflictError(lead.leadId, unit.expectedVersion + 1, lead.version);

    this.leads.set(leadKey, lead);
    this.reindex(current, lead);
    for (const eventId of unit.eventIds) this.events.set(lead.tenantId + SEP + eventId, lead.leadId);
    if (unit.firedTimer) {
      const key = leadKey + SEP + unit.firedTimer.timerId;
      if (this.timers.get(key)?.claimToken === unit.firedTimer.claimToken) this.deleteTimer(leadKey, key);
    }
    for (const timerId of unit.timers.cancel) this.deleteTimer(leadKey, leadKey + SEP + timerId);
    for (const row of unit.timers.upsert) this.putTimer(leadKey, row);
    if (unit.history.length > 0) {
      const entries = this.history.get(leadKey);
      if (entries) entries.push(...unit.history);
      else this.history.set(leadKey, [...unit.history]);
    }
    this.outbox.push(...unit.outbox);
    this.compactHeap(lead.tenantId);
  }

  async claimDueTimers(tenantId: string, now: number, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<ClaimedTimer[]> {
    const claimed: ClaimedTimer[] = [];
    const heap = this.heaps.get(tenantId);
    while (heap && claimed.length < limit) {
      const top = heap.peek();
      if (!top || top.at > now) break;
      heap.pop();
      const entry = this.timers.get(top.key);
      if (!entry || entry.generation !== top.generation) continue;
      // Re-index the timer at its lease end, so that it is claimable again if the claimer dies.
      entry.generation = ++this.generation;
      entry.claimToken = `claim-${++this.claims}`;
      entry.leaseUntil = now + leaseMs;
      heap.push({ at: entry.leaseUntil, key: top.key, generation: entry.generation });
      claimed.push({ ...entry.row, claimToken: entry.claimToken, leaseUntil: entry.leaseUntil });
    }
    return claimed;
  }

  async releaseTimer(timer: ClaimedTimer): Promise<void> {
    const leadKey = timer.tenantId + SEP + timer.leadId;
    const key = leadKey + SEP + timer.timerId;
    if (this.timers.get(key)?.claimToken === timer.claimToken) this.deleteTimer(leadKey, key);
  }

  async nextDueAt(tenantId: string): Promise<number | undefined> {
    const heap = this.heaps.get(tenantId);
    for (;;) {
      const top = heap?.peek();
      if (!heap || !top) return undefined;
      if (this.timers.get(top.key)?.generation === top.generation) return top.at;
      heap.pop();
    }
  }

  async timersOf(tenantId: string, leadId: string): Promise<TimerRow[]> {
    const leadKey = tenantId + SEP + leadId;
    const keys = this.timersByLead.get(leadKey) ?? new Set<string>();
    return [...keys].map((key) => ({ ...(this.timers.get(key) as TimerEntry).row })).sort((a, b) => a.dueAt - b.dueAt);
  }

  async historyOf(tenantId: string, leadId: string): Promise<HistoryEntry[]> {
    return [...(this.history.get(tenantId + SEP + leadId) ?? [])];
  }

  async pendingOutbox(tenantId: string, limit: number): Promise<OutboxMessage[]> {
    return this.outbox.filter((message) => message.tenantId === tenantId).slice(0, limit);
  }

  async findByDedupeKey(tenantId: string, dedupeKey: string): Promise<StoredLead | undefined> {
    const leadId = this.dedupe.get(tenantId + SEP + dedupeKey);
    return leadId === undefined ? undefined : this.leads.get(tenantId + SEP + leadId);
  }

  async openLeadsByOwner(tenantId: string): Promise<Map<string, number>> {
    return new Map(this.ownerLoad.get(tenantId));
  }

  async listLeads({ tenantId, state, owner, limit = Number.POSITIVE_INFINITY }: LeadQuery): Promise<StoredLead[]> {
    const found: StoredLead[] = [];
    for (const lead of this.leads.values()) {
      if (lead.tenantId !== tenantId || (state && lead.state !== state) || (owner && lead.owner !== owner)) continue;
      found.push(lead);
    }
    return found.sort((a, b) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0)).slice(0, limit);
  }

  /** Keeps the dedupe and owner-load indexes in step with a lead's new record. */
  private reindex(before: StoredLead | undefined, after: StoredLead): void {
    const tenant = after.tenantId;
    if (before?.dedupeKey !== after.dedupeKey) {
      if (before?.dedupeKey !== undefined) this.dedupe.delete(tenant + SEP + before.dedupeKey);
      if (after.dedupeKey !== undefined) this.dedupe.set(tenant + SEP + after.dedupeKey, after.leadId);
    }
    const wasCounted = before?.open && before.owner !== undefined ? before.owner : undefined;
    const isCounted = after.open && after.owner !== undefined ? after.owner : undefined;
    if (wasCounted === isCounted) return;
    const load = this.ownerLoad.get(tenant) ?? new Map<string, number>();
    this.ownerLoad.set(tenant, load);
    if (wasCounted !== undefined) {
      const left = (load.get(wasCounted) ?? 1) - 1;
      if (left > 0) load.set(wasCounted, left);
      else load.delete(wasCounted);
    }
    if (isCounted !== undefined) load.set(isCounted, (load.get(isCounted) ?? 0) + 1);
  }

  private putTimer(leadKey: string, row: TimerRow): void {
    const key = leadKey + SEP + row.timerId;
    const entry: TimerEntry = { row, generation: ++this.generation };
    this.timers.set(key, entry);
    const keys = this.timersByLead.get(leadKey) ?? new Set<string>();
    this.timersByLead.set(leadKey, keys);
    keys.add(key);
    const heap = this.heaps.get(row.tenantId) ?? new TimerHeap();
    this.heaps.set(row.tenantId, heap);
    heap.push({ at: row.dueAt, key, generation: entry.generation });
  }

  private deleteTimer(leadKey: string, key: string): void {
    if (!this.timers.delete(key)) return;
    const keys = this.timersByLead.get(leadKey);
    keys?.delete(key);
    if (keys?.size === 0) this.timersByLead.delete(leadKey);
  }

  /** Rebuilds a tenant's heap when stale entries (from reschedules and cancels) far outnumber live timers. */
  private compactHeap(tenantId: string): void {
    const heap = this.heaps.get(tenantId);
    if (!heap || heap.size < 1024 || heap.size < 4 * this.timers.size) return;
    const fresh = new TimerHeap();
    for (const [key, entry] of this.timers) {
      if (entry.row.tenantId === tenantId) fresh.push({ at: entry.leaseUntil ?? entry.row.dueAt, key, generation: entry.generation });
    }
    this.heaps.set(tenantId, fresh);
  }
}
