import {
  type CadencePolicy,
  ConfigError,
  defineCalendar,
  type LeadContext,
  MemoryRepDirectory,
  type QualificationPolicy,
  type RoutingPolicy,
} from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';
import { type DefinedPolicies, definePolicies } from '../src/policies/define-policies.js';
import type { PolicyConfig } from '../src/policies/policy-config.js';
import { policyJsonSchema } from '../src/policies/policy-json-schema.js';

const SPLIT_SHIFT = ['09:00-12:00', '13:00-17:00'];

// Berlin is UTC+1 until 2026-03-29, so 16:00 in Berlin is 15:00Z throughout these timelines.
const config = {
  calendars: {
    emea: {
      timeZone: 'Europe/Berlin',
      weekly: { mon: SPLIT_SHIFT, tue: SPLIT_SHIFT, wed: SPLIT_SHIFT, thu: SPLIT_SHIFT, fri: SPLIT_SHIFT },
      publicHolidays: { country: 'DE', state: 'BY' },
    },
  },
  sla: {
    slas: [
      // Only demo requests get a first-touch SLA: no fallback `within`.
      { name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], targets: [{ when: { source: 'demo_request' }, within: '5m' }] },
      {
        name: 'follow_up',
        startsOn: 'assigned',
        endsOn: ['touch.logged'],
        within: '8h',
        clock: 'emea',
        warnAt: '75%',
        escalations: [
          { after: '12h', action: 'notify_manager' },
          { after: '16h', action: 'reassign' },
        ],
      },
    ],
  },
  routing: { pools: [{ name: 'dach', when: { territory: ['DE', 'AT', 'CH'] }, reps: ['ann', 'bob'], method: 'round_robin' }] },
  recycle: {
    reasons: { not_ready: { recheck: ['90d', '180d'] }, no_response: { recheck: ['90d'] }, wrong_contact: { closes: true } },
    maxRecycles: 2,
  },
  qualification: { sources: ['event'] },
} satisfies PolicyConfig;

const team = () =>
  new MemoryRepDirectory({
    default: [
      { id: 'ann', manager: 'maria', calendar: 'emea' },
      { id: 'bob', manager: 'maria', calendar: 'emea' },
    ],
  });

/** Paths of a ConfigError's problems, dotted, for readable comparisons. */
function problemPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.path.join('.'));
  }
  throw new Error('expected a ConfigError');
}

/** What a lead captured at `start` in Germany gets: its owner and follow-up SLA, as instants. */
async function followUpOf(policies: DefinedPolicies, start: string) {
  const t = createTimeline({ start, reps: team(), policies });
  const lead = await t.capture({ source: 'web', territory: 'DE' });
  const view = await t.lead(lead);
  const record = view.lead.slas.find((sla) => sla.name === 'follow_up');
  return {
    owner: view.owner,
    label: record?.label,
    dueAt: record && new Date(record.dueAt).toISOString(),
    warnAt: record?.warnAt && new Date(record.warnAt).toISOString(),
    escalations: record?.escalations.map((step) => `${new Date(step.at).toISOString()} ${step.action}`),
  };
}

