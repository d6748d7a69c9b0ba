// A lead row damaged in the database (edited by hand, written by another program) stops with a
// MalformedRowError naming the lead and the column, on PGlite and on the server, and nothing is written;
// the engine's snapshot cache never hides the damage.
import { createEngine, firstTouchSla, MalformedRowError } from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from './databases.js';

describe.each(testDatabases())('damaged lead rows on %s', (_name, open) => {
  const database = open();
  afterAll(() => database.close());

  /** A lead captured and assigned by an engine that keeps its snapshot cached. */
  async function setUp() {
    const store = await database.createStore();
    const clock = new VirtualClock('2026-03-02T09:00:00Z');
    const engine = createEngine({ store, clock, policies: { sla: firstTouchSla({ within: '5m' }) } });
    const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: {} });
    await engine.dispatch(leadId, { type: 'lead.assigned', id: 'to-ann', at: clock.now(), owner: 'ann' });
    const leads = `"${store.schema}".leads`;
    const row = async () => (await database.db.query(`SELECT version, event_count, snapshot FROM ${leads} WHERE lead_id = $1`, [leadId])).rows[0];
    return { store, clock, engine, leadId, leads, row };
  }

  it.each([
    ['an empty snapshot', `snapshot = '{}'`, 'snapshot', /status must be active or done/],
    ['an unknown status', `snapshot = jsonb_set(snapshot, '{status}', '"zombie"')`, 'snapshot', /status must be active or done, got "zombie"/],
    ['a bogus state value', `snapshot = jsonb_set(snapshot, '{value}', '{"open":{"stage":"nonsense"}}')`, 'snapshot', /is not a lead's state/],
    ['a state column out of step', `state = 'working'`, 'state', /says working, but the snapshot is assigned/],
    ['a context that is not an object', `snapshot = jsonb_set(snapshot, '{context}', '"x"')`, 'snapshot', /context must be an object/],
    ['a context missing its SLAs', `snapshot = snapshot #- '{context,slas}'`, 'snapshot', /context\.slas must be an array, got undefined/],
    ["another lead's context", `snapshot = jsonb_set(snapshot, '{context,leadId}', '"someone-else"')`, 'snapshot', /context\.leadId is "someone-else"/],
  ])('%s is a MalformedRowError naming the lead and the column, cached or not; nothing is written', async (_what, damage, column, problem) => {
    const { store, clock, engine, leadId, leads, row } = await setUp();
    await database.db.query(`UPDATE ${leads} SET ${damage} WHERE lead_id = $1`, [leadId]);
    const before = await row();
    for (const worker of [engine, createEngine({ store, clock })]) {
      const error = await worker
        .dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: clock.now(), channel: 'call', outcome: 'connected' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MalformedRowError);
      expect(error).toMatchObject({ table: 'leads', key: `lead "${leadId}"` });
      expect((error as MalformedRowError).problem).toMatch(new RegExp(`^column ${column} `));
      expect((error as MalformedRowError).problem).toMatch(problem);
      await expect(worker.get(leadId)).rejects.toBeInstanceOf(MalformedRowError);
    }
    expect(await row()).toEqual(before);
    await database.dropStore(store);
  });

  it.each([
    ['behind', '-1', /column event_count is behind the lead's history/],
    ['ahead', '+1', /column event_count is 4, but the lead's history holds 3 entries/],
  ])('an event_count %s of the history is a MalformedRowError naming event_count; nothing is written', async (_what, delta, problem) => {
    const { store, clock, engine, leadId, leads, row } = await setUp();
    await engine.dispatch(leadId, { type: 'touch.logged', id: 'call-1', at: clock.now(), channel: 'call', outcome: 'connected' });
    await database.db.query(`UPDATE ${leads} SET event_count = event_count ${delta} WHERE lead_id = $1`, [leadId]);
    const before = await row();
    await expect(engine.get(leadId)).rejects.toThrow(MalformedRowError);
    if (delta === '-1') {
      const error = await engine.dispatch(leadId, { type: 'prospect.replied', id: 'reply-1', at: clock.now() }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MalformedRowError);
      expect((error as MalformedRowError).problem).toMatch(problem);
    } else {
      await expect(engine.get(leadId)).rejects.toThrow(problem);
    }
    expect(await row()).toEqual(before);
    await database.dropStore(store);
  });
});
