/**
 * `MemoryStore`: the embedded default `LeadStore`. Everything lives in maps in this process, one set
 * per tenant; due timers are indexed by a min-heap so that the scheduler never scans every lead.
 *
 * @module
 */
import { AssignmentConflictError, DuplicateEventError, VersionConflictError } from '../errors.js';
import type { TouchChannel } from '../lead/events.js';
import type {
  ClaimedMessage,
  ClaimedTimer,
  CommitUnit,
  ContactTouches,
  HistoryEntry,
  LeadQuery,
  LeadStore,
  OutboxRecord,
  OwnerLoad,
  StoreCapabilities,
  StoredLead,
  TimerDeadLetter,
  TimerRow,
} from './lead-store.js';
import { LAST_OUTBOX_INSTANT } from './lead-store.js';
import { TimerHeap } from './timer-heap.js';

/** A timer as held in memory. Heap entries point at it; `generation` tells a stale heap entry from the live one. */
interface TimerEntry {
  row: TimerRow;
  generation: number;
  live: boolean;
  claimToken?: string;
  leaseUntil?: number;
  /** Claims so far, and why the last failed firing failed. */
  attempts: number;
  lastError?: string;
}

interface HeapItem {
  entry: TimerEntry;
  generation: number;
}

/** One tenant's data: no lookup ever crosses tenants. */
class TenantData {
  readonly leads = new Map<string, StoredLead>();
  readonly events = new Map<string, string>();
  readonly timers = new Map<string, Map<string, TimerEntry>>();
  heap = new TimerHeap<HeapItem>();
  readonly history = new Map<string, HistoryEntry[]>();
  /** Messages by id, in the order they were written (a Map keeps insertion order). */
  readonly outbox = new Map<string, OutboxRecord & { claimToken?: string; leaseUntil?: number }>();
  readonly deadLetters: OutboxRecord[] = [];
  /** Timer dead letters by event id, in the order they were given up. */
  readonly deadTimers = new Map<string, TimerDeadLetter>();
  /** Contact key to the leads holding it. */
  readonly contactKeys = new Map<string, Set<string>>();
  /** Per lead holding contact keys: since when (the `updatedAt` of the commit that gave it its first keys). */
  readonly keysSince = new Map<string, number>();
  /** Contact key to the latest touch per channel. */
  readonly contactTouches = new Map<string, ContactTouches>();
  readonly ownerLoad = new Map<string, OwnerLoad>();
  liveTimers = 0;
}

/**
 * An in-process `LeadStore`. Fast and simple; its data is gone when the process ends, so use it for
 * tests, simulations and single-process embedding, and a database adapter when leads must survive.
 *
 * @example
 * ```ts
 * import { createEngine, firstTouchSla, MemoryStore } from '@leadline/core';
 *
 * const policies = { sla: firstTouchSla({ within: '5m' }) };
 * const store = new MemoryStore();
 * const engine = createEngine({ store, policies });
 * // later, as after a crash: a new engine over the same store picks up the pending timers
 * const again = createEngine({ store, policies });
 * ```
 */
export class MemoryStore implements LeadStore {
  readonly capabilities: StoreCapabilities = { durable: false, sharedAcrossProcesses: false };
  private readonly tenants = new Map<string, TenantData>();
  private generation = 0;
  private claims = 0;

  private tenant(tenantId: string): TenantData {
    let data = this.tenants.get(tenantId);
    if (data === undefined) {
      data = new TenantData();
      this.tenants.set(tenantId, data);
    }
    return data;
  }

  load(tenantId: string, leadId: string): StoredLead | undefined {
    return this.tenants.get(tenantId)?.leads.get(leadId);
  }

  eventLead(tenantId: string, eventId: string): string | undefined {
    return this.tenants.get(tenantId)?.events.get(eventId);
  }

