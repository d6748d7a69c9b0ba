/**
 * The `LeadStore` port: everything the engine needs from storage. One `commit` writes a lead's new
 * snapshot, its timer changes, outbox messages, history entries and processed event ids all at once,
 * guarded by the lead's version, so that a crash never leaves half a decision behind.
 *
 * @module
 */

import type { TouchChannel } from '../lead/events.js';
import type { LeadBrief } from '../lead/lead-brief.js';
import type { NotificationKind } from '../lead/notification-kind.js';
import type { LifecycleState } from '../lead/states.js';

/**
 * A value now, or later: what every store method returns.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@leadline/core';
 * import type { MaybePromise, StoredLead } from '@leadline/core/adapter-kit';
 *
 * const store = new MemoryStore();
 * const lead: MaybePromise<StoredLead | undefined> = store.load('default', 'lead-1'); // a MemoryStore answers at once
 * ```
 */
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * What an owner holds: open leads now, and every lead ever assigned to them.
 *
 * @example
 * ```ts
 * import type { OwnerLoad } from '@leadline/core';
 *
 * const load: OwnerLoad = { open: 3, assigned: 41 };
 * ```
 */
export interface OwnerLoad {
  open: number;
  assigned: number;
}

/**
 * A lead as stored: the machine's persisted snapshot plus the columns queries need.
 *
 * @example
 * ```ts
 * import type { StoredLead } from '@leadline/core/adapter-kit';
 *
 * declare const snapshot: unknown; // the machine's persisted snapshot, as the engine hands it over
 * const lead: StoredLead = { tenantId: 'default', leadId: 'l1', version: 3, eventCount: 4, state: 'working', open: true, overdue: false, owner: 'ann', snapshot, updatedAt: Date.now() };
 * ```
 */
export interface StoredLead {
  tenantId: string;
  leadId: string;
  /** Starts at 1 and grows by one per commit. */
  version: number;
  /** Events applied so far (one history entry each); a commit may apply more than one. */
  eventCount: number;
  state: LifecycleState;
  /** Counts against the owner's capacity: not terminal and not in nurture. */
  open: boolean;
  /** A running SLA of the lead has breached: the lead is overdue. */
  overdue: boolean;
  owner?: string;
  /**
   * The contact's keys (`email:ada@example.com`, `phone:+4930123456`; see `contactKeysOf`), for dedupe
   * at intake; cleared when the lead reaches a terminal state.
   */
  contactKeys?: string[];
  /** XState's persisted snapshot (JSON-safe). */
  snapshot: unknown;
  updatedAt: number;
}

/**
 * A durable timer: the machine raised `event` with a delay; the scheduler feeds it back at `dueAt`.
 *
 * @example
 * ```ts
 * import type { TimerRow } from '@leadline/core/adapter-kit';
 *
 * const dueAt = Date.parse('2026-03-02T09:05:00Z');
 * const timer: TimerRow = { tenantId: 'default', leadId: 'l1', timerId: 'sla', dueAt, eventId: 'l1/sla/v1', event: { type: 'sla.breached', sla: 'first_touch' } };
 * ```
 */
export interface TimerRow {
  tenantId: string;
  leadId: string;
  /** Unique per lead; raising the same id again replaces the timer. */
  timerId: string;
  dueAt: number;
  /** The id the fired event will carry: unique per scheduling, so a fire is applied once. */
  eventId: string;
  /** The event to feed back (type and payload, without `id` and `at`). */
  event: { type: string } & Record<string, unknown>;
}

/**
 * A timer handed to one scheduler until `leaseUntil`; after that another may claim it.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@leadline/core';
 *
 * const store = new MemoryStore();
 * const [claimed] = await store.claimDueTimers('default', Date.now(), { limit: 1, leaseMs: 30_000 });
 * ```
 */
