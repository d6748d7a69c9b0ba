// The complete example of docs/adapters.md, as it stands there: a storage adapter that wraps MemoryStore
// and keeps an audit trail of the commits it accepted, checked by the conformance kit.
import { MemoryStore } from '@leadline/core';
import type { ClaimedMessage, ClaimedTimer, CommitUnit, LeadQuery, LeadStore, StoreCapabilities } from '@leadline/core/adapter-kit';
import { describeLeadStore } from '@leadline/core/testing';
import { expect, it } from 'vitest';

/** Leads live in a MemoryStore; every commit the store accepted is also written to an audit trail. */
export class AuditedStore implements LeadStore {
  // Not durable and not shared: the kit skips (and names) the tests that need a store opened anew.
  readonly capabilities: StoreCapabilities = { durable: false, sharedAcrossProcesses: false };
  readonly audit: { leadId: string; version: number; eventIds: string[] }[] = [];

  constructor(private readonly inner = new MemoryStore()) {}

  commit(unit: CommitUnit): void {
    // The inner store checks the version and the event ids before it writes anything, and throws
    // VersionConflictError or DuplicateEventError; a refused commit never reaches the audit trail.
    this.inner.commit(unit);
    this.audit.push({ leadId: unit.lead.leadId, version: unit.lead.version, eventIds: unit.eventIds });
  }

  load(tenantId: string, leadId: string) {
    return this.inner.load(tenantId, leadId);
  }
  eventLead(tenantId: string, eventId: string) {
    return this.inner.eventLead(tenantId, eventId);
  }
  claimDueTimers(tenantId: string, now: number, options: { limit: number; leaseMs: number }) {
    return this.inner.claimDueTimers(tenantId, now, options);
  }
  releaseTimer(timer: ClaimedTimer) {
    return this.inner.releaseTimer(timer);
  }
  retryTimer(timer: ClaimedTimer, retry: { retryAt: number; error: string }) {
    return this.inner.retryTimer(timer, retry);
  }
  deadLetterTimer(timer: ClaimedTimer, failure: { error: string; at: number }) {
    return this.inner.deadLetterTimer(timer, failure);
  }
  timerDeadLetters(tenantId: string, limit: number) {
    return this.inner.timerDeadLetters(tenantId, limit);
  }
  requeueTimerDeadLetter(tenantId: string, eventId: string, at: number) {
    return this.inner.requeueTimerDeadLetter(tenantId, eventId, at);
  }
  discardTimerDeadLetter(tenantId: string, eventId: string) {
    return this.inner.discardTimerDeadLetter(tenantId, eventId);
  }
  nextDueAt(tenantId: string) {
    return this.inner.nextDueAt(tenantId);
  }
  timersOf(tenantId: string, leadId: string) {
    return this.inner.timersOf(tenantId, leadId);
  }
  historyOf(tenantId: string, leadId: string) {
    return this.inner.historyOf(tenantId, leadId);
  }
  pendingOutbox(tenantId: string, limit: number) {
    return this.inner.pendingOutbox(tenantId, limit);
  }
  claimOutbox(tenantId: string, now: number, options: { limit: number; leaseMs: number }) {
    return this.inner.claimOutbox(tenantId, now, options);
  }
  renewOutboxLease(message: ClaimedMessage, lease: { leaseUntil: number }) {
    return this.inner.renewOutboxLease(message, lease);
  }
  ackOutbox(message: ClaimedMessage) {
    return this.inner.ackOutbox(message);
  }
  retryOutbox(message: ClaimedMessage, retry: { retryAt: number; error: string }) {
    return this.inner.retryOutbox(message, retry);
  }
  deadLetterOutbox(message: ClaimedMessage, failure: { error: string }) {
    return this.inner.deadLetterOutbox(message, failure);
  }
  deadLetters(tenantId: string, limit: number) {
    return this.inner.deadLetters(tenantId, limit);
  }
  requeueDeadLetter(tenantId: string, id: string, at: number) {
    return this.inner.requeueDeadLetter(tenantId, id, at);
  }
  discardDeadLetter(tenantId: string, id: string) {
    return this.inner.discardDeadLetter(tenantId, id);
  }
  findByContactKeys(tenantId: string, contactKeys: readonly string[]) {
    return this.inner.findByContactKeys(tenantId, contactKeys);
  }
  lastContactTouches(tenantId: string, contactKeys: readonly string[]) {
    return this.inner.lastContactTouches(tenantId, contactKeys);
  }
  ownerLoads(tenantId: string) {
    return this.inner.ownerLoads(tenantId);
  }
  listLeads(query: LeadQuery) {
    return this.inner.listLeads(query);
  }
}

// The same suite MemoryStore and PostgresStore pass.
describeLeadStore('AuditedStore', { create: () => new AuditedStore() });

it('audits each accepted commit, and none that was refused', async () => {
  const store = new AuditedStore();
  const lead = { tenantId: 'acme', leadId: 'l1', version: 1, eventCount: 1, state: 'new' as const, open: true, overdue: false, snapshot: {}, updatedAt: 0 };
  const unit = { lead, expectedVersion: 0, timers: { upsert: [], cancel: [] }, firedTimers: [], outbox: [], history: [], eventIds: ['form-1'] };
  store.commit(unit);
  expect(() => store.commit(unit)).toThrow(/version/);
  expect(store.audit).toEqual([{ leadId: 'l1', version: 1, eventIds: ['form-1'] }]);
});
