// Input without bounds: every value a caller or a config hands Leadline has a documented limit
// (docs/policies.md, "Limits"), and one past it is a ValidationError (inputs) or a ConfigError (configs)
// at its path, before anything is written. test/sparse-calendars.test.ts covers the business calendars;
// packages/adapters/postgres/test/input-bounds.test.ts runs the same inputs on PGlite.
import {
  cadencePolicy,
  createEngine,
  definePolicies,
  firstTouchSla,
  fixedCadence,
  MemoryStore,
  parseDuration,
  recyclePolicy,
  routingPolicy,
  slaPolicy,
  ValidationError,
} from '@leadline/core';
import { VirtualClock } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { configProblemsOf } from './config-problems.js';

const MONDAY_9 = '2026-03-02T09:00:00Z';
const sla = firstTouchSla({ within: '1h' });

/** An engine on a fresh memory store at Monday 09:00, with Ada's lead captured. */
async function setup() {
  const store = new MemoryStore();
  const clock = new VirtualClock(MONDAY_9);
  const engine = createEngine({ store, clock, policies: { sla } });
  const { leadId } = await engine.capture({ id: 'form-1', at: clock.now(), source: 'web', contact: { email: 'ada@example.com' } });
  const written = async () =>
    JSON.stringify([await store.listLeads({ tenantId: 'default' }), await store.historyOf('default', leadId), await store.timersOf('default', leadId)]);
  return { engine, clock, leadId, written, before: await written() };
}

/** The paths of the ValidationError a promise rejects with (anything else fails the test). */
async function refusedPaths(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems.map((problem) => problem.path.join('.'));
}

function configPaths(run: () => unknown): string[] {
  return configProblemsOf(run).map((problem) => problem.path.join('.'));
}

describe('durations: whole milliseconds, at most 3650 days', () => {
  it.each([
    ['1e300 ms', 1e300],
    ['99999999999999999999w', '99999999999999999999w'],
    ['3651d', '3651d'],
    ['0.5ms', '0.5ms'],
    ['0.5 as a number', 0.5],
    ['1.0005s', '1.0005s'],
  ])('an SLA within %s is a ConfigError at within', (_name, within) => {
    expect(configPaths(() => firstTouchSla({ within }))).toEqual(['within']);
  });

  it('says which bound a duration breaks', () => {
    expect(configProblemsOf(() => firstTouchSla({ within: 1e300 }))[0]?.message).toMatch(/at most 3650d \(10 years\)/);
    expect(configProblemsOf(() => firstTouchSla({ within: '0.5ms' }))[0]?.message).toMatch(/whole milliseconds/);
  });

  it('takes the longest duration, and decimals that come to whole milliseconds', () => {
    expect(parseDuration('3650d')).toBe(3650 * 86_400_000);
    expect(parseDuration('1.1h')).toBe(3_960_000);
    expect(parseDuration('1.15h')).toBe(4_140_000);
    expect(parseDuration('2.7d')).toBe(233_280_000);
    expect(() => parseDuration('3650d1ms')).toThrow(RangeError);
    expect(() => parseDuration(Number.MAX_VALUE)).toThrow(RangeError);
  });

  it('refuses them in every config, at their own path', () => {
    const huge = '99999999999999999999w';
    expect(configPaths(() => slaPolicy({ slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: huge }] }))).toEqual([
      'slas.0.within',
    ]);
    expect(configPaths(() => fixedCadence({ steps: [{ channel: 'call', after: '0.5ms' }] }))).toEqual(['steps.0.after']);
    expect(configPaths(() => cadencePolicy({ steps: [{ channel: 'call', after: '0m' }], closeAfter: 1e300 }))).toEqual(['closeAfter']);
    expect(configPaths(() => recyclePolicy({ reasons: { no_response: { recheck: [huge] } } }))).toEqual(['reasons.no_response.recheck.0']);
    expect(configPaths(() => definePolicies({ sla: { slas: [{ name: 'a', startsOn: 'captured', endsOn: ['touch.logged'], within: '0.5ms' }] } }))).toEqual([
      'sla.slas.0.within',
    ]);
  });
});

