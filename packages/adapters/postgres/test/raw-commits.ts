// Store rows written by hand for tests that talk to the adapter below the engine: a stored lead and the
// commit unit that writes it, with plain defaults each test overrides.
import type { CommitUnit, StoredLead } from '@leadline/core';

export const T0 = Date.parse('2026-03-02T09:00:00Z');

/** An open, assigned lead of tenant `acme` at version 1, with an empty snapshot. */
export function rawLead(leadId: string, extra: Partial<StoredLead> = {}): StoredLead {
  return {
    tenantId: 'acme',
    leadId,
    version: 1,
    eventCount: 1,
    state: 'assigned',
    open: true,
    overdue: false,
    snapshot: { value: {} },
    updatedAt: T0,
    ...extra,
  };
}

/** The commit that writes `stored` from the version before it, with nothing else in it. */
export function rawCommit(stored: StoredLead, parts: Partial<CommitUnit> = {}): CommitUnit {
  return {
    lead: stored,
    expectedVersion: stored.version - 1,
    timers: { upsert: [], cancel: [] },
    firedTimers: [],
    outbox: [],
    history: [],
    eventIds: [`${stored.leadId}/e${stored.version}`],
    ...parts,
  };
}
