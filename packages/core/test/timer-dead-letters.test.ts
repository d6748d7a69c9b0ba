// Timers that cannot be applied never vanish and never loop: a bad row (an unknown type, an SLA the lead
// does not have, a negative due time, a lead that is gone) goes to the timer dead letters at once, with the
// reason; a timer whose firing keeps failing is retried with a backoff and given up after its attempts;
// one whose claimer keeps dying is given up too. Each is reported through onError, listed, re-queued or
// discarded through the engine.
import {
  type ClaimedTimer,
  createEngine,
  firstTouchSla,
  type LeadStore,
  MemoryStore,
  type StoredLead,
  TimerDeadLetteredError,
  type TimerRow,
} from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const policies = { sla: firstTouchSla({ within: '5m' }) };

/** An engine on a virtual clock that keeps what reaches onError. */
function setUp(store: LeadStore = new MemoryStore(), timerRetry?: { maxAttempts?: number; backoff?: { baseMs: number; maxMs: number } }) {
  const clock = new VirtualClock('2026-03-02T09:00:00Z');
  const errors: { error: unknown; timer: ClaimedTimer | undefined }[] = [];
  const engine = createEngine({ store, clock, policies, onError: (error, timer) => errors.push({ error, timer }), ...(timerRetry ? { timerRetry } : {}) });
  return { store, clock, engine, errors };
}

/** Writes a timer row for the lead, as a corrupted or hand-edited database would hold it. */
async function plantTimer(store: LeadStore, tenantId: string, leadId: string, row: Omit<TimerRow, 'tenantId' | 'leadId'>): Promise<void> {
  const stored = (await store.load(tenantId, leadId)) as StoredLead;
  await store.commit({
    lead: { ...stored, version: stored.version + 1 },
    expectedVersion: stored.version,
    timers: { upsert: [{ tenantId, leadId, ...row }], cancel: [] },
    firedTimers: [],
    outbox: [],
    history: [],
    eventIds: [],
  });
}

function deadLettered(errors: { error: unknown }[]): TimerDeadLetteredError[] {
  return errors.map(({ error }) => error).filter((error): error is TimerDeadLetteredError => error instanceof TimerDeadLetteredError);
}