describe('instants: from 1970 to the end of 2199', () => {
  it('a capture at 8.64e15 (the last instant a Date holds) is a ValidationError at at, whatever the clock says', async () => {
    const store = new MemoryStore();
    // A clock as far ahead as a Date goes, so that only the bound can refuse these.
    const engine = createEngine({ store, clock: { now: () => 8.64e15, sleep: async () => {} } });
    const capture = (at: number | string | Date) => engine.capture({ id: 'form-1', at, source: 'web', contact: { email: 'ada@example.com' } });
    for (const at of [8.64e15, '9999-12-31T00:00:00Z', new Date(8.64e15), Date.UTC(2200, 0, 1)]) {
      const error = await capture(at).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems).toEqual([expect.objectContaining({ path: ['at'], message: expect.stringMatching(/before 2200-01-01/) })]);
    }
    expect(await store.listLeads({ tenantId: 'default' })).toEqual([]);
  });

  it('an event with a snooze, a return date or a meeting past 2199 is refused at its path, and the lead is unchanged', async () => {
    const { engine, leadId, written, before } = await setup();
    expect(await refusedPaths(engine.dispatch(leadId, { type: 'lead.snoozed', id: 's1', at: MONDAY_9, until: 8.64e15 }))).toEqual(['until']);
    expect(await refusedPaths(engine.dispatch(leadId, { type: 'prospect.out_of_office', id: 'o1', at: MONDAY_9, until: '9999-01-01T00:00:00Z' }))).toEqual([
      'until',
    ]);
    expect(await refusedPaths(engine.dispatch(leadId, { type: 'meeting.booked', id: 'm1', at: MONDAY_9, meetingAt: 8e15 }))).toEqual(['meetingAt']);
    expect(await written()).toBe(before);
  });

  it('takes the last millisecond of 2199, and the epoch itself', async () => {
    const { engine, leadId } = await setup();
    await expect(engine.dispatch(leadId, { type: 'lead.snoozed', id: 's1', at: MONDAY_9, until: Date.UTC(2200, 0, 1) - 1 })).resolves.toBeDefined();
    const early = createEngine({ clock: new VirtualClock(0) });
    await expect(early.capture({ id: 'f', at: 0, source: 'web', contact: {} })).resolves.toMatchObject({ outcome: 'created' });
  });
});

describe('attributes: at most 100, keys of at most 100 characters, 32,768 characters of JSON', () => {
  const capture = (attributes: Record<string, string | number | boolean>) => async () => {
    const { engine, written, before } = await setup();
    const paths = await refusedPaths(engine.capture({ id: 'form-2', at: MONDAY_9, source: 'web', contact: { email: 'bob@example.com' }, attributes }));
    expect(await written()).toBe(before);
    return paths;
  };
  const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`field_${index}`, index]));

  // Builds and validates 50,000 attributes: up to 1.7 s measured on a loaded 2-core machine.
  it('50,000 attributes (a 5.7 MB snapshot on every commit) are a ValidationError at attributes', async () => {
    expect(await capture(many(50_000))()).toEqual(['attributes']);
    expect(await capture(many(101))()).toEqual(['attributes']);
  }, 15_000);

  it('a long key, or values that add up past the size, are refused too', async () => {
    expect(await capture({ ['k'.repeat(101)]: 1 })()).toEqual([`attributes.${'k'.repeat(101)}`]);
    expect(await capture(Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`note_${index}`, 'x'.repeat(2000)])))()).toEqual(['attributes']);
  });

  it('takes 100 attributes', async () => {
    const { engine } = await setup();
    await expect(engine.capture({ id: 'form-2', at: MONDAY_9, source: 'web', contact: {}, attributes: many(100) })).resolves.toMatchObject({
      outcome: 'created',
    });
  });
});

describe('cadences: at most 100 steps', () => {
  const steps = (count: number) => Array.from({ length: count }, (_, index) => ({ channel: 'call' as const, after: `${index}h` }));

  it('100,000 steps are a ConfigError at steps, in every way to write a cadence', () => {
    expect(configPaths(() => cadencePolicy({ steps: steps(100_000) }))).toEqual(['steps']);
    expect(configPaths(() => cadencePolicy({ steps: steps(101) }))).toEqual(['steps']);
    expect(configPaths(() => fixedCadence({ steps: steps(101) }))).toEqual(['steps']);
    expect(configPaths(() => definePolicies({ cadence: { steps: steps(101) } }))).toEqual(['cadence.steps']);
    expect(cadencePolicy({ steps: steps(100) }).length).toBe(100);
  });
});

