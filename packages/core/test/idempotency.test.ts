import { type CommitUnit, ConcurrencyError, createEngine, type LeadStore, MemoryStore, VersionConflictError } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { fiveMinuteSla } from './policies.js';

const at = Date.parse('2026-03-02T09:00:00Z');

async function newLead(store = new MemoryStore()) {
  const engine = createEngine({ store, clock: new VirtualClock(at), policies: fiveMinuteSla });
  const { leadId } = await engine.capture({ id: 'form-1', at, source: 'web', contact: {} });
  return { engine, store, leadId };
}

describe('the same event is applied once', () => {
  it('ignores a redelivered event id', async () => {
    const { engine, leadId } = await newLead();
    const event = { type: 'lead.assigned', id: 'crm-77', at, owner: 'ann' } as const;
    expect(await engine.dispatch(leadId, event)).toMatchObject({ applied: true, version: 2 });
    expect(await engine.dispatch(leadId, event)).toMatchObject({ applied: false, version: 2 });
    expect(await engine.dispatch(leadId, event)).toMatchObject({ applied: false, version: 2 });
    const view = await engine.get(leadId);
    expect(view.history.filter((entry) => entry.eventId === 'crm-77')).toHaveLength(1);
  });

  it('returns the existing lead for a repeated intake id', async () => {
    const { engine, leadId } = await newLead();
    const again = await engine.capture({ id: 'form-1', at, source: 'web', contact: {} });
    expect(again).toMatchObject({ leadId, outcome: 'duplicate', version: 1 });
  });

  it('refuses an event id already used on another lead, writing nothing', async () => {
    const { engine, leadId } = await newLead();
    const other = await engine.capture({ id: 'form-2', at, source: 'web', contact: {} });
    await engine.dispatch(leadId, { type: 'lead.assigned', id: 'shared', at, owner: 'ann' });
    await expect(engine.dispatch(other.leadId, { type: 'lead.assigned', id: 'shared', at, owner: 'bob' })).rejects.toMatchObject({
      code: 'validation_failed',
      problems: [{ path: ['id'], code: 'duplicate_event_id' }],
    });
    expect((await engine.get(other.leadId)).version).toBe(1);
  });
});

describe('concurrent dispatches on one lead', () => {
  it('applies both, in call order, through one engine', async () => {
    const { engine, leadId } = await newLead();
    const results = await Promise.all([
      engine.dispatch(leadId, { type: 'lead.assigned', id: 'a', at, owner: 'ann' }),
      engine.dispatch(leadId, { type: 'touch.logged', id: 'b', at: at + 60_000, channel: 'call', outcome: 'voicemail' }),
    ]);
    expect(results.map((result) => result.version)).toEqual([2, 3]);
    const history = (await engine.get(leadId)).history.map((entry) => entry.eventId);
    expect(history).toEqual(['form-1', 'a', 'b']);
  });

  it('applies both when two engines race on one store: the loser retries on the new version', async () => {
    const store = new MemoryStore();
    const { leadId } = await newLead(store);
    // Both engines load version 1 before either commits, so one commit meets a version conflict.
    const gate = gatedStore(store);
    const a = createEngine({ store: gate.store, policies: fiveMinuteSla, cacheSize: 0 });
    const b = createEngine({ store: gate.store, policies: fiveMinuteSla, cacheSize: 0 });
    const both = Promise.all([
      a.dispatch(leadId, { type: 'lead.assigned', id: 'from-a', at, owner: 'ann' }),
      b.dispatch(leadId, { type: 'touch.logged', id: 'from-b', at: at + 1000, channel: 'email', outcome: 'sent' }),
    ]);
    await gate.bothLoaded;
    gate.open();
    await both;
    expect(gate.conflicts()).toBe(1);
    const view = await a.get(leadId);
    expect(view.version).toBe(3);
    expect(view.history.map((entry) => entry.eventId).sort()).toEqual(['form-1', 'from-a', 'from-b']);
    expect(view.lead.touches).toBe(1);
    expect(view.owner).toBe('ann');
  });

  it('gives up with ConcurrencyError when the lead keeps changing, and writes nothing', async () => {
    const { store, leadId } = await newLead();
    const hostile = Object.create(store) as LeadStore;
    hostile.commit = async (unit: CommitUnit) => {
      throw new VersionConflictError(unit.lead.leadId, unit.expectedVersion, unit.expectedVersion + 1);
    };
    const engine = createEngine({ store: hostile, policies: fiveMinuteSla, maxAttempts: 3 });
    const error = await engine.dispatch(leadId, { type: 'lead.assigned', id: 'x', at, owner: 'ann' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'concurrency_conflict', attempts: 3, leadId });
    expect((await store.load('default', leadId))?.version).toBe(1);
  });
});

/** A store whose loads wait until two loads have happened and the test opens the gate. */
function gatedStore(inner: MemoryStore) {
  let loads = 0;
  let conflicts = 0;
  let release: () => void = () => {};
  let reached: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  const bothLoaded = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const store = Object.create(inner) as LeadStore;
  store.load = async (tenantId: string, leadId: string) => {
    const lead = await inner.load(tenantId, leadId);
    loads++;
    if (loads === 2) reached();
    if (loads <= 2) await opened;
    return lead;
  };
  store.commit = async (unit: CommitUnit) => {
    try {
      await inner.commit(unit);
    } catch (error) {
      if (error instanceof VersionConflictError) conflicts++;
      throw error;
    }
  };
  return { store, bothLoaded, open: release, conflicts: () => conflicts };
}
