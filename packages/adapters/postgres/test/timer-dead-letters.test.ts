// Timer rows damaged in the database itself (edited by hand, left by a bad migration) go to the timer
// dead letters with the reason, on PGlite and on the server; none vanishes, none loops.
import { type ClaimedTimer, createEngine, firstTouchSla, TimerDeadLetteredError } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from './databases.js';

describe.each(testDatabases())('damaged timer rows on %s', (_name, open) => {
  const database = open();
  afterAll(() => database.close());

  async function setUp() {
    const store = await database.createStore();
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const errors: { error: unknown; timer: ClaimedTimer | undefined }[] = [];
    const engine = createEngine({ store, clock, policies: { sla: firstTouchSla({ within: '5m' }) }, onError: (error, timer) => errors.push({ error, timer }) });
    const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    const table = `"${store.schema}".timers`;
    return { store, clock, engine, errors, leadId, table };
  }

  it.each([
    ['an SLA the lead does not have', `event = '{"type":"sla.breached","sla":"no_such_sla"}'`, /does not accept sla\.breached/],
    ['an unknown event type', `event = '{"type":"sla.exploded"}'`, /event type "sla\.exploded" is not a timer's/],
    ['a negative due time', 'due_at = -5, ready_at = -5', /due time -5 is not an instant/],
  ])('a timer with %s is dead-lettered with the reason', async (_what, damage, reason) => {
    const { store, clock, engine, errors, leadId, table } = await setUp();
    await database.db.query(`UPDATE ${table} SET ${damage} WHERE lead_id = $1`, [leadId]);
    clock.advance('5m');
    expect(await engine.runDue()).toEqual({ fired: 0 });
    const [dead] = await engine.timerDeadLetters();
    expect(dead).toMatchObject({ leadId, timerId: 'sla:first_touch', attempts: 1 });
    expect(dead?.error).toMatch(reason);
    expect(errors.map(({ error }) => error)).toEqual([expect.any(TimerDeadLetteredError)]);
    expect(await engine.runDue()).toEqual({ fired: 0 });
    expect((await database.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n).toBe(0);
    await database.dropStore(store);
  });

  it('a timer whose lead row is gone is dead-lettered, and re-queued only to be dead-lettered again', async () => {
    const { store, clock, engine, leadId, table } = await setUp();
    await database.db.query(`DELETE FROM "${store.schema}".leads WHERE lead_id = $1`, [leadId]);
    clock.advance('5m');
    await engine.runDue();
    const [dead] = await engine.timerDeadLetters();
    expect(dead?.error).toMatch(/No lead with id/);
    expect(await engine.requeueTimer(dead?.eventId ?? '')).toBe(true);
    expect((await database.db.query(`SELECT attempts FROM ${table}`)).rows).toEqual([{ attempts: 0 }]);
    await engine.runDue();
    expect(await engine.timerDeadLetters()).toHaveLength(1);
    expect(await engine.discardTimer(dead?.eventId ?? '')).toBe(true);
    expect(await engine.timerDeadLetters()).toEqual([]);
    await database.dropStore(store);
  });
});