export interface ClaimedTimer extends TimerRow {
  /** Proves the claim when the timer is completed. */
  claimToken: string;
  leaseUntil: number;
  /**
   * Which claim of this timer this is: 1 the first time. A timer claimed again after a failed firing,
   * or after its claimer died, counts up, so that one that can never fire ends in the dead letters.
   */
  attempt: number;
  /** Why the previous attempt failed, when one did (see {@link LeadStore.retryTimer}). */
  lastError?: string;
}

/**
 * A timer that could not be fired: its event cannot apply to the lead (an unknown type, an SLA the lead
 * does not have, a time before the lead), the lead is gone, or firing failed on every attempt. It waits
 * here, with the reason, until an operator re-queues or discards it; the lead's history is untouched.
 *
 * @example
 * ```ts
 * import type { TimerDeadLetter } from '@leadline/core/adapter-kit';
 *
 * const dueAt = Date.parse('2026-03-02T09:05:00Z');
 * const dead: TimerDeadLetter = {
 *   tenantId: 'default', leadId: 'l1', timerId: 'sla:first_touch', dueAt, eventId: 'l1/sla:first_touch/v1',
 *   event: { type: 'sla.breached', sla: 'first_touch' }, attempts: 1, error: 'lead l1 has no SLA "first_touch"', deadAt: dueAt + 1_000,
 * };
 * ```
 */
export interface TimerDeadLetter extends TimerRow {
  /** How many times the timer was claimed. */
  attempts: number;
  /** Why it was given up. */
  error: string;
  /** When it was given up. */
  deadAt: number;
}

/**
 * A notification waiting in the outbox, delivered after the commit that produced it.
 *
 * @example
 * ```ts
 * import type { LeadBrief, OutboxMessage } from '@leadline/core/adapter-kit';
 *
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * const brief: LeadBrief = { leadId: 'l1', name: 'Ada Lovelace', source: 'demo_request', state: 'assigned', activities: [] };
 * const message: OutboxMessage = { id: 'l1:e7:0:email', tenantId: 'default', leadId: 'l1', kind: 'sla.breached', channel: 'email', to: ['ann'], summary: '...', lead: brief, createdAt: at };
 * ```
 */
export interface OutboxMessage {
  /** Stable idempotency key: the same decision always yields the same id. */
  id: string;
  tenantId: string;
  leadId: string;
  kind: NotificationKind;
  /** The channel that delivers it (a notifier's `channel`); `default` when no route names one. */
  channel: string;
  to: string[];
  summary: string;
  /** The lead's context at the decision, for the rep's first call. */
  lead: LeadBrief;
  createdAt: number;
}

/**
 * An outbox message with its delivery state, as the store keeps it until it is delivered or dead.
 *
 * @example
 * ```ts
 * import type { OutboxMessage, OutboxRecord } from '@leadline/core/adapter-kit';
 *
 * declare const message: OutboxMessage; // as a commit wrote it
 * const at = Date.now();
 * const pending: OutboxRecord = { ...message, attempts: 1, availableAt: at + 30_000, lastError: 'HTTP 503' };
 * ```
 */
export interface OutboxRecord extends OutboxMessage {
  /** Delivery attempts so far. */
  attempts: number;
  /** Not to be delivered before then (a retry's backoff). */
  availableAt: number;
  lastError?: string;
}

/**
 * The last instant a `Date` holds (8.64e15 ms, in the year 275760): a store keeps an outbox lease end
 * or retry time past it as this instant, so that a far time (a `Retry-After` of 10^20 seconds) never
 * fails a store call. Well inside PostgreSQL's `bigint` and JavaScript's safe integers.
 *
 * @example
 * ```ts
 * import { LAST_OUTBOX_INSTANT } from '@leadline/core/adapter-kit';
 *
 * Math.min(Date.now() + 1e23, LAST_OUTBOX_INSTANT); // 8640000000000000
 * ```
 */
export const LAST_OUTBOX_INSTANT = 8.64e15;