describe('definePolicies', () => {
  it('builds a whole policy set from JSON: a lead captured Mon 16:00 in Berlin breaches its 8 business hours Tue 17:00', async () => {
    const policies = definePolicies(config);
    expect(Object.keys(policies).sort()).toEqual(['calendars', 'qualification', 'recycle', 'routing', 'sla']);
    expect(policies.calendars.emea?.name).toBe('emea');

    const t = createTimeline({ start: 'Mon 2026-03-02 15:00', reps: team(), policies });
    const lead = await t.capture({ source: 'web', territory: 'DE' }); // captured Mon 16:00 Berlin
    let view = await t.lead(lead);
    expect(view.owner).toBe('ann');
    expect(view.lead.slas.map((sla) => sla.name)).toEqual(['follow_up']);
    // Mon 16:00-17:00 is 1h, Tue 09:00-12:00 3h more, Tue 13:00-17:00 the last 4h: due Tue 17:00 Berlin.
    // 75% (6h) is Tue 15:00; 12h is Wed 14:00 (Tue 7h, Wed 3h + 1h); 16h is Thu 10:00.
    expect(await followUpOf(policies, 'Mon 2026-03-02 15:00')).toEqual({
      owner: 'ann',
      label: 'follow up within 8h of business hours (emea)',
      dueAt: '2026-03-03T16:00:00.000Z',
      warnAt: '2026-03-03T14:00:00.000Z',
      escalations: ['2026-03-04T13:00:00.000Z notify_manager', '2026-03-05T09:00:00.000Z reassign'],
    });

    await t.at('Tue 15:59'); // Tue 16:59 Berlin: at risk, not yet breached
    view = await t.lead(lead);
    expect(view.regions?.sla).toBe('at_risk');
    await t.advance('1m'); // Tue 17:00 Berlin
    view = await t.lead(lead);
    expect(view.regions?.sla).toBe('breached');
    expect(view.lead.slas[0]?.breachedAt).toBe(Date.parse('2026-03-03T16:00:00Z'));

    await t.at('Thu 09:00'); // Thu 10:00 Berlin: 16 business hours, reassigned to bob with a fresh SLA
    view = await t.lead(lead);
    expect(view.owner).toBe('bob');
    const notes = view.history.flatMap((entry) => entry.notes.map((note) => `${entry.at} ${note}`));
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2026-03-04T13:00Z follow_up SLA escalation: manager notified at 12h/),
        expect.stringMatching(/^2026-03-05T09:00Z reassigned from ann to bob/),
      ]),
    );
    // Thu 10:00-12:00 and 13:00-17:00 are 6h; Fri 09:00-11:00 the last 2h.
    expect(view.lead.slas.map((sla) => `${sla.name}:${sla.outcome ?? 'running'}:${new Date(sla.dueAt).toISOString()}`)).toEqual([
      'follow_up:breached:2026-03-03T16:00:00.000Z',
      'follow_up:running:2026-03-06T10:00:00.000Z',
    ]);
  });

  it('counts the Bavarian public holidays of the calendar: Epiphany moves a Monday lead to Wednesday', async () => {
    // Mon 2026-01-05 16:00 Berlin: 1h Monday, Tuesday 6 January closed, 7h Wednesday: due Wed 17:00.
    const followUp = await followUpOf(definePolicies(config), 'Mon 2026-01-05 15:00');
    expect(followUp.dueAt).toBe('2026-01-07T16:00:00.000Z');
  });

  it('builds the recycle and qualification sections too', async () => {
    const t = createTimeline({ start: 'Mon 2026-03-02 15:00', reps: team(), policies: definePolicies(config) });
    const fromEvent = await t.capture({ source: 'event', territory: 'DE' });
    await t.expectState(fromEvent, 'qualifying');
    const notReady = await t.capture({ source: 'web', territory: 'DE' });
    await t.send(notReady, { type: 'lead.recycled', reason: 'not_ready' });
    expect((await t.lead(notReady)).deadlines.map((deadline) => deadline.dueAt)).toEqual(['2026-05-31T15:00Z']);
    const wrongContact = await t.capture({ source: 'web', territory: 'DE' });
    await t.send(wrongContact, { type: 'lead.recycled', reason: 'wrong_contact' });
    await t.expectState(wrongContact, 'disqualified');
  });

  it('refuses a bad config with one ConfigError naming every problem of every section at its exact path', () => {
    const bad = {
      calendars: { emea: { timeZone: 'Europe/Berlln', weekly: { mon: ['09:00-12:00', '11:30-17:00'] } } },
      sla: { slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '8h', clock: 'apac' }] },
      routing: { pools: [{ name: 'dach', reps: [], method: 'random' as never }] },
      recycle: { reasons: { not_ready: { recheck: ['90d'] } } },
      qualification: { sources: [] },
      cadence: { steps: [] },
    } satisfies PolicyConfig;
    const paths = problemPaths(() => definePolicies(bad));
    const expected = [
      'calendars.emea.timeZone',
      'calendars.emea.weekly.mon.1',
      'sla.slas.0.clock',
      'routing.pools.0.reps',
      'routing.pools.0.method',
      'recycle.reasons.no_response',
      'qualification.sources',
      'cadence.steps',
    ];
    expect(paths).toEqual(expect.arrayContaining(expected));
    expect(paths).toHaveLength(expected.length);

    let error: ConfigError | undefined;
    try {
      definePolicies(bad);
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.problems).toContainEqual(expect.objectContaining({ path: ['sla', 'slas', 0, 'clock'], message: 'names no calendar; known: calendar, emea' }));
    expect(error?.problems).toContainEqual(expect.objectContaining({ path: ['cadence', 'steps'], message: 'needs at least one step' }));
    expect(error?.message).toMatch(/^Invalid policy config: .*calendars\.emea\.timeZone: unknown time zone "Europe\/Berlln"/);
  });

  it('reports unknown sections, a calendar named like calendar time, and a clock with no calendars at all', () => {
    expect(problemPaths(() => definePolicies({ slas: [] } as never))).toEqual(['']);
    expect(
      problemPaths(() =>
        definePolicies({
          calendars: { calendar: { timeZone: 'UTC', weekly: { mon: ['09:00-17:00'] } } },
          sla: { slas: [{ name: 'a', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h' }] },
        }),
      ),
    ).toEqual(['calendars.calendar']);
    expect(
      problemPaths(() => definePolicies({ sla: { slas: [{ name: 'a', startsOn: 'captured', endsOn: ['touch.logged'], within: '1h', clock: 'emea' }] } })),
    ).toEqual(['sla.slas.0.clock']);
    expect(problemPaths(() => definePolicies(null as never))).toEqual(['']);
  });

  it('builds the cadence section, with its clock checked against the calendars', () => {
    const policies = definePolicies({
      calendars: config.calendars,
      cadence: {
        name: 'persistent',
        steps: [
          { channel: 'call', after: '0m' },
          { channel: 'email', after: '8h' },
        ],
        clock: 'emea',
      },
    });
    expect(policies.cadence).toMatchObject({ name: 'persistent', length: 2, minTouches: 6 });
    expect(
      problemPaths(() =>
        definePolicies({
          ...config,
          sla: { slas: [{ name: 'follow_up', startsOn: 'assigned', endsOn: ['touch.logged'], within: '8h', clock: 'apac' }] },
          cadence: {
            steps: [
              { channel: 'call', after: '1d' },
              { channel: 'email', after: '1h' },
            ],
            clock: 'apac',
          },
        }),
      ),
    ).toEqual(['cadence.steps.1.after', 'cadence.clock', 'sla.slas.0.clock']);
  });

  it('mixes custom policies with configured ones, and keeps them untouched', async () => {
    const vipFirst: RoutingPolicy = {
      name: 'vip-first',
      route: (lead) => (lead.priority === 'high' ? { owner: 'vip-desk', reason: 'high priority goes to the VIP desk' } : undefined),
    };
    class EventsOnly implements QualificationPolicy {
      readonly name = 'events-only';
      required(lead: LeadContext): boolean {
        return lead.source === 'event';
      }
    }
    const qualification = new EventsOnly();
    const custom = { name: 'custom-cadence', plan: () => undefined } as unknown as CadencePolicy;
    const emea = defineCalendar({ name: 'emea', ...config.calendars.emea });
    const policies = definePolicies({ calendars: { emea }, sla: config.sla, routing: vipFirst, qualification, cadence: custom });
    expect(policies.routing).toBe(vipFirst);
    expect(policies.qualification).toBe(qualification);
    expect(policies.cadence).toBe(custom);
    expect(policies.calendars.emea).toBe(emea);

    const { cadence: _notThisMachine, ...rest } = policies;
    const t = createTimeline({ start: 'Mon 2026-03-02 15:00', policies: rest });
    const vip = await t.capture({ source: 'web', priority: 'high' });
    const view = await t.lead(vip);
    expect(view.owner).toBe('vip-desk');
    expect(view.lead.slas[0]?.dueAt).toBe(Date.parse('2026-03-03T16:00:00Z'));
    await t.expectNote(vip, /high priority goes to the VIP desk/);
    expect((await t.lead(await t.capture({ source: 'web' }))).owner).toBeUndefined();
    await t.expectState(await t.capture({ source: 'event' }), 'qualifying');
  });

  it('builds the same policies from the config after a round trip through JSON', async () => {
    const copy: unknown = JSON.parse(JSON.stringify(config));
    expect(copy).toEqual(config);
    const fromJson = definePolicies(copy as PolicyConfig);
    const direct = definePolicies(config);
    expect(fromJson.calendars.emea?.config).toEqual(direct.calendars.emea?.config);
    expect(fromJson.recycle?.reasons).toEqual(direct.recycle?.reasons);
    for (const start of ['Mon 2026-03-02 15:00', 'Mon 2026-01-05 15:00', 'Fri 2026-03-06 16:30']) {
      expect(await followUpOf(fromJson, start)).toEqual(await followUpOf(direct, start));
    }
  });
});

describe('policyJsonSchema', () => {
  it('describes the config for editors as JSON Schema draft 2020-12, durations as text or milliseconds', () => {
    const schema = policyJsonSchema();
    const text = JSON.stringify(schema);
    expect(JSON.parse(text)).toEqual(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(properties)).toEqual(['calendars', 'sla', 'routing', 'recycle', 'qualification', 'cadence']);
    expect(schema.additionalProperties).toBe(false);
    const sla = properties.sla as { properties: { slas: { items: { properties: Record<string, unknown> } } } };
    expect(sla.properties.slas.items.properties.within).toEqual({ type: ['string', 'number'] });
    const cadence = properties.cadence as { description: string; properties: Record<string, unknown> };
    expect(cadence.description).toMatch(/^The follow-up touches/);
    expect(Object.keys(cadence.properties)).toEqual(expect.arrayContaining(['steps', 'sendWindow', 'minTouches', 'reenroll']));
  });
});