describe('ids, names and text: no NUL, no unpaired surrogate; no control character in ids and names', () => {
  const NUL = 'form\u00001';
  const CRLF = 'ann\r\nX-Injected: 1';
  const LONE = 'Ada \ud800';

  it.each([
    ['an intake id with NUL', { id: NUL }, 'id'],
    ['a lead id with CR/LF', { leadId: 'lead\r\n1' }, 'leadId'],
    ['a source with a tab', { source: 'web\tform' }, 'source'],
    ['a contact name with a lone surrogate', { contact: { name: LONE } }, 'contact.name'],
    ['a company with LF', { contact: { company: 'Acme\nInc' } }, 'contact.company'],
    ['a campaign with DEL', { campaign: 'spring\u007f' }, 'campaign'],
    ['an attribute value with NUL', { attributes: { plan: 'pro\u0000' } }, 'attributes.plan'],
    ['an attribute key with LF', { attributes: { 'plan\n': 'pro' } }, 'attributes.plan\n'],
  ])('a capture with %s is a ValidationError at its path, and nothing is written', async (_name, fields, path) => {
    const { engine, written, before } = await setup();
    const input = { id: 'form-2', at: MONDAY_9, source: 'web', contact: { email: 'bob@example.com' }, ...fields };
    expect(await refusedPaths(engine.capture(input as never))).toEqual([path]);
    expect(await written()).toBe(before);
  });

  it.each([
    ['an event id with NUL', { type: 'touch.logged', id: NUL, channel: 'call', outcome: 'connected' }, 'id'],
    ['an owner with CR/LF', { type: 'lead.assigned', id: 'a1', owner: CRLF }, 'owner'],
    ['a rep (by) with a lone surrogate', { type: 'touch.logged', id: 't1', channel: 'call', outcome: 'connected', by: LONE }, 'by'],
    ['a note with NUL', { type: 'touch.logged', id: 't1', channel: 'call', outcome: 'connected', note: 'left\u0000voicemail' }, 'note'],
    ['an activity with LF', { type: 'activity.recorded', id: 'v1', activity: 'pricing\npage' }, 'activity'],
    ['a reason with a lone low surrogate', { type: 'lead.disqualified', id: 'd1', reason: 'spam \udc00' }, 'reason'],
  ])('an event with %s is a ValidationError at its path, and the lead is unchanged', async (_name, fields, path) => {
    const { engine, leadId, written, before } = await setup();
    expect(await refusedPaths(engine.dispatch(leadId, { at: MONDAY_9, ...fields } as never))).toEqual([path]);
    expect(await written()).toBe(before);
  });

  it('free text keeps its line breaks and its emoji (paired surrogates)', async () => {
    const { engine, leadId } = await setup();
    const note = 'called twice\r\nleft a voicemail 👍';
    await engine.dispatch(leadId, { type: 'touch.logged', id: 't1', at: MONDAY_9, channel: 'call', outcome: 'voicemail', note });
    const captured = await engine.capture({ id: 'form-2', at: MONDAY_9, source: 'web', contact: { name: 'Zoë 😀' }, attributes: { bio: 'line 1\nline 2' } });
    expect(captured.outcome).toBe('created');
  });

  it('a rep id with CR/LF in a routing pool is a ConfigError at its path', () => {
    expect(configPaths(() => routingPolicy({ pools: [{ name: 'everyone', reps: ['ann', CRLF] }] }))).toEqual(['pools.0.reps.1']);
  });
});

describe('reserved keys: __proto__, constructor and prototype are refused, never dropped', () => {
  it.each(['__proto__', 'constructor', 'prototype'])(
    'a capture whose attributes hold %s (as JSON.parse makes it) is a ValidationError at that key',
    async (key) => {
      const { engine, written, before } = await setup();
      const input = JSON.parse(`{"id":"form-2","at":"${MONDAY_9}","source":"web","contact":{},"attributes":{"${key}":"x","plan":"pro"}}`);
      expect(await refusedPaths(engine.capture(input))).toEqual([`attributes.${key}`]);
      expect(await written()).toBe(before);
    },
  );

  it('an object under __proto__ does not reach the prototype of anything', async () => {
    const { engine } = await setup();
    const input = JSON.parse(`{"id":"form-2","at":"${MONDAY_9}","source":"web","contact":{},"attributes":{"__proto__":{"polluted":true}}}`);
    expect(await refusedPaths(engine.capture(input))).toEqual(['attributes.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('in a config, a record keyed by __proto__ or constructor is a ConfigError at that key', () => {
    expect(configPaths(() => recyclePolicy(JSON.parse('{"reasons":{"no_response":{"recheck":["90d"]},"constructor":{"closes":true}}}')))).toEqual([
      'reasons.constructor',
    ]);
    expect(configPaths(() => firstTouchSla(JSON.parse('{"within":"1h","bySource":{"__proto__":"5m"}}')))).toEqual(['bySource.__proto__']);
    expect(configPaths(() => definePolicies(JSON.parse('{"calendars":{"__proto__":{"timeZone":"UTC","weekly":{"mon":["09:00-17:00"]}}}}')))).toEqual([
      'calendars.__proto__',
    ]);
  });
});