  commit(unit: CommitUnit): void {
    const { lead } = unit;
    const data = this.tenant(lead.tenantId);
    const current = data.leads.get(lead.leadId);
    // Check everything before writing anything: a refused commit leaves no trace.
    const actual = current?.version ?? 0;
    if (actual !== unit.expectedVersion) throw new VersionConflictError(lead.leadId, unit.expectedVersion, actual);
    if (lead.version !== unit.expectedVersion + 1) throw new VersionConflictError(lead.leadId, unit.expectedVersion + 1, lead.version);
    for (const eventId of unit.eventIds) {
      const appliedTo = data.events.get(eventId);
      if (appliedTo !== undefined) throw new DuplicateEventError(eventId, appliedTo);
    }
    if (unit.routedTo) {
      const { owner, openBefore } = unit.routedTo;
      const open = (data.ownerLoad.get(owner)?.open ?? 0) - (current?.open && current.owner === owner ? 1 : 0);
      if (open > openBefore) throw new AssignmentConflictError(lead.leadId, owner, openBefore, open);
    }

    data.leads.set(lead.leadId, lead);
    this.reindex(data, current, lead);
    for (const eventId of unit.eventIds) data.events.set(eventId, lead.leadId);
    const timers = data.timers.get(lead.leadId);
    for (const fired of unit.firedTimers) {
      if (timers?.get(fired.timerId)?.claimToken === fired.claimToken) this.deleteTimer(data, lead.leadId, fired.timerId);
    }
    for (const timerId of unit.timers.cancel) this.deleteTimer(data, lead.leadId, timerId);
    for (const row of unit.timers.upsert) this.putTimer(data, row);
    const history = data.history.get(lead.leadId);
    if (history === undefined) data.history.set(lead.leadId, unit.history.slice());
    else for (const entry of unit.history) history.push(entry);
    for (const message of unit.outbox) data.outbox.set(message.id, { ...message, attempts: 0, availableAt: message.createdAt });
    for (const touch of unit.contactTouches ?? []) this.recordTouch(data, touch.keys, touch.channel, touch.at);
    this.compactHeap(data);
  }

  claimDueTimers(tenantId: string, now: number, { limit, leaseMs }: { limit: number; leaseMs: number }): ClaimedTimer[] {
    const claimed: ClaimedTimer[] = [];
    const data = this.tenants.get(tenantId);
    if (data === undefined) return claimed;
    const heap = data.heap;
    while (claimed.length < limit) {
      const at = heap.peekAt();
      if (at === undefined || at > now) break;
      const { entry, generation } = heap.pop() as HeapItem;
      if (!entry.live || entry.generation !== generation) continue;
      // Re-index the timer at its lease end, so that it is claimable again if the claimer dies.
      entry.generation = ++this.generation;
      entry.claimToken = `claim-${++this.claims}`;
      entry.leaseUntil = now + leaseMs;
      entry.attempts++;
      heap.push(entry.leaseUntil, { entry, generation: entry.generation });
      const timer: ClaimedTimer = { ...entry.row, claimToken: entry.claimToken, leaseUntil: entry.leaseUntil, attempt: entry.attempts };
      if (entry.lastError !== undefined) timer.lastError = entry.lastError;
      claimed.push(timer);
    }
    return claimed;
  }

  retryTimer(timer: ClaimedTimer, { retryAt, error }: { retryAt: number; error: string }): void {
    const data = this.tenants.get(timer.tenantId);
    const entry = data?.timers.get(timer.leadId)?.get(timer.timerId);
    if (data === undefined || entry === undefined || entry.claimToken !== timer.claimToken) return;
    // The claim ends; the timer is claimable again at retryAt (re-indexed there).
    entry.claimToken = undefined;
    entry.leaseUntil = retryAt;
    entry.lastError = error;
    entry.generation = ++this.generation;
    data.heap.push(retryAt, { entry, generation: entry.generation });
  }

  deadLetterTimer(timer: ClaimedTimer, { error, at }: { error: string; at: number }): boolean {
    const data = this.tenants.get(timer.tenantId);
    const entry = data?.timers.get(timer.leadId)?.get(timer.timerId);
    if (data === undefined || entry === undefined || entry.claimToken !== timer.claimToken) return false;
    this.deleteTimer(data, timer.leadId, timer.timerId);
    data.deadTimers.delete(entry.row.eventId);
    data.deadTimers.set(entry.row.eventId, { ...entry.row, attempts: entry.attempts, error, deadAt: at });
    return true;
  }

