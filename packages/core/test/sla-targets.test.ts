import {
  ConfigError,
  definePolicies,
  type LeadConditionInput,
  type LeadContext,
  leadCondition,
  matchesCondition,
  policyJsonSchema,
  type SlaPolicyConfig,
  slaPolicy,
} from '@leadline/core';
import { createTimeline } from '@leadline/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const start = 'Mon 2026-03-02 09:00';

type Targets = NonNullable<SlaPolicyConfig['slas'][number]['targets']>;

/** One first-touch SLA with the given targets and a one-day fallback. */
const firstTouch = (targets: Targets): SlaPolicyConfig => ({
  slas: [{ name: 'first_touch', startsOn: 'captured', endsOn: ['touch.logged'], within: '24h', targets }],
});

/** Captures each lead on one timeline and returns the label of the SLA each one got. */
async function labelsOf(config: SlaPolicyConfig, leads: Parameters<ReturnType<typeof createTimeline>['capture']>[0][]): Promise<(string | undefined)[]> {
  const t = createTimeline({ start, policies: { sla: slaPolicy(config) } });
  const labels = [];
  for (const input of leads) labels.push((await t.lead(await t.capture(input))).slas[0]?.label);
  return labels;
}

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('SLA targets on any captured field', () => {
  it('gives DACH leads a tighter first touch by territory', async () => {
    const labels = await labelsOf(firstTouch([{ when: { territory: ['DE', 'AT', 'CH'] }, within: '15m' }]), [
      { source: 'web', territory: 'DE' },
      { source: 'web', territory: 'FR' },
      { source: 'web' },
    ]);
    expect(labels).toEqual(['first touch within 15m', 'first touch within 1d', 'first touch within 1d']);
  });

  it('matches custom attributes by value and by list of values', async () => {
    const labels = await labelsOf(
      firstTouch([
        { when: { 'attributes.plan': { in: ['pro', 'enterprise'] } }, within: '10m' },
        { when: { 'attributes.partner': 'acme' }, within: '30m' },
        { when: { 'attributes.trial': true }, within: '2h' },
      ]),
      [
        { source: 'web', attributes: { plan: 'enterprise' } },
        { source: 'web', attributes: { plan: 'free', partner: 'acme' } },
        { source: 'web', attributes: { plan: 'free', trial: true } },
        // Attributes compare as captured: the text 'true' is not the flag true.
        { source: 'web', attributes: { plan: 'free', trial: 'true' } },
      ],
    );
    expect(labels).toEqual(['first touch within 10m', 'first touch within 30m', 'first touch within 2h', 'first touch within 1d']);
  });

  it('compares score and numeric attributes with gte and lte, bounds included', async () => {
    const labels = await labelsOf(
      firstTouch([
        { when: { 'attributes.employees': { gte: 100, lte: 999 } }, within: '20m' },
        { when: { score: { gte: 50, lte: 79 } }, within: '1h' },
      ]),
      [
        { source: 'web', attributes: { employees: 100 } },
        { source: 'web', attributes: { employees: 999 } },
        { source: 'web', attributes: { employees: 1000 } },
        // A number sent as text is not a number: gte and lte never match it.
        { source: 'web', attributes: { employees: '150' } },
        { source: 'web', score: 50 },
        { source: 'web', score: 79 },
        { source: 'web', score: 80 },
      ],
    );
    expect(labels).toEqual([
      'first touch within 20m',
      'first touch within 20m',
      'first touch within 1d',
      'first touch within 1d',
      'first touch within 1h',
      'first touch within 1h',
      'first touch within 1d',
    ]);
  });

  it('tells captured fields from missing ones with exists', async () => {
    const labels = await labelsOf(
      firstTouch([
        { when: { campaign: { exists: true } }, within: '30m' },
        { when: { 'attributes.owner_hint': { exists: false }, 'contact.email': { exists: true } }, within: '2h' },
      ]),
      [
        { source: 'web', campaign: 'spring_launch' },
        { source: 'web', contact: { email: 'ada@example.com' } },
        { source: 'web', contact: { email: 'bob@example.com' }, attributes: { owner_hint: 'ann' } },
        { source: 'web' },
      ],
    );
    expect(labels).toEqual(['first touch within 30m', 'first touch within 2h', 'first touch within 1d', 'first touch within 1d']);
  });

  it('never matches a missing field with equals, in, gte or lte', async () => {
    const labels = await labelsOf(
      firstTouch([
        { when: { territory: 'DE' }, within: '5m' },
        { when: { segment: { in: ['smb', 'enterprise'] } }, within: '10m' },
        { when: { score: { lte: 100 } }, within: '15m' },
        { when: { 'attributes.employees': { gte: 0 } }, within: '20m' },
        // Not an attribute of the lead, though every object has a `constructor`.
        { when: { 'attributes.constructor': { exists: true } }, within: '25m' },
      ]),
      [{ source: 'web' }, { source: 'web', attributes: { plan: 'pro' } }],
    );
    expect(labels).toEqual(['first touch within 1d', 'first touch within 1d']);
  });

  it('takes the first matching rule, even when a later one is tighter', async () => {
    const labels = await labelsOf(
      firstTouch([
        { when: { territory: 'DE', 'attributes.plan': 'pro' }, within: '1h' },
        { when: { source: 'demo_request' }, within: '5m' },
        { when: { source: 'demo_request', minScore: 50, territory: { exists: true } }, within: '2m' },
      ]),
      [
        { source: 'demo_request', territory: 'DE', attributes: { plan: 'pro' } },
        { source: 'demo_request', territory: 'DE', attributes: { plan: 'free' }, score: 90 },
      ],
    );
    expect(labels).toEqual(['first touch within 1h', 'first touch within 5m']);
  });

  it('reads the same from a JSON policy config', async () => {
    const { sla } = definePolicies({
      sla: firstTouch([{ when: { territory: 'DE', 'attributes.plan': { in: ['pro', 'enterprise'] }, score: { gte: 50 } }, within: '10m' }]),
    });
    const t = createTimeline({ start, policies: { sla } });
    const lead = await t.capture({ source: 'web', territory: 'DE', score: 64, attributes: { plan: 'pro' } });
    await t.advance('10m');
    await t.expectNote(lead, /first_touch SLA breached at 2026-03-02T09:10Z \(first touch within 10m, not met\)/);
  });

  it('refuses an unknown field at its path, naming the known ones', () => {
    const error = configErrorOf(() =>
      slaPolicy(
        firstTouch([
          { when: { territory: 'DE' }, within: '5m' },
          { when: { teritory: 'DE' } as LeadConditionInput, within: '5m' },
        ]),
      ),
    );
    expect(error.problems.map((problem) => problem.path)).toEqual([['slas', 0, 'targets', 1, 'when', 'teritory']]);
    expect(error.problems[0]?.message).toMatch(/did you mean territory\?/);
    expect(error.problems[0]?.message).toMatch(/known: source, campaign, .*territory, score, contact\.name, .*attributes\.<key>/);
    // Paths are flat: a nested attributes object names no field.
    const nested = configErrorOf(() => slaPolicy(firstTouch([{ when: { attributes: { plan: 'pro' } } as LeadConditionInput, within: '5m' }])));
    expect(nested.problems.map((problem) => [problem.path.join('.'), problem.message.split(';')[0]])).toEqual([
      ['slas.0.targets.0.when.attributes', 'is no captured field (paths are flat: write attributes.plan)'],
    ]);
  });

  it('refuses an empty operator object, gte on text and an operator the field does not take, each at its path', () => {
    const error = configErrorOf(() =>
      slaPolicy(
        firstTouch([
          { when: { 'attributes.plan': {} }, within: '5m' },
          { when: { 'attributes.employees': { gte: '100' as unknown as number } }, within: '5m' },
          { when: { score: { lte: 'high' as unknown as number } }, within: '5m' },
          { when: { territory: { gte: 5 } as LeadConditionInput['territory'] }, within: '5m' },
          { when: { score: { gte: 80, lte: 20 }, priority: 'urgent' as 'high' }, within: '5m' },
        ]),
      ),
    );
    expect(error.problems.map((problem) => [problem.path.join('.'), problem.message])).toEqual([
      ['slas.0.targets.0.when.attributes.plan', 'needs at least one operator: equals, in, gte, lte, exists'],
      ['slas.0.targets.1.when.attributes.employees.gte', 'must be a number: gte and lte compare numbers'],
      ['slas.0.targets.2.when.score.lte', 'must be a number: gte and lte compare numbers'],
      ['slas.0.targets.3.when.territory', 'unknown operator "gte"; territory takes equals, in, exists'],
      ['slas.0.targets.4.when.score.lte', 'must not be below gte (80), or nothing matches'],
      ['slas.0.targets.4.when.priority', 'Invalid option: expected one of "low"|"normal"|"high"'],
    ]);
  });

  it('describes the condition language in the policy JSON Schema', () => {
    const schema = policyJsonSchema() as {
      properties: { sla: { properties: { slas: { items: { properties: { targets: { items: { properties: { when: Record<string, unknown> } } } } } } } } };
    };
    const when = schema.properties.sla.properties.slas.items.properties.targets.items.properties.when as {
      properties: Record<string, { anyOf?: unknown[] }>;
      additionalProperties: { anyOf: { type?: unknown; properties?: Record<string, unknown> }[] };
    };
    expect(Object.keys(when.properties)).toEqual(expect.arrayContaining(['source', 'territory', 'score', 'contact.email', 'doNotCall', 'minScore']));
    // Custom attributes: a value, a list, or operators with gte and lte.
    expect(when.additionalProperties.anyOf.map((branch) => branch.type)).toEqual([['string', 'number', 'boolean'], 'array', 'object']);
    expect(Object.keys(when.additionalProperties.anyOf[2]?.properties ?? {})).toEqual(['equals', 'in', 'gte', 'lte', 'exists']);
  });
});

