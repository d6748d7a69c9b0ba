import { ConfigError, createEngine, EventRejectedError, firstTouchSla, fixedCadence, LeadNotFoundError, MemoryStore, ValidationError } from '@leadline/core';
import { describe, expect, it } from 'vitest';
import { fiveMinuteSla } from './policies.js';

const at = Date.parse('2026-03-02T09:00:00Z');

async function setup() {
  const store = new MemoryStore();
  const engine = createEngine({ store, policies: fiveMinuteSla });
  const { leadId } = await engine.capture({ id: 'form-1', at, source: 'web', contact: { email: 'ada@example.com' } });
  const before = await snapshotOf(store, leadId);
  return { engine, store, leadId, before };
}

async function snapshotOf(store: MemoryStore, leadId: string) {
  return JSON.stringify([await store.load('default', leadId), await store.historyOf('default', leadId), await store.timersOf('default', leadId)]);
}

const invalidEvents: [string, unknown, (string | number)[]][] = [
  ['missing id', { type: 'touch.logged', at, channel: 'call', outcome: 'connected' }, ['id']],
  ['empty id', { type: 'touch.logged', id: '', at, channel: 'call', outcome: 'connected' }, ['id']],
  ['unknown type', { type: 'lead.teleported', id: 'e1', at }, ['type']],
  ['unknown channel', { type: 'touch.logged', id: 'e1', at, channel: 'fax', outcome: 'connected' }, ['channel']],
  ['unknown outcome', { type: 'touch.logged', id: 'e1', at, channel: 'call', outcome: 'maybe' }, ['outcome']],
  ['wrong type of at', { type: 'touch.logged', id: 'e1', at: true, channel: 'call', outcome: 'connected' }, ['at']],
  ['unparseable at', { type: 'touch.logged', id: 'e1', at: 'next tuesday', channel: 'call', outcome: 'connected' }, ['at']],
  ['wrong type of owner', { type: 'lead.assigned', id: 'e1', at, owner: 42 }, ['owner']],
  ['missing reason', { type: 'lead.disqualified', id: 'e1', at }, ['reason']],
  ['unknown field', { type: 'lead.converted', id: 'e1', at, amount: 5 }, []],
  ['not an object', 'touch.logged', []],
];

describe('invalid events', () => {
  it.each(invalidEvents)('rejects %s with ValidationError at its path, and the stored lead is unchanged', async (_name, event, path) => {
    const { engine, store, leadId, before } = await setup();
    const error = await engine.dispatch(leadId, event as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('validation_failed');
    expect((error as ValidationError).problems[0]?.path).toEqual(path);
    expect((error as ValidationError).message).toMatch(/^Invalid event: /);
    expect(await snapshotOf(store, leadId)).toBe(before);
  });

  it('raises LeadNotFoundError for an unknown lead', async () => {
    const { engine } = await setup();
    await expect(engine.dispatch('nope', { type: 'lead.converted', id: 'e', at })).rejects.toBeInstanceOf(LeadNotFoundError);
    await expect(engine.get('nope')).rejects.toMatchObject({ code: 'lead_not_found', leadId: 'nope' });
  });

  it('rejects an event the lead state does not accept, writing nothing', async () => {
    const { engine, store, leadId } = await setup();
    await engine.dispatch(leadId, { type: 'lead.converted', id: 'won', at });
    const before = await snapshotOf(store, leadId);
    const error = await engine
      .dispatch(leadId, { type: 'touch.logged', id: 'late', at, channel: 'call', outcome: 'connected' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventRejectedError);
    expect((error as EventRejectedError).message).toBe('Lead "lead-1" is converted and does not accept touch.logged'.replace('lead-1', leadId));
    expect(await snapshotOf(store, leadId)).toBe(before);
  });

  it('rejects a lead.qualified on a lead that needs no qualification', async () => {
    const { engine, leadId } = await setup();
    await expect(engine.dispatch(leadId, { type: 'lead.qualified', id: 'q', at })).rejects.toMatchObject({ code: 'event_rejected', state: 'new' });
  });
});

describe('invalid capture input', () => {
  it('names every problem with its path and creates nothing', async () => {
    const store = new MemoryStore();
    const engine = createEngine({ store });
    const error = await engine
      .capture({ id: '', at: 'yesterday', source: '', contact: { email: 'not-an-email' }, priority: 'urgent' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).problems.map((problem) => problem.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['id', 'at', 'source', 'contact.email', 'priority']));
    expect(await store.listLeads({ tenantId: 'default' })).toEqual([]);
  });

  it('refuses a lead id that exists already', async () => {
    const engine = createEngine();
    await engine.capture({ id: 'a', leadId: 'L', at, source: 'web', contact: {} });
    await expect(engine.capture({ id: 'b', leadId: 'L', at, source: 'web', contact: {} })).rejects.toMatchObject({ problems: [{ path: ['leadId'] }] });
  });
});

describe('invalid configuration', () => {
  it('raises ConfigError with the path of each problem', () => {
    const error = (() => {
      try {
        fixedCadence({
          steps: [
            { channel: 'call', after: '1d' },
            { channel: 'pigeon' as never, after: '2x' },
            { channel: 'email', after: '1h' },
          ],
        });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).problems.map((problem) => problem.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['steps.1.channel', 'steps.1.after']));
    expect(() => firstTouchSla({ within: '0m' })).toThrow(/within: must be longer than zero/);
  });

  it('rejects bad engine options', () => {
    expect(() => createEngine({ maxAttempts: 0 })).toThrow(ValidationError);
  });
});
