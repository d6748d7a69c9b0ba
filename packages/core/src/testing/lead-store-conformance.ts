/**
 * The `LeadStore` conformance suite: the tests every storage adapter runs, ours and yours. Give it a
 * factory of fresh, empty stores; it checks versioning, atomic commits, timers with leases, the outbox,
 * idempotency, queries and tenant isolation. What a store declares it cannot do (see
 * `StoreCapabilities`) is skipped with a message, never silently passed.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import { AssignmentConflictError, DuplicateEventError, VersionConflictError } from '../errors.js';
import type { LifecycleState } from '../lead/states.js';
import type { ClaimedMessage, CommitUnit, LeadStore, OutboxMessage, StoredLead, TimerRow } from '../store/lead-store.js';

/**
 * How the suite gets stores.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@leadline/core';
 * import type { LeadStoreSuiteOptions } from '@leadline/core/testing';
 *
 * const options: LeadStoreSuiteOptions = { create: async () => new MemoryStore() };
 * ```
 */
export interface LeadStoreSuiteOptions {
  /** A fresh, empty store. Called once per test. */
  create(): Promise<LeadStore> | LeadStore;
  /**
   * A second store over the same data as `store` (another process, after a crash). Needed for the tests
   * of durable or shared stores; without it those tests are skipped with a message.
   */
  reopen?(store: LeadStore): Promise<LeadStore> | LeadStore;
  /** Releases what `create` made (connections, schemas). */
  destroy?(store: LeadStore): Promise<void> | void;
}

const T0 = Date.parse('2026-03-02T09:00:00Z');

function lead(leadId: string, version: number, extra: Partial<StoredLead> = {}): StoredLead {
  return {
    tenantId: 'acme',
    leadId,
    version,
    eventCount: version,
    state: 'new',
    open: true,
    overdue: false,
    snapshot: { value: { open: { stage: 'new' } }, context: { leadId } },
    updatedAt: T0,
    ...extra,
  };
}

function timer(leadId: string, timerId: string, dueAt: number, tenantId = 'acme'): TimerRow {
  return { tenantId, leadId, timerId, dueAt, eventId: `${leadId}/${timerId}/${dueAt}`, event: { type: 'sla.breached', sla: 'first_touch' } };
}

function message(leadId: string, id: string, createdAt = T0, tenantId = 'acme'): OutboxMessage {
  return {
    id,
    tenantId,
    leadId,
    kind: 'sla.breached',
    channel: 'email',
    to: ['ann'],
    summary: `breach of ${leadId}`,
    lead: { leadId, source: 'web', state: 'assigned', activities: [] },
    createdAt,
  };
}

function unit(stored: StoredLead, parts: Partial<Omit<CommitUnit, 'lead'>> = {}): CommitUnit {
  return {
    lead: stored,
    expectedVersion: stored.version - 1,
    timers: { upsert: [], cancel: [] },
    firedTimers: [],
    outbox: [],
    history: [
      {
        tenantId: stored.tenantId,
        leadId: stored.leadId,
        seq: stored.eventCount,
        eventId: `${stored.leadId}/e${stored.version}`,
        type: 'lead.captured',
        at: T0,
        from: null,
        to: stored.state,
        notes: [],
      },
    ],
    eventIds: [`${stored.leadId}/e${stored.version}`],
    ...parts,
  };
}

/** Runs a store call that may throw synchronously or reject, as a promise. */
function attempt(call: () => unknown): Promise<unknown> {
  return Promise.resolve().then(call);
}

/**
 * Declares the conformance suite (vitest `describe` blocks) for a store.
 *
 * @example
 * ```ts
 * // test/memory-store.test.ts: a store that is not durable needs no `reopen`, and one with nothing to release no `destroy`
 * import { MemoryStore } from '@leadline/core';
 * import { describeLeadStore } from '@leadline/core/testing';
 *
 * describeLeadStore('MemoryStore', { create: () => new MemoryStore() });
 * ```
 */