/**
 * An outbox message handed to one dispatcher until `leaseUntil`.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@leadline/core';
 *
 * const store = new MemoryStore();
 * const [message] = await store.claimOutbox('default', Date.now(), { limit: 1, leaseMs: 30_000 });
 * ```
 */
export interface ClaimedMessage extends OutboxRecord {
  claimToken: string;
  leaseUntil: number;
}

/**
 * What a store can do beyond the port's contract, so that the conformance kit checks it (or says it
 * skipped it) instead of assuming it.
 *
 * @example
 * ```ts
 * import type { StoreCapabilities } from '@leadline/core';
 *
 * const capabilities: StoreCapabilities = { durable: true, sharedAcrossProcesses: true };
 * ```
 */
export interface StoreCapabilities {
  /** Data survives the process (a database), so a new store instance sees it. */
  durable: boolean;
  /** Several processes may share it: claims and versions hold across instances. */
  sharedAcrossProcesses: boolean;
}

/**
 * One entry of a lead's history: the event applied, the lifecycle move, and why.
 *
 * @example
 * ```ts
 * import type { HistoryEntry } from '@leadline/core/adapter-kit';
 *
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * const entry: HistoryEntry = { tenantId: 'default', leadId: 'l1', seq: 2, eventId: 'e1', type: 'touch.logged', at, from: 'assigned', to: 'working', notes: ['call touch #1: connected'] };
 * ```
 */
export interface HistoryEntry {
  tenantId: string;
  leadId: string;
  /** Position in the lead's history, from 1: one entry per applied event. */
  seq: number;
  eventId: string;
  type: string;
  at: number;
  from: LifecycleState | null;
  to: LifecycleState;
  /** What the engine decided and why, in words. */
  notes: string[];
}

/**
 * A touch of a lead's contact, written with the commit that applied it: the store keeps, per contact
 * key and channel, the latest touch, so that a cadence step of any lead of the same person waits out a
 * cooldown (see {@link LeadStore.lastContactTouches}).
 *
 * @example
 * ```ts
 * import type { ContactTouch } from '@leadline/core/adapter-kit';
 *
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * const touch: ContactTouch = { keys: ['email:ada@example.com', 'phone:+4930123456'], channel: 'call', at };
 * ```
 */
export interface ContactTouch {
  /** The contact keys of the lead the touch was logged on. */
  keys: string[];
  channel: TouchChannel;
  at: number;
}

/**
 * The latest touch per channel (epoch ms) of a contact, across the tenant's leads.
 *
 * @example
 * ```ts
 * import type { ContactTouches } from '@leadline/core';
 *
 * const touches: ContactTouches = { call: Date.parse('2026-03-02T09:01:00Z') };
 * ```
 */
export type ContactTouches = Partial<Record<TouchChannel, number>>;

/**
 * Everything one applied event (or a run of queued events on the same lead) writes, committed all or nothing.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@leadline/core';
 * import type { HistoryEntry, StoredLead } from '@leadline/core/adapter-kit';
 *
 * const store = new MemoryStore();
 * // A lead at version 3, after one event applied at version 2:
 * declare const lead: StoredLead;
 * declare const entry: HistoryEntry;
 * await store.commit({ lead, expectedVersion: 2, timers: { upsert: [], cancel: ['sla'] }, firedTimers: [], outbox: [], history: [entry], eventIds: ['e1'] });
 * ```
 */