  timerDeadLetters(tenantId: string, limit: number): TimerDeadLetter[] {
    const dead = this.tenants.get(tenantId)?.deadTimers;
    if (dead === undefined) return [];
    return [...dead.values()]
      .sort((a, b) => a.deadAt - b.deadAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))
      .slice(0, Math.max(0, limit))
      .map((letter) => ({ ...letter }));
  }

  requeueTimerDeadLetter(tenantId: string, eventId: string, at: number): boolean {
    const data = this.tenants.get(tenantId);
    const letter = data?.deadTimers.get(eventId);
    if (data === undefined || letter === undefined) return false;
    if (data.timers.get(letter.leadId)?.has(letter.timerId)) return false;
    const { attempts: _attempts, error: _error, deadAt: _deadAt, ...row } = letter;
    data.deadTimers.delete(eventId);
    this.putTimer(data, row, at);
    return true;
  }

  discardTimerDeadLetter(tenantId: string, eventId: string): boolean {
    return this.tenants.get(tenantId)?.deadTimers.delete(eventId) ?? false;
  }

  releaseTimer(timer: ClaimedTimer): void {
    const data = this.tenants.get(timer.tenantId);
    const entry = data?.timers.get(timer.leadId)?.get(timer.timerId);
    if (data && entry?.claimToken === timer.claimToken) this.deleteTimer(data, timer.leadId, timer.timerId);
  }

  nextDueAt(tenantId: string): number | undefined {
    const heap = this.tenants.get(tenantId)?.heap;
    if (heap === undefined) return undefined;
    for (;;) {
      const top = heap.peek();
      if (top === undefined) return undefined;
      if (top.item.entry.live && top.item.entry.generation === top.item.generation) return top.at;
      heap.pop();
    }
  }

  timersOf(tenantId: string, leadId: string): TimerRow[] {
    const timers = this.tenants.get(tenantId)?.timers.get(leadId);
    if (timers === undefined) return [];
    return [...timers.values()].map((entry) => ({ ...entry.row })).sort((a, b) => a.dueAt - b.dueAt);
  }

  historyOf(tenantId: string, leadId: string): HistoryEntry[] {
    return [...(this.tenants.get(tenantId)?.history.get(leadId) ?? [])];
  }

  pendingOutbox(tenantId: string, limit: number): OutboxRecord[] {
    const pending: OutboxRecord[] = [];
    for (const record of this.tenants.get(tenantId)?.outbox.values() ?? []) {
      if (pending.length >= limit) break;
      const { claimToken, leaseUntil, ...message } = record;
      pending.push(message);
    }
    return pending;
  }

  claimOutbox(tenantId: string, now: number, { limit, leaseMs }: { limit: number; leaseMs: number }): ClaimedMessage[] {
    const claimed: ClaimedMessage[] = [];
    // A scan in write order: the outbox holds only undelivered messages, a short list in steady state.
    for (const record of this.tenants.get(tenantId)?.outbox.values() ?? []) {
      if (claimed.length >= limit) break;
      if (record.availableAt > now || (record.leaseUntil !== undefined && record.leaseUntil > now)) continue;
      record.claimToken = `claim-${++this.claims}`;
      record.leaseUntil = Math.min(now + leaseMs, LAST_OUTBOX_INSTANT);
      claimed.push({ ...record, claimToken: record.claimToken, leaseUntil: record.leaseUntil });
    }
    return claimed;
  }

  renewOutboxLease(message: ClaimedMessage, { leaseUntil }: { leaseUntil: number }): ClaimedMessage | undefined {
    const record = this.tenants.get(message.tenantId)?.outbox.get(message.id);
    if (record?.claimToken === undefined || record.claimToken !== message.claimToken) return undefined;
    record.leaseUntil = Math.min(leaseUntil, LAST_OUTBOX_INSTANT);
    return { ...message, leaseUntil: record.leaseUntil };
  }

  ackOutbox(message: ClaimedMessage): void {
    const outbox = this.tenants.get(message.tenantId)?.outbox;
    if (outbox?.get(message.id)?.claimToken === message.claimToken) outbox.delete(message.id);
  }

  retryOutbox(message: ClaimedMessage, { retryAt, error }: { retryAt: number; error: string }): void {
    const record = this.tenants.get(message.tenantId)?.outbox.get(message.id);
    if (record?.claimToken !== message.claimToken) return;
    record.attempts++;
    record.availableAt = Math.min(retryAt, LAST_OUTBOX_INSTANT);
    record.lastError = error;
    delete record.claimToken;
    delete record.leaseUntil;
  }

  deadLetterOutbox(message: ClaimedMessage, { error }: { error: string }): void {
    const data = this.tenants.get(message.tenantId);
    const record = data?.outbox.get(message.id);
    if (!data || record?.claimToken !== message.claimToken) return;
    data.outbox.delete(message.id);
    const { claimToken, leaseUntil, ...dead } = record;
    data.deadLetters.push({ ...dead, attempts: dead.attempts + 1, lastError: error });
  }

  deadLetters(tenantId: string, limit: number): OutboxRecord[] {
    return (this.tenants.get(tenantId)?.deadLetters ?? []).slice(0, limit);
  }

  requeueDeadLetter(tenantId: string, id: string, at: number): boolean {
    const data = this.tenants.get(tenantId);
    const index = data?.deadLetters.findIndex((message) => message.id === id) ?? -1;
    if (data === undefined || index < 0 || data.outbox.has(id)) return false;
    const [dead] = data.deadLetters.splice(index, 1) as [OutboxRecord];
    data.outbox.set(id, { ...dead, attempts: 0, availableAt: Math.min(at, LAST_OUTBOX_INSTANT) });
    return true;
  }

  discardDeadLetter(tenantId: string, id: string): boolean {
    const dead = this.tenants.get(tenantId)?.deadLetters;
    const index = dead?.findIndex((message) => message.id === id) ?? -1;
    if (dead === undefined || index < 0) return false;
    dead.splice(index, 1);
    return true;
  }

  findByContactKeys(tenantId: string, contactKeys: readonly string[]): StoredLead | undefined {
    const data = this.tenants.get(tenantId);
    if (data === undefined) return undefined;
    let best: string | undefined;
    let bestSince = Number.POSITIVE_INFINITY;
    for (const key of contactKeys) {
      for (const leadId of data.contactKeys.get(key) ?? []) {
        const since = data.keysSince.get(leadId) ?? Number.POSITIVE_INFINITY;
        if (best === undefined || since < bestSince || (since === bestSince && leadId < best)) {
          best = leadId;
          bestSince = since;
        }
      }
    }
    return best === undefined ? undefined : data.leads.get(best);
  }

  lastContactTouches(tenantId: string, contactKeys: readonly string[]): ContactTouches {
    const latest: ContactTouches = {};
    const data = this.tenants.get(tenantId);
    for (const key of contactKeys) {
      const touches = data?.contactTouches.get(key);
      if (touches === undefined) continue;
      for (const [channel, at] of Object.entries(touches) as [TouchChannel, number][]) {
        const seen = latest[channel];
        if (seen === undefined || at > seen) latest[channel] = at;
      }
    }
    return latest;
  }

  ownerLoads(tenantId: string): Map<string, OwnerLoad> {
    const loads = new Map<string, OwnerLoad>();
    for (const [owner, load] of this.tenants.get(tenantId)?.ownerLoad ?? []) loads.set(owner, { ...load });
    return loads;
  }

  listLeads({ tenantId, state, owner, overdue, limit = Number.POSITIVE_INFINITY }: LeadQuery): StoredLead[] {
    const found: StoredLead[] = [];
    for (const lead of this.tenants.get(tenantId)?.leads.values() ?? []) {
      if ((state && lead.state !== state) || (owner && lead.owner !== owner) || (overdue !== undefined && lead.overdue !== overdue)) continue;
      found.push(lead);
    }
    return found.sort((a, b) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0)).slice(0, limit);
  }

  /** Keeps the latest touch per contact key and channel. */
  private recordTouch(data: TenantData, keys: readonly string[], channel: TouchChannel, at: number): void {
    for (const key of keys) {
      let touches = data.contactTouches.get(key);
      if (touches === undefined) {
        touches = {};
        data.contactTouches.set(key, touches);
      }
      const seen = touches[channel];
      if (seen === undefined || at > seen) touches[channel] = at;
    }
  }

  /** Keeps the contact-key index in step with a lead's new keys. */
  private reindexContactKeys(data: TenantData, before: readonly string[], after: StoredLead): void {
    const keys = after.contactKeys ?? [];
    const kept = new Set(keys);
    for (const key of before) {
      if (kept.has(key)) continue;
      const holders = data.contactKeys.get(key);
      holders?.delete(after.leadId);
      if (holders?.size === 0) data.contactKeys.delete(key);
    }
    for (const key of keys) {
      let holders = data.contactKeys.get(key);
      if (holders === undefined) {
        holders = new Set();
        data.contactKeys.set(key, holders);
      }
      holders.add(after.leadId);
    }
    if (keys.length === 0) data.keysSince.delete(after.leadId);
    else if (!data.keysSince.has(after.leadId)) data.keysSince.set(after.leadId, after.updatedAt);
  }

  /** Keeps the contact-key and owner-load indexes in step with a lead's new record. */
  private reindex(data: TenantData, before: StoredLead | undefined, after: StoredLead): void {
    this.reindexContactKeys(data, before?.contactKeys ?? [], after);
    const loadOf = (owner: string) => {
      const existing = data.ownerLoad.get(owner);
      if (existing) return existing;
      const created = { open: 0, assigned: 0 };
      data.ownerLoad.set(owner, created);
      return created;
    };
    if (after.owner !== undefined && after.owner !== before?.owner) loadOf(after.owner).assigned++;
    const wasCounted = before?.open && before.owner !== undefined ? before.owner : undefined;
    const isCounted = after.open && after.owner !== undefined ? after.owner : undefined;
    if (wasCounted === isCounted) return;
    if (wasCounted !== undefined) loadOf(wasCounted).open--;
    if (isCounted !== undefined) loadOf(isCounted).open++;
  }

  /** Puts a timer under its id (replacing the one there), claimable at `readyAt` (its due time by default). */
  private putTimer(data: TenantData, row: TimerRow, readyAt = row.dueAt): void {
    let timers = data.timers.get(row.leadId);
    if (timers === undefined) {
      timers = new Map();
      data.timers.set(row.leadId, timers);
    }
    const previous = timers.get(row.timerId);
    if (previous) previous.live = false;
    else data.liveTimers++;
    const entry: TimerEntry = { row, generation: ++this.generation, live: true, attempts: 0 };
    timers.set(row.timerId, entry);
    data.heap.push(readyAt, { entry, generation: entry.generation });
  }

  private deleteTimer(data: TenantData, leadId: string, timerId: string): void {
    const timers = data.timers.get(leadId);
    const entry = timers?.get(timerId);
    if (timers === undefined || entry === undefined) return;
    entry.live = false;
    timers.delete(timerId);
    data.liveTimers--;
    if (timers.size === 0) data.timers.delete(leadId);
  }

  /** Rebuilds a tenant's heap when stale entries (from reschedules and cancels) far outnumber live timers. */
  private compactHeap(data: TenantData): void {
    if (data.heap.size < 1024 || data.heap.size < 4 * data.liveTimers) return;
    const fresh = new TimerHeap<HeapItem>();
    for (const timers of data.timers.values()) {
      for (const entry of timers.values()) fresh.push(entry.leaseUntil ?? entry.row.dueAt, { entry, generation: entry.generation });
    }
    data.heap = fresh;
  }
}