export function describeLeadStore(name: string, options: LeadStoreSuiteOptions): void {
  const withStore = (test: (store: LeadStore) => Promise<void>) => async () => {
    const store = await options.create();
    try {
      await test(store);
    } finally {
      await options.destroy?.(store);
    }
  };

  describe(`LeadStore conformance: ${name}`, () => {
    describe('versions', () => {
      it(
        'creates a lead at version 1 and moves it one version per commit',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1)));
          await store.commit(unit(lead('l1', 2, { state: 'assigned', owner: 'ann' })));
          expect(await store.load('acme', 'l1')).toMatchObject({ version: 2, state: 'assigned', owner: 'ann', snapshot: { context: { leadId: 'l1' } } });
          expect(await store.load('acme', 'missing')).toBeUndefined();
        }),
      );

      it(
        'refuses a stale version, a skipped version and a second creation with VersionConflictError',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1)));
          await expect(attempt(() => store.commit(unit(lead('l1', 1))))).rejects.toBeInstanceOf(VersionConflictError);
          await expect(attempt(() => store.commit({ ...unit(lead('l1', 3)), expectedVersion: 1 }))).rejects.toBeInstanceOf(VersionConflictError);
          await store.commit(unit(lead('l1', 2)));
          await expect(attempt(() => store.commit(unit(lead('l1', 2))))).rejects.toBeInstanceOf(VersionConflictError);
        }),
      );
    });

    describe('atomic commits', () => {
      it(
        'writes snapshot, timers, outbox, history and event ids together',
        withStore(async (store) => {
          await store.commit(
            unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'sla:first_touch', T0 + 300_000)], cancel: [] }, outbox: [message('l1', 'm1')] }),
          );
          expect(await store.timersOf('acme', 'l1')).toEqual([timer('l1', 'sla:first_touch', T0 + 300_000)]);
          expect((await store.pendingOutbox('acme', 10)).map((record) => record.id)).toEqual(['m1']);
          expect((await store.historyOf('acme', 'l1')).map((entry) => entry.eventId)).toEqual(['l1/e1']);
          expect(await store.eventLead('acme', 'l1/e1')).toBe('l1');
        }),
      );

      it(
        'writes nothing of a refused commit',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1)));
          const refused = unit(lead('l1', 3, { state: 'working' }), {
            timers: { upsert: [timer('l1', 'cadence', T0)], cancel: [] },
            outbox: [message('l1', 'm-refused')],
            eventIds: ['refused-event'],
          });
          await expect(attempt(() => store.commit({ ...refused, expectedVersion: 5 }))).rejects.toBeInstanceOf(VersionConflictError);
          const duplicate = unit(lead('l1', 2), {
            timers: { upsert: [timer('l1', 'cadence', T0)], cancel: [] },
            outbox: [message('l1', 'm-dup')],
            eventIds: ['l1/e1'],
          });
          await expect(attempt(() => store.commit(duplicate))).rejects.toBeInstanceOf(DuplicateEventError);
          expect(await store.load('acme', 'l1')).toMatchObject({ version: 1, state: 'new' });
          expect(await store.timersOf('acme', 'l1')).toEqual([]);
          expect(await store.pendingOutbox('acme', 10)).toEqual([]);
          expect(await store.historyOf('acme', 'l1')).toHaveLength(1);
          expect(await store.eventLead('acme', 'refused-event')).toBeUndefined();
        }),
      );
    });

    describe('routed commits', () => {
      it(
        'refuses a routed commit whose owner holds more open leads than routing saw with AssignmentConflictError, writing nothing; the lead itself does not count',
        withStore(async (store) => {
          const routed = (stored: StoredLead, openBefore: number, parts: Partial<Omit<CommitUnit, 'lead'>> = {}) =>
            unit(stored, { routedTo: { owner: stored.owner ?? '', openBefore }, ...parts });
          await store.commit(routed(lead('l1', 1, { state: 'assigned', owner: 'ann' }), 0));
          // Routed to ann again (a reassignment to the same owner): l1 already counts for ann, not against itself.
          await store.commit(routed(lead('l1', 2, { state: 'assigned', owner: 'ann' }), 0));

          const refused = routed(lead('l2', 1, { state: 'assigned', owner: 'ann' }), 0, {
            timers: { upsert: [timer('l2', 'sla:first_touch', T0 + 300_000)], cancel: [] },
            outbox: [message('l2', 'm-refused')],
          });
          const error = await attempt(() => store.commit(refused)).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(AssignmentConflictError);
          expect(error).toMatchObject({ code: 'assignment_conflict', leadId: 'l2', owner: 'ann' });
          expect(await store.load('acme', 'l2')).toBeUndefined();
          expect(await store.historyOf('acme', 'l2')).toEqual([]);
          expect(await store.eventLead('acme', 'l2/e1')).toBeUndefined();
          expect(await store.timersOf('acme', 'l2')).toEqual([]);
          expect(await store.pendingOutbox('acme', 10)).toEqual([]);
          expect((await store.ownerLoads('acme')).get('ann')).toEqual({ open: 1, assigned: 1 });

          // Routing that saw ann's one open lead goes through; so does another rep's first.
          await store.commit(routed(lead('l2', 1, { state: 'assigned', owner: 'ann' }), 1));
          await store.commit(routed(lead('l3', 1, { state: 'assigned', owner: 'bob' }), 0));
          expect(await store.load('acme', 'l2')).toMatchObject({ version: 1, owner: 'ann' });
          expect((await store.ownerLoads('acme')).get('ann')).toEqual({ open: 2, assigned: 2 });
          expect((await store.ownerLoads('acme')).get('bob')).toEqual({ open: 1, assigned: 1 });
        }),
      );
    });

    describe('timers', () => {
      it(
        'replaces a timer raised again with the same id, and cancels',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'cadence', T0 + 1000), timer('l1', 'sla:a', T0 + 5000)], cancel: [] } }));
          await store.commit(unit(lead('l1', 2), { timers: { upsert: [timer('l1', 'cadence', T0 + 9000)], cancel: ['sla:a'] } }));
          expect((await store.timersOf('acme', 'l1')).map((row) => [row.timerId, row.dueAt])).toEqual([['cadence', T0 + 9000]]);
          expect(await store.claimDueTimers('acme', T0 + 8000, { limit: 10, leaseMs: 1000 })).toEqual([]);
          expect(await store.nextDueAt('acme')).toBe(T0 + 9000);
        }),
      );

      it(
        'claims due timers earliest first, leases them, and hands them again only after the lease',
        withStore(async (store) => {
          for (const [index, due] of [30, 10, 20, 99].entries()) {
            await store.commit(unit(lead(`l${index}`, 1), { timers: { upsert: [timer(`l${index}`, 'sla:a', T0 + due)], cancel: [] } }));
          }
          const first = await store.claimDueTimers('acme', T0 + 50, { limit: 10, leaseMs: 1000 });
          expect(first.map((row) => row.dueAt)).toEqual([T0 + 10, T0 + 20, T0 + 30]);
          // Before the lease ends only the timer nobody holds is handed out.
          expect((await store.claimDueTimers('acme', T0 + 1049, { limit: 10, leaseMs: 1000 })).map((row) => row.dueAt)).toEqual([T0 + 99]);
          const again = await store.claimDueTimers('acme', T0 + 1050, { limit: 10, leaseMs: 1000 });
          expect(again.map((row) => row.dueAt)).toEqual([T0 + 10, T0 + 20, T0 + 30]);
          expect(again.every((row, index) => row.claimToken !== first[index]?.claimToken)).toBe(true);
          // A stale claim no longer releases the timer; the current one does.
          await store.releaseTimer(first[0] as never);
          expect(await store.timersOf('acme', 'l1')).toHaveLength(1);
          await store.releaseTimer(again[0] as never);
          expect(await store.timersOf('acme', 'l1')).toEqual([]);
        }),
      );

      it(
        'never hands one timer to two claimers at once',
        withStore(async (store) => {
          for (let index = 0; index < 20; index++) {
            await store.commit(unit(lead(`l${index}`, 1), { timers: { upsert: [timer(`l${index}`, 'sla:a', T0)], cancel: [] } }));
          }
          const other = options.reopen ? await options.reopen(store) : store;
          const claims = await Promise.all([
            store.claimDueTimers('acme', T0, { limit: 7, leaseMs: 60_000 }),
            other.claimDueTimers('acme', T0, { limit: 7, leaseMs: 60_000 }),
            store.claimDueTimers('acme', T0, { limit: 7, leaseMs: 60_000 }),
          ]);
          const claimed = claims.flat().map((row) => row.leadId);
          expect(claimed).toHaveLength(20);
          expect(new Set(claimed).size).toBe(20);
        }),
      );

      it(
        'deletes a fired timer in the commit that applies its event, only while the claim holds',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'sla:a', T0)], cancel: [] } }));
          const [claimed] = await store.claimDueTimers('acme', T0, { limit: 1, leaseMs: 1000 });
          await store.commit(unit(lead('l1', 2), { firedTimers: [{ timerId: 'sla:a', claimToken: 'not-the-claim' }] }));
          expect(await store.timersOf('acme', 'l1')).toHaveLength(1);
          await store.commit(unit(lead('l1', 3), { firedTimers: [{ timerId: 'sla:a', claimToken: claimed?.claimToken ?? '' }] }));
          expect(await store.timersOf('acme', 'l1')).toEqual([]);
        }),
      );
    });

    describe('timer attempts and dead letters', () => {
      it(
        'counts the claims of a timer, and a timer raised anew starts from none',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'sla:a', T0)], cancel: [] } }));
          const [first] = await store.claimDueTimers('acme', T0, { limit: 1, leaseMs: 1000 });
          expect(first).toMatchObject({ attempt: 1 });
          expect(first?.lastError).toBeUndefined();
          // The claimer died: claimed again when the lease ends, as the second attempt.
          const [second] = await store.claimDueTimers('acme', T0 + 1000, { limit: 1, leaseMs: 1000 });
          expect(second).toMatchObject({ attempt: 2 });
          await store.commit(unit(lead('l1', 2), { timers: { upsert: [timer('l1', 'sla:a', T0 + 5000)], cancel: [] } }));
          const [fresh] = await store.claimDueTimers('acme', T0 + 5000, { limit: 1, leaseMs: 1000 });
          expect(fresh).toMatchObject({ dueAt: T0 + 5000, attempt: 1 });
        }),
      );

      it(
        'retries a failed timer at the time given, with the error kept for the next claim, only while the claim holds',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'sla:a', T0)], cancel: [] } }));
          const [claimed] = await store.claimDueTimers('acme', T0, { limit: 1, leaseMs: 60_000 });
          if (!claimed) throw new Error('no timer claimed');
          await store.retryTimer({ ...claimed, claimToken: 'not-the-claim' }, { retryAt: T0 + 10, error: 'ignored' });
          expect(await store.claimDueTimers('acme', T0 + 10, { limit: 1, leaseMs: 1000 })).toEqual([]);
          await store.retryTimer(claimed, { retryAt: T0 + 2000, error: 'database down' });
          expect(await store.nextDueAt('acme')).toBe(T0 + 2000);
          expect(await store.claimDueTimers('acme', T0 + 1999, { limit: 1, leaseMs: 1000 })).toEqual([]);
          const [again] = await store.claimDueTimers('acme', T0 + 2000, { limit: 1, leaseMs: 1000 });
          expect(again).toMatchObject({ timerId: 'sla:a', dueAt: T0, attempt: 2, lastError: 'database down' });
          // The old claim is over: a late commit of the failed attempt does not delete the timer.
          await store.commit(unit(lead('l1', 2), { firedTimers: [{ timerId: 'sla:a', claimToken: claimed.claimToken }] }));
          expect(await store.timersOf('acme', 'l1')).toHaveLength(1);
        }),
      );

      it(
        'moves a given-up timer to the dead letters with its reason, lists, re-queues and discards them, per tenant',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'sla:a', T0), timer('l1', 'cadence', T0 + 1)], cancel: [] } }));
          await store.commit(unit(lead('g1', 1, { tenantId: 'globex' }), { timers: { upsert: [timer('g1', 'sla:a', T0, 'globex')], cancel: [] } }));
          const claimed = await store.claimDueTimers('acme', T0 + 1, { limit: 2, leaseMs: 1000 });
          const [sla, cadence] = claimed;
          if (!sla || !cadence) throw new Error('two timers expected');
          expect(await store.deadLetterTimer({ ...sla, claimToken: 'not-the-claim' }, { error: 'ignored', at: T0 + 5 })).toBe(false);
          expect(await store.timerDeadLetters('acme', 10)).toEqual([]);
          expect(await store.deadLetterTimer(cadence, { error: 'lead l1 does not take it', at: T0 + 6 })).toBe(true);
          expect(await store.deadLetterTimer(sla, { error: 'lead l1 has no SLA "a"', at: T0 + 5 })).toBe(true);
          expect(await store.timersOf('acme', 'l1')).toEqual([]);
          expect(await store.nextDueAt('acme')).toBeUndefined();
          const dead = await store.timerDeadLetters('acme', 10);
          expect(dead).toEqual([
            { ...timer('l1', 'sla:a', T0), attempts: 1, error: 'lead l1 has no SLA "a"', deadAt: T0 + 5 },
            { ...timer('l1', 'cadence', T0 + 1), attempts: 1, error: 'lead l1 does not take it', deadAt: T0 + 6 },
          ]);
          expect(await store.timerDeadLetters('acme', 1)).toHaveLength(1);
          expect(await store.timerDeadLetters('globex', 10)).toEqual([]);

          // Re-queued: claimable at the time given, its attempts reset, its event id and due time kept.
          expect(await store.requeueTimerDeadLetter('acme', sla.eventId, T0 + 100)).toBe(true);
          expect(await store.requeueTimerDeadLetter('acme', sla.eventId, T0 + 100)).toBe(false);
          expect(await store.requeueTimerDeadLetter('globex', cadence.eventId, T0 + 100)).toBe(false);
          expect(await store.claimDueTimers('acme', T0 + 99, { limit: 5, leaseMs: 1000 })).toEqual([]);
          const [back] = await store.claimDueTimers('acme', T0 + 100, { limit: 5, leaseMs: 1000 });
          expect(back).toMatchObject({ timerId: 'sla:a', dueAt: T0, eventId: sla.eventId, attempt: 1 });

          // A dead timer whose lead raised the same timer anew is out of date: it stays, to be discarded.
          await store.commit(unit(lead('l1', 2), { timers: { upsert: [timer('l1', 'cadence', T0 + 9000)], cancel: [] } }));
          expect(await store.requeueTimerDeadLetter('acme', cadence.eventId, T0 + 100)).toBe(false);
          expect(await store.timerDeadLetters('acme', 10)).toHaveLength(1);
          expect(await store.discardTimerDeadLetter('acme', cadence.eventId)).toBe(true);
          expect(await store.discardTimerDeadLetter('acme', cadence.eventId)).toBe(false);
          expect(await store.timerDeadLetters('acme', 10)).toEqual([]);
          expect((await store.timersOf('acme', 'l1')).map((row) => row.dueAt)).toEqual([T0, T0 + 9000]);
        }),
      );
    });

    describe('outbox', () => {
      it(
        'claims, acknowledges, retries after a backoff, and dead-letters',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { outbox: [message('l1', 'm1'), message('l1', 'm2'), message('l1', 'm3')] }));
          const claimed = await store.claimOutbox('acme', T0, { limit: 10, leaseMs: 1000 });
          expect(claimed.map((record) => [record.id, record.attempts])).toEqual([
            ['m1', 0],
            ['m2', 0],
            ['m3', 0],
          ]);
          expect(await store.claimOutbox('acme', T0 + 500, { limit: 10, leaseMs: 1000 })).toEqual([]);
          const [m1, m2, m3] = claimed as [ClaimedMessage, ClaimedMessage, ClaimedMessage];
          await store.ackOutbox(m1);
          await store.retryOutbox(m2, { retryAt: T0 + 5000, error: 'HTTP 503' });
          await store.deadLetterOutbox(m3, { error: 'HTTP 400' });
          expect((await store.pendingOutbox('acme', 10)).map((record) => [record.id, record.attempts, record.lastError])).toEqual([['m2', 1, 'HTTP 503']]);
          expect(await store.claimOutbox('acme', T0 + 4999, { limit: 10, leaseMs: 1000 })).toEqual([]);
          expect((await store.claimOutbox('acme', T0 + 5000, { limit: 10, leaseMs: 1000 })).map((record) => record.id)).toEqual(['m2']);
          expect((await store.deadLetters('acme', 10)).map((record) => [record.id, record.lastError])).toEqual([['m3', 'HTTP 400']]);
        }),
      );

      it(
        'hands a message whose dispatcher died to another after the lease, and ignores the stale claim',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { outbox: [message('l1', 'm1')] }));
          const [stale] = await store.claimOutbox('acme', T0, { limit: 1, leaseMs: 1000 });
          const [fresh] = await store.claimOutbox('acme', T0 + 1000, { limit: 1, leaseMs: 1000 });
          expect(fresh?.id).toBe('m1');
          await store.ackOutbox(stale as ClaimedMessage);
          expect(await store.pendingOutbox('acme', 10)).toHaveLength(1);
          await store.ackOutbox(fresh as ClaimedMessage);
          expect(await store.pendingOutbox('acme', 10)).toEqual([]);
        }),
      );

      it(
        're-queues a dead message after those waiting, with its attempts reset and its last error kept, and discards one, per tenant',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { outbox: [message('l1', 'm1'), message('l1', 'm2'), message('l1', 'm3')] }));
          const [m1, m2] = (await store.claimOutbox('acme', T0, { limit: 2, leaseMs: 1000 })) as [ClaimedMessage, ClaimedMessage];
          await store.deadLetterOutbox(m1, { error: 'HTTP 410' });
          await store.deadLetterOutbox(m2, { error: 'HTTP 400' });
          expect(await store.requeueDeadLetter('globex', 'm1', T0 + 100)).toBe(false);
          expect(await store.requeueDeadLetter('acme', 'm1', T0 + 100)).toBe(true);
          expect(await store.requeueDeadLetter('acme', 'm1', T0 + 100)).toBe(false);
          expect((await store.deadLetters('acme', 10)).map((record) => record.id)).toEqual(['m2']);
          expect((await store.pendingOutbox('acme', 10)).map((record) => [record.id, record.attempts, record.availableAt, record.lastError])).toEqual([
            ['m3', 0, T0, undefined],
            ['m1', 0, T0 + 100, 'HTTP 410'],
          ]);
          expect((await store.claimOutbox('acme', T0 + 99, { limit: 10, leaseMs: 1000 })).map((record) => record.id)).toEqual(['m3']);
          expect((await store.claimOutbox('acme', T0 + 100, { limit: 10, leaseMs: 1000 })).map((record) => record.id)).toEqual(['m1']);
          expect(await store.discardDeadLetter('globex', 'm2')).toBe(false);
          expect(await store.discardDeadLetter('acme', 'm2')).toBe(true);
          expect(await store.discardDeadLetter('acme', 'm2')).toBe(false);
          expect(await store.deadLetters('acme', 10)).toEqual([]);
        }),
      );
    });

    describe('idempotency', () => {
      it(
        'remembers which lead applied an event id, per tenant',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { eventIds: ['form-1', 'form-1#route'] }));
          expect(await store.eventLead('acme', 'form-1')).toBe('l1');
          expect(await store.eventLead('acme', 'form-1#route')).toBe('l1');
          expect(await store.eventLead('globex', 'form-1')).toBeUndefined();
          await expect(attempt(() => store.commit(unit(lead('l2', 1), { eventIds: ['form-1'] })))).rejects.toMatchObject({ eventId: 'form-1', leadId: 'l1' });
        }),
      );
    });

    describe('queries', () => {
      it(
        'finds leads by state, owner, overdue and tenant; counts owner loads; finds duplicates',
        withStore(async (store) => {
          const rows: [string, LifecycleState, string | undefined, boolean, boolean][] = [
            ['a', 'working', 'ann', true, false],
            ['b', 'working', 'bob', true, true],
            ['c', 'recycled', 'ann', false, false],
            ['d', 'assigned', 'ann', true, true],
          ];
          for (const [id, state, owner, open, overdue] of rows) {
            await store.commit(unit(lead(id, 1, { state, open, overdue, contactKeys: [`email:${id}@example.com`], ...(owner ? { owner } : {}) })));
          }
          await store.commit(unit(lead('x', 1, { tenantId: 'globex', state: 'working', owner: 'ann' })));
          const ids = async (query: Parameters<LeadStore['listLeads']>[0]) => (await store.listLeads(query)).map((row) => row.leadId);
          expect(await ids({ tenantId: 'acme' })).toEqual(['a', 'b', 'c', 'd']);
          expect(await ids({ tenantId: 'acme', state: 'working' })).toEqual(['a', 'b']);
          expect(await ids({ tenantId: 'acme', owner: 'ann' })).toEqual(['a', 'c', 'd']);
          expect(await ids({ tenantId: 'acme', overdue: true })).toEqual(['b', 'd']);
          expect(await ids({ tenantId: 'acme', limit: 2 })).toEqual(['a', 'b']);
          expect(await ids({ tenantId: 'globex' })).toEqual(['x']);
          expect(await store.ownerLoads('acme')).toEqual(
            new Map([
              ['ann', { open: 2, assigned: 3 }],
              ['bob', { open: 1, assigned: 1 }],
            ]),
          );
          expect((await store.findByContactKeys('acme', ['email:c@example.com']))?.leadId).toBe('c');
          expect(await store.findByContactKeys('globex', ['email:c@example.com'])).toBeUndefined();
        }),
      );
    });

    describe('contact keys', () => {
      const ada = ['email:ada@example.com', 'phone:+4930123456'];
      const holder = async (store: LeadStore, keys: readonly string[], tenantId = 'acme') => (await store.findByContactKeys(tenantId, keys))?.leadId;

      it(
        'finds the lead by its phone key only, by its email key only, or by either, and keeps its keys',
        withStore(async (store) => {
          await store.commit(unit(lead('ada', 1, { contactKeys: ada })));
          await store.commit(unit(lead('bob', 1, { contactKeys: ['email:bob@example.com'] })));
          await store.commit(unit(lead('cy', 1, { contactKeys: ['phone:+14155552671'] })));
          // Keys are any text: quotes, commas, braces and backslashes included.
          const odd = 'email:"o\'brien, {jr}\\"@example.com';
          await store.commit(unit(lead('odd', 1, { contactKeys: [odd] }), { contactTouches: [{ keys: [odd], channel: 'sms', at: T0 }] }));
          expect(await holder(store, [odd])).toBe('odd');
          expect(await holder(store, ['email:"o\'brien'])).toBeUndefined();
          expect((await store.load('acme', 'odd'))?.contactKeys).toEqual([odd]);
          expect(await store.lastContactTouches('acme', [odd])).toEqual({ sms: T0 });
          expect(await holder(store, ['phone:+4930123456'])).toBe('ada');
          expect(await holder(store, ['email:ada@example.com'])).toBe('ada');
          expect(await holder(store, ['email:nobody@example.com', 'phone:+4930123456'])).toBe('ada');
          expect(await holder(store, ['email:ada@example.com', 'phone:+4999999999'])).toBe('ada');
          expect(await holder(store, ['email:bob@example.com'])).toBe('bob');
          expect(await holder(store, ['phone:+14155552671'])).toBe('cy');
          expect(await holder(store, ['email:nobody@example.com', 'phone:+4999999999'])).toBeUndefined();
          expect(await holder(store, [])).toBeUndefined();
          expect(await holder(store, ['phone:+4930123456'], 'globex')).toBeUndefined();
          expect((await store.load('acme', 'ada'))?.contactKeys).toEqual(ada);
          expect((await store.load('acme', 'bob'))?.contactKeys).toEqual(['email:bob@example.com']);
        }),
      );

      it(
        'answers the oldest holder when several leads match: keys set first, then the smallest lead id',
        withStore(async (store) => {
          // 'late' was created last but its keys are the oldest; 'b' and 'a' tie on time.
          await store.commit(unit(lead('b', 1, { contactKeys: ['phone:+4930123456'], updatedAt: T0 + 2000 })));
          await store.commit(unit(lead('a', 1, { contactKeys: ['email:ada@example.com'], updatedAt: T0 + 2000 })));
          await store.commit(unit(lead('late', 1, { contactKeys: ['phone:+4930123456'], updatedAt: T0 + 1000 })));
          expect(await holder(store, ada)).toBe('late');
          expect(await holder(store, ['email:ada@example.com'])).toBe('a');
          // A later commit of a lead that keeps its keys does not make it younger.
          await store.commit(unit(lead('late', 2, { contactKeys: ['phone:+4930123456'], updatedAt: T0 + 9000 })));
          expect(await holder(store, ada)).toBe('late');
          // Its keys cleared (a terminal state), it is no holder; the next oldest is found.
          await store.commit(unit(lead('late', 3, { state: 'converted', open: false, updatedAt: T0 + 9500 })));
          expect(await holder(store, ada)).toBe('a');
          expect(await holder(store, ['phone:+4930123456'])).toBe('b');
          expect((await store.load('acme', 'late'))?.contactKeys ?? []).toEqual([]);
          await store.commit(unit(lead('a', 2, { state: 'disqualified', open: false, updatedAt: T0 + 9600 })));
          await store.commit(unit(lead('b', 2, { state: 'disqualified', open: false, updatedAt: T0 + 9700 })));
          expect(await holder(store, ada)).toBeUndefined();
        }),
      );

      it(
        'keeps the latest touch per channel across every lead of the contact, and writes none of a refused commit',
        withStore(async (store) => {
          expect(await store.lastContactTouches('acme', ada)).toEqual({});
          await store.commit(
            unit(lead('ada', 1, { contactKeys: ada }), {
              contactTouches: [
                { keys: ada, channel: 'call', at: T0 + 1000 },
                { keys: ada, channel: 'email', at: T0 + 5000 },
                // An older touch later in the same commit changes nothing.
                { keys: ada, channel: 'call', at: T0 + 500 },
              ],
            }),
          );
          // Another lead of the same person, by phone only: its call is the latest.
          await store.commit(
            unit(lead('ada-2', 1, { contactKeys: ['phone:+4930123456'] }), {
              contactTouches: [{ keys: ['phone:+4930123456'], channel: 'call', at: T0 + 3000 }],
            }),
          );
          expect(await store.lastContactTouches('acme', ada)).toEqual({ call: T0 + 3000, email: T0 + 5000 });
          expect(await store.lastContactTouches('acme', ['email:ada@example.com'])).toEqual({ call: T0 + 1000, email: T0 + 5000 });
          expect(await store.lastContactTouches('acme', ['phone:+4930123456', 'email:nobody@example.com'])).toEqual({ call: T0 + 3000, email: T0 + 5000 });
          // An older touch logged late does not move the latest back.
          await store.commit(unit(lead('ada', 2, { contactKeys: ada }), { contactTouches: [{ keys: ada, channel: 'call', at: T0 + 2000 }] }));
          expect(await store.lastContactTouches('acme', ['email:ada@example.com'])).toEqual({ call: T0 + 2000, email: T0 + 5000 });
          expect(await store.lastContactTouches('acme', ada)).toEqual({ call: T0 + 3000, email: T0 + 5000 });
          const refused = unit(lead('ada', 3, { contactKeys: ada }), { contactTouches: [{ keys: ada, channel: 'sms', at: T0 + 9000 }] });
          await expect(attempt(() => store.commit({ ...refused, expectedVersion: 7 }))).rejects.toBeInstanceOf(VersionConflictError);
          expect(await store.lastContactTouches('acme', ada)).toEqual({ call: T0 + 3000, email: T0 + 5000 });
          expect(await store.lastContactTouches('acme', [])).toEqual({});
          expect(await store.lastContactTouches('globex', ada)).toEqual({});
        }),
      );
    });

    describe('tenants', () => {
      it(
        'keeps leads, timers, outbox and history of tenants apart, even with the same ids',
        withStore(async (store) => {
          await store.commit(unit(lead('same', 1), { timers: { upsert: [timer('same', 'sla:a', T0)], cancel: [] }, outbox: [message('same', 'm1')] }));
          await store.commit(
            unit(lead('same', 1, { tenantId: 'globex' }), {
              timers: { upsert: [timer('same', 'sla:a', T0 + 1, 'globex')], cancel: [] },
              outbox: [message('same', 'm1', T0, 'globex')],
            }),
          );
          expect((await store.claimDueTimers('acme', T0 + 10, { limit: 10, leaseMs: 1000 })).map((row) => row.tenantId)).toEqual(['acme']);
          expect((await store.claimOutbox('globex', T0, { limit: 10, leaseMs: 1000 })).map((row) => row.tenantId)).toEqual(['globex']);
          expect(await store.nextDueAt('globex')).toBe(T0 + 1);
          expect(await store.load('initech', 'same')).toBeUndefined();
          expect(await store.historyOf('initech', 'same')).toEqual([]);
        }),
      );
    });

    describe('durability', () => {
      // A store that is not durable is reported as skipped, by name, rather than passed in silence.
      const durable = it.skipIf(!options.reopen);
      durable(
        options.reopen ? 'keeps everything for a store opened anew' : 'keeps everything for a store opened anew (skipped: not durable, no reopen given)',
        withStore(async (store) => {
          expect(store.capabilities.durable).toBe(true);
          if (!options.reopen) return;
          await store.commit(unit(lead('l1', 1), { timers: { upsert: [timer('l1', 'sla:a', T0)], cancel: [] }, outbox: [message('l1', 'm1')] }));
          const again = await options.reopen(store);
          expect(await again.load('acme', 'l1')).toMatchObject({ version: 1 });
          expect(await again.timersOf('acme', 'l1')).toHaveLength(1);
          expect(await again.pendingOutbox('acme', 10)).toHaveLength(1);
        }),
      );

      it('declares what it can do', async () => {
        const store = await options.create();
        try {
          expect(typeof store.capabilities.durable).toBe('boolean');
          expect(typeof store.capabilities.sharedAcrossProcesses).toBe('boolean');
        } finally {
          await options.destroy?.(store);
        }
      });
    });

    describe('outbox leases and far instants', () => {
      it(
        'renews a lease its claim still holds, and refuses a claim taken over or settled',
        withStore(async (store) => {
          await store.commit(unit(lead('l1', 1), { outbox: [message('l1', 'm1'), message('l1', 'm2')] }));
          const [m1, m2] = (await store.claimOutbox('acme', T0, { limit: 2, leaseMs: 1000 })) as [ClaimedMessage, ClaimedMessage];
          const renewed = await store.renewOutboxLease(m1, { leaseUntil: T0 + 5000 });
          expect(renewed).toMatchObject({ id: 'm1', claimToken: m1.claimToken, leaseUntil: T0 + 5000, attempts: 0 });
          // m1 stays with its claimer past the first lease; m2, not renewed, is handed on.
          expect((await store.claimOutbox('acme', T0 + 4999, { limit: 10, leaseMs: 1000 })).map((record) => record.id)).toEqual(['m2']);
          expect(await store.renewOutboxLease(m2, { leaseUntil: T0 + 9000 })).toBeUndefined();
          // The claim still proves itself after the renewal.
          await store.ackOutbox(renewed as ClaimedMessage);
          expect(await store.renewOutboxLease(renewed as ClaimedMessage, { leaseUntil: T0 + 9000 })).toBeUndefined();
          expect((await store.pendingOutbox('acme', 10)).map((record) => record.id)).toEqual(['m2']);
          // The new claimer's lease was not moved by the refused renewal.
          expect((await store.claimOutbox('acme', T0 + 5999, { limit: 10, leaseMs: 1000 })).map((record) => record.id)).toEqual(['m2']);
        }),
      );

      it(
        'keeps a lease end or a retry time past the last instant a Date holds (8.64e15) as that instant',
        withStore(async (store) => {
          const LAST = 8.64e15;
          await store.commit(unit(lead('l1', 1), { outbox: [message('l1', 'm1'), message('l1', 'm2'), message('l1', 'm3')] }));
          const claimed = await store.claimOutbox('acme', T0, { limit: 3, leaseMs: 1e23 });
          expect(claimed.map((record) => record.leaseUntil)).toEqual([LAST, LAST, LAST]);
          const [m1, m2, m3] = claimed as [ClaimedMessage, ClaimedMessage, ClaimedMessage];
          await store.retryOutbox(m1, { retryAt: 1e23, error: 'HTTP 503' });
          expect(await store.renewOutboxLease(m2, { leaseUntil: Number.MAX_VALUE })).toMatchObject({ leaseUntil: LAST });
          await store.retryOutbox(m3, { retryAt: T0 + 1000, error: 'HTTP 503' });
          expect((await store.pendingOutbox('acme', 10)).map((record) => [record.id, record.attempts, record.availableAt])).toEqual([
            ['m1', 1, LAST],
            ['m2', 0, T0],
            ['m3', 1, T0 + 1000],
          ]);
          const [again] = (await store.claimOutbox('acme', T0 + 1000, { limit: 10, leaseMs: 1000 })) as [ClaimedMessage];
          expect(again.id).toBe('m3');
          await store.ackOutbox(again);
          expect(await store.claimOutbox('acme', LAST - 1, { limit: 10, leaseMs: 1000 })).toEqual([]);
          expect((await store.claimOutbox('acme', LAST, { limit: 10, leaseMs: 1000 })).map((record) => [record.id, record.leaseUntil])).toEqual([
            ['m1', LAST],
            ['m2', LAST],
          ]);
        }),
      );
    });
  });
}