export interface CommitUnit {
  /** The lead's new record; its `version` must be `expectedVersion + 1`. */
  lead: StoredLead;
  /** The version the change was computed from; 0 to create the lead. */
  expectedVersion: number;
  timers: { upsert: TimerRow[]; cancel: string[] };
  /** The claimed timers whose events this commit applies: each is deleted first, if its claim still holds. */
  firedTimers: { timerId: string; claimToken: string }[];
  outbox: OutboxMessage[];
  history: HistoryEntry[];
  /** Event ids applied by this commit, remembered so they are never applied twice. */
  eventIds: string[];
  /**
   * Set when routing chose the lead's owner in this commit: the store commits only while that owner holds
   * at most `openBefore` open leads besides this one (checked atomically with the write), and otherwise
   * throws `AssignmentConflictError`, so that engines routing at once never pile leads on one rep.
   */
  routedTo?: { owner: string; openBefore: number };
  /**
   * Touches of the lead's contact this commit applies: per contact key and channel the store keeps the
   * latest `at` (a touch older than the one kept changes nothing).
   */
  contactTouches?: ContactTouch[];
}

/**
 * Filters for {@link LeadStore.listLeads}.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@leadline/core';
 *
 * const store = new MemoryStore();
 * await store.listLeads({ tenantId: 'default', state: 'working', owner: 'ann' });
 * ```
 */
export interface LeadQuery {
  tenantId: string;
  state?: LifecycleState;
  owner?: string;
  /** Only leads with a running SLA that has breached. */
  overdue?: boolean;
  limit?: number;
}

/**
 * The storage port. `MemoryStore` is the embedded default; adapters implement it for databases.
 *
 * Every method may answer with a value or with a promise: a database adapter returns promises, an
 * in-process store answers at once, which lets the engine apply an event without yielding to the
 * event loop. Errors are thrown (or rejected) the same way either way.
 *
 * @example
 * ```ts
 * import { createEngine, MemoryStore } from '@leadline/core';
 *
 * const engine = createEngine({ store: new MemoryStore() });
 * ```
 */