describe('matchesCondition', () => {
  const lead = (fields: Partial<LeadContext>): LeadContext => ({
    leadId: 'lead-1',
    tenantId: 'default',
    capturedAt: 0,
    source: 'web',
    priority: 'normal',
    contact: {},
    doNotCall: false,
    doNotEmail: false,
    previousOwners: [],
    qualified: false,
    touches: 0,
    slas: [],
    cadenceRuns: 0,
    recycle: { count: 0, reengaged: 0 },
    engagement: { count: 0 },
    merges: 0,
    ...fields,
  });

  it('holds when every clause holds; an empty condition holds for every lead', () => {
    const dachPro = leadCondition({ territory: ['DE', 'AT', 'CH'], 'attributes.plan': 'pro', doNotCall: false });
    expect(matchesCondition(lead({ territory: 'AT', attributes: { plan: 'pro' } }), dachPro)).toBe(true);
    expect(matchesCondition(lead({ territory: 'AT', attributes: { plan: 'pro' }, doNotCall: true }), dachPro)).toBe(false);
    expect(matchesCondition(lead({}), leadCondition({}))).toBe(true);
  });

  // An independent reading of the language, written from its description, on random leads and conditions.
  const TEXT = ['web', 'demo', 'DE', 'FR', 'pro'];
  const NUMBERS = [0, 49, 50, 51, 100];
  const SCALARS: (string | number | boolean)[] = [...TEXT, ...NUMBERS, true, false, '50'];
  const FIELD_KINDS = {
    source: 'text',
    territory: 'text',
    campaign: 'text',
    'contact.email': 'text',
    score: 'number',
    doNotCall: 'flag',
    'attributes.plan': 'any',
    'attributes.employees': 'any',
    'attributes.toString': 'any',
  } as const;
  type Field = keyof typeof FIELD_KINDS;

  const valuesOf = (kind: (typeof FIELD_KINDS)[Field]): fc.Arbitrary<string | number | boolean> =>
    kind === 'text' ? fc.constantFrom(...TEXT) : kind === 'number' ? fc.constantFrom(...NUMBERS) : kind === 'flag' ? fc.boolean() : fc.constantFrom(...SCALARS);

  const conditionOf = (field: Field): fc.Arbitrary<unknown> => {
    const kind = FIELD_KINDS[field];
    const value = valuesOf(kind);
    const ordered = kind === 'number' || kind === 'any';
    const operators = fc
      .record(
        {
          equals: value,
          in: fc.array(value, { minLength: 1, maxLength: 3 }),
          exists: fc.constant(true),
          ...(ordered ? { gte: fc.constantFrom(...NUMBERS), lte: fc.constantFrom(...NUMBERS) } : {}),
        },
        { requiredKeys: [] },
      )
      .filter((ops) => Object.keys(ops).length > 0)
      .map((ops: Record<string, unknown>) =>
        typeof ops.gte === 'number' && typeof ops.lte === 'number' && ops.gte > ops.lte ? { ...ops, gte: ops.lte, lte: ops.gte } : ops,
      );
    return fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 }), operators, fc.constant({ exists: false }));
  };

  const condition = fc
    .uniqueArray(fc.constantFrom(...(Object.keys(FIELD_KINDS) as Field[])), { maxLength: 4 })
    .chain((fields) => fc.tuple(...fields.map((field) => conditionOf(field).map((written) => [field, written] as const))))
    .chain((entries) =>
      fc.record({ minScore: fc.constantFrom(...NUMBERS) }, { requiredKeys: [] }).map((extra) => ({ ...Object.fromEntries(entries), ...extra })),
    );

  const randomLead = fc
    .record(
      {
        source: fc.constantFrom('web', 'demo'),
        territory: fc.constantFrom('DE', 'FR'),
        campaign: fc.constantFrom('web', 'pro'),
        score: fc.constantFrom(...NUMBERS),
        email: fc.constant('ada@example.com'),
        doNotCall: fc.boolean(),
        attributes: fc.record({ plan: fc.constantFrom(...SCALARS), employees: fc.constantFrom(...SCALARS) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['source', 'doNotCall'] },
    )
    .map(({ email, ...fields }) => lead({ ...fields, contact: email ? { email } : {} }));

  function read(subject: LeadContext, field: string): unknown {
    if (field.startsWith('attributes.')) {
      const key = field.slice('attributes.'.length);
      return subject.attributes && Object.hasOwn(subject.attributes, key) ? subject.attributes[key] : undefined;
    }
    if (field.startsWith('contact.')) return subject.contact[field.slice('contact.'.length) as keyof LeadContext['contact']];
    return subject[field as keyof LeadContext];
  }

  function expected(subject: LeadContext, when: Record<string, unknown>): boolean {
    return Object.entries(when).every(([field, written]) => {
      if (field === 'minScore') return subject.score !== undefined && subject.score >= (written as number);
      const value = read(subject, field);
      if (Array.isArray(written)) return value !== undefined && written.includes(value);
      if (typeof written !== 'object' || written === null) return value !== undefined && value === written;
      const ops = written as { equals?: unknown; in?: unknown[]; gte?: number; lte?: number; exists?: boolean };
      if (ops.exists === false) return value === undefined;
      if (value === undefined) return false;
      return (
        (ops.equals === undefined || value === ops.equals) &&
        (ops.in === undefined || ops.in.includes(value)) &&
        (ops.gte === undefined || (typeof value === 'number' && value >= ops.gte)) &&
        (ops.lte === undefined || (typeof value === 'number' && value <= ops.lte))
      );
    });
  }

  it('agrees with a straightforward reading of the condition on random leads', () => {
    fc.assert(
      fc.property(randomLead, condition, (subject, when) => {
        expect(matchesCondition(subject, leadCondition(when as LeadConditionInput))).toBe(expected(subject, when));
      }),
      { numRuns: 500 },
    );
  });
});