describe('a timer row that cannot be applied', () => {
  it.each([
    ['an SLA the lead does not have', { type: 'sla.breached', sla: 'no_such_sla' }, 0, /does not accept sla\.breached/],
    ['an unknown event type', { type: 'sla.exploded', sla: 'first_touch' }, 0, /event type "sla\.exploded" is not a timer's/],
    ['a negative due time', { type: 'sla.breached', sla: 'first_touch' }, -1, /due time .* is not an instant/],
  ])('with %s goes to the dead letters with the reason, and the lead keeps its history', async (_what, event, due, reason) => {
    const { store, clock, engine, errors } = setUp();
    const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    const before = (await engine.get(leadId)).history;
    const dueAt = due < 0 ? due : clock.now() + 60_000;
    // The SLA's own timer replaced by the bad row (same timer id), as a damaged database would hold it.
    await plantTimer(store, 'default', leadId, { timerId: 'sla:first_touch', dueAt, eventId: `${leadId}/sla:first_touch/bad`, event });
    clock.advance('2m');

    expect(await engine.runDue()).toEqual({ fired: 0 });
    const [dead, ...others] = await engine.timerDeadLetters();
    expect(others).toEqual([]);
    expect(dead).toMatchObject({ leadId, timerId: 'sla:first_touch', eventId: `${leadId}/sla:first_touch/bad`, attempts: 1, deadAt: clock.now() });
    expect(dead?.error).toMatch(reason);
    const [reported] = deadLettered(errors);
    expect(reported).toMatchObject({ code: 'timer_dead_lettered', leadId, timerId: 'sla:first_touch', attempts: 1 });
    expect(reported?.reason).toMatch(reason);
    expect(await store.timersOf('default', leadId)).toEqual([]);
    expect((await engine.get(leadId)).history).toEqual(before);
    // Nothing loops: the next round has nothing to do.
    expect(await engine.runDue()).toEqual({ fired: 0 });
    expect(errors).toHaveLength(1);
  });

  it('whose lead is gone goes to the dead letters instead of vanishing', async () => {
    const inner = new MemoryStore();
    const { clock, engine: writer } = setUp(inner);
    const { leadId } = await writer.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    // A store that has lost the lead's row but kept its timer.
    const lost = new Proxy(inner, {
      get(target, property) {
        const member = Reflect.get(target, property, target);
        if (property === 'load') return () => undefined;
        return typeof member === 'function' ? member.bind(target) : member;
      },
    }) as LeadStore;
    const errors: { error: unknown; timer: ClaimedTimer | undefined }[] = [];
    const worker = createEngine({ store: lost, clock, policies, onError: (error, timer) => errors.push({ error, timer }) });
    clock.advance('5m');
    expect(await worker.runDue()).toEqual({ fired: 0 });
    const [dead] = await inner.timerDeadLetters('default', 10);
    expect(dead).toMatchObject({ leadId, timerId: 'sla:first_touch' });
    expect(dead?.error).toMatch(/No lead with id/);
    expect(deadLettered(errors)).toHaveLength(1);
  });
});

describe('a timer whose firing keeps failing', () => {
  /** A memory store whose commits fail while `failing.on` is set, as a database that is down. */
  function flakyStore() {
    const inner = new MemoryStore();
    const failing = { on: true, commits: 0 };
    const store = new Proxy(inner, {
      get(target, property) {
        const member = Reflect.get(target, property, target);
        if (property === 'commit')
          return (...args: unknown[]) => {
            failing.commits++;
            if (failing.on && (args[0] as { history: { type: string }[] }).history.some((entry) => entry.type === 'sla.breached'))
              throw new Error('database down');
            return member.apply(target, args);
          };
        return typeof member === 'function' ? member.bind(target) : member;
      },
    }) as LeadStore;
    return { inner, store, failing };
  }

  it('is retried after a backoff, not every round, and given up after its attempts with the last error', async () => {
    const { inner, store } = flakyStore();
    const { clock, engine, errors } = setUp(store, { maxAttempts: 3, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    clock.advance('5m');

    await engine.runDue();
    expect(errors.map(({ error }) => (error as Error).message)).toEqual(['database down']);
    // Equal jitter on a 60 s backoff: between 30 s and 60 s from the failure, never at once.
    const retryAt = (await engine.nextDueAt()) as number;
    expect(retryAt).toBeGreaterThanOrEqual(clock.now() + 30_000);
    expect(retryAt).toBeLessThanOrEqual(clock.now() + 60_000);
    expect(await engine.runDue()).toEqual({ fired: 0 });
    expect(errors).toHaveLength(1);

    clock.set(retryAt);
    await engine.runDue();
    expect(errors).toHaveLength(2);
    const [third] = await inner.claimDueTimers('default', clock.now() + 60_000, { limit: 1, leaseMs: 1_000 });
    expect(third).toMatchObject({ attempt: 3, lastError: 'database down' });
    // That claim was this test's, standing for a worker that died holding it: its lease ends, and with
    // the third attempt used up the next claim gives the timer up.
    clock.advance('61s');
    await engine.runDue();
    const [dead] = await engine.timerDeadLetters();
    expect(dead).toMatchObject({ leadId, timerId: 'sla:first_touch', attempts: 4 });
    expect(dead?.error).toMatch(/claimed 4 times without completing; last error: database down/);
    expect(deadLettered(errors)).toHaveLength(1);
  });

  it('after its last attempt fails goes to the dead letters; re-queued once the cause is gone, it fires', async () => {
    const { store, failing } = flakyStore();
    const { clock, engine, errors } = setUp(store, { maxAttempts: 2, backoff: { baseMs: 1_000, maxMs: 1_000 } });
    const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    clock.advance('5m');
    await engine.runDue();
    clock.advance('1s');
    await engine.runDue();

    const [dead] = await engine.timerDeadLetters();
    expect(dead).toMatchObject({ leadId, timerId: 'sla:first_touch', attempts: 2, error: 'failed 2 times; last error: database down' });
    expect(errors.map(({ error }) => (error instanceof TimerDeadLetteredError ? 'dead' : (error as Error).message))).toEqual(['database down', 'dead']);
    expect(await engine.nextDueAt()).toBeUndefined();

    failing.on = false;
    expect(await engine.requeueTimer(dead?.eventId ?? '')).toBe(true);
    expect(await engine.timerDeadLetters()).toEqual([]);
    expect(await engine.runDue()).toEqual({ fired: 1 });
    // The breach is dated when the SLA was due, not when the timer was re-queued.
    expect((await engine.get(leadId)).history.at(-1)?.text).toMatch(/first_touch SLA breached at 2026-03-02T09:05Z/);
  });

  it('is discarded for good, and an unknown or repeated id is answered false', async () => {
    const { store } = flakyStore();
    const { clock, engine } = setUp(store, { maxAttempts: 1 });
    await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    clock.advance('5m');
    await engine.runDue();
    const [dead] = await engine.timerDeadLetters();
    expect(dead?.error).toBe('failed 1 times; last error: database down');
    expect(await engine.discardTimer(dead?.eventId ?? '')).toBe(true);
    expect(await engine.discardTimer(dead?.eventId ?? '')).toBe(false);
    expect(await engine.requeueTimer(dead?.eventId ?? '')).toBe(false);
    expect(await engine.requeueTimer('no-such-event')).toBe(false);
    expect(await engine.timerDeadLetters()).toEqual([]);
  });
});

describe('timer retry options', () => {
  it('are validated with their path', () => {
    expect(() => createEngine({ timerRetry: { maxAttempts: 0 } })).toThrow(/timerRetry\.maxAttempts/);
    expect(() => createEngine({ timerRetry: { backoff: { baseMs: 5_000, maxMs: 1_000 } } })).toThrow(
      /timerRetry\.backoff\.baseMs: baseMs must not exceed maxMs/,
    );
  });
});