export interface LeadStore {
  /** The lead, or `undefined`. */
  load(tenantId: string, leadId: string): MaybePromise<StoredLead | undefined>;
  /** The lead an event id was applied to, or `undefined` if it never was. */
  eventLead(tenantId: string, eventId: string): MaybePromise<string | undefined>;
  /**
   * Writes a {@link CommitUnit} atomically. Throws `VersionConflictError` when the version moved on and
   * `DuplicateEventError` when one of its event ids was applied before; either way nothing is written.
   */
  commit(unit: CommitUnit): MaybePromise<void>;
  /** Claims up to `limit` of the tenant's timers due at `now` (not leased by another), leasing them for `leaseMs`. Earliest first. */
  claimDueTimers(tenantId: string, now: number, options: { limit: number; leaseMs: number }): MaybePromise<ClaimedTimer[]>;
  /** Deletes a claimed timer without a commit (its event was already applied), if the claim still holds. */
  releaseTimer(timer: ClaimedTimer): MaybePromise<void>;
  /**
   * A claimed timer failed to fire and is tried again at `retryAt`, if the claim still holds: the claim
   * ends, and the timer keeps its attempt count and `error` (as `lastError` of the next claim).
   */
  retryTimer(timer: ClaimedTimer, retry: { retryAt: number; error: string }): MaybePromise<void>;
  /**
   * A claimed timer is given up: it moves to the timer dead letters with `error`, if the claim still
   * holds. `false` when it did not (the timer was completed, cancelled or raised anew meanwhile).
   */
  deadLetterTimer(timer: ClaimedTimer, failure: { error: string; at: number }): MaybePromise<boolean>;
  /** The tenant's timer dead letters, oldest first. */
  timerDeadLetters(tenantId: string, limit: number): MaybePromise<TimerDeadLetter[]>;
  /**
   * Puts a dead timer back, claimable at `at` with its attempts reset; its event keeps its id and due
   * time. `false` when there is no such dead letter, or when its lead holds a newer timer under the
   * same id (the dead one is out of date: discard it).
   */
  requeueTimerDeadLetter(tenantId: string, eventId: string, at: number): MaybePromise<boolean>;
  /** Deletes a timer dead letter; `false` when there is none with that event id. */
  discardTimerDeadLetter(tenantId: string, eventId: string): MaybePromise<boolean>;
  /** When the tenant's earliest timer becomes claimable, or `undefined` when none is pending. */
  nextDueAt(tenantId: string): MaybePromise<number | undefined>;
  /** A lead's pending timers, earliest first. */
  timersOf(tenantId: string, leadId: string): MaybePromise<TimerRow[]>;
  /** A lead's history, oldest first. */
  historyOf(tenantId: string, leadId: string): MaybePromise<HistoryEntry[]>;
  /** What this store can do beyond the contract; the conformance kit reads it. */
  readonly capabilities: StoreCapabilities;
  /** Outbox messages not yet delivered nor dead, oldest first. */
  pendingOutbox(tenantId: string, limit: number): MaybePromise<OutboxRecord[]>;
  /**
   * Claims up to `limit` messages available at `now` (not leased by another), leasing them for `leaseMs`.
   * Oldest first. A lease end past 8.64e15 (the last instant a `Date` holds) is kept as 8.64e15, here
   * and in {@link LeadStore.renewOutboxLease} and {@link LeadStore.retryOutbox}: a far time never fails
   * the call.
   */
  claimOutbox(tenantId: string, now: number, options: { limit: number; leaseMs: number }): MaybePromise<ClaimedMessage[]>;
  /**
   * Moves a claimed message's lease end to `leaseUntil`, if the claim still holds, so that a delivery
   * that starts late in the lease has the whole of one. The message with its new lease (same claim
   * token), or `undefined` when the claim no longer holds: the lease ran out and another dispatcher
   * claimed the message, or it was settled.
   */
  renewOutboxLease(message: ClaimedMessage, lease: { leaseUntil: number }): MaybePromise<ClaimedMessage | undefined>;
  /** A claimed message was delivered: it leaves the outbox, if the claim still holds. */
  ackOutbox(message: ClaimedMessage): MaybePromise<void>;
  /** A delivery failed and will be tried again at `retryAt` (at most 8.64e15), if the claim still holds. */
  retryOutbox(message: ClaimedMessage, retry: { retryAt: number; error: string }): MaybePromise<void>;
  /** A delivery failed for good: the message moves to the dead letters, if the claim still holds. */
  deadLetterOutbox(message: ClaimedMessage, failure: { error: string }): MaybePromise<void>;
  /** Messages that could not be delivered, oldest first. */
  deadLetters(tenantId: string, limit: number): MaybePromise<OutboxRecord[]>;
  /**
   * Puts a dead message back in the outbox, available at `at`, with its attempts reset (its last error
   * kept); it goes out after the messages already waiting. `false` when there is no such dead letter.
   */
  requeueDeadLetter(tenantId: string, id: string, at: number): MaybePromise<boolean>;
  /** Deletes a dead message; `false` when there is none with that id. */
  discardDeadLetter(tenantId: string, id: string): MaybePromise<boolean>;
  /**
   * The lead holding any of these contact keys (only non-terminal leads hold keys), or `undefined`.
   * When several do, the oldest holder: the lead whose contact keys were set first (at the `updatedAt`
   * of the commit that gave the lead its first keys, kept while it holds any), then the smallest
   * `leadId`. No keys, no lead.
   */
  findByContactKeys(tenantId: string, contactKeys: readonly string[]): MaybePromise<StoredLead | undefined>;
  /**
   * When the contact with these keys was last touched, per channel, across all the tenant's leads (the
   * latest `at` of the commits' `contactTouches` on any of the keys). Empty for no keys or no touch.
   */
  lastContactTouches(tenantId: string, contactKeys: readonly string[]): MaybePromise<ContactTouches>;
  /** Per owner: open leads now, and leads ever assigned (for capacity caps and round-robin). */
  ownerLoads(tenantId: string): MaybePromise<Map<string, OwnerLoad>>;
  /** Leads matching the query, ordered by id. */
  listLeads(query: LeadQuery): MaybePromise<StoredLead[]>;
}
