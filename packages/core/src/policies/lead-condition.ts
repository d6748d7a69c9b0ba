/**
 * The condition language of policy rules: conditions on any field captured with the lead, custom
 * `attributes.*` included, each an exact value, a list of values, or operators (`equals`, `in`, `gte`,
 * `lte`, `exists`). Every given condition must hold.
 *
 * ```ts
 * import type { LeadConditionInput } from '@leadline/core';
 *
 * const when: LeadConditionInput = { territory: 'DE', 'attributes.plan': { in: ['pro', 'enterprise'] }, score: { gte: 50 }, campaign: { exists: true } };
 * ```
 *
 * It lives apart from the SLA policy so that any rule-based policy (the routing policy next) can take the same
 * `when` and mean the same thing by it.
 *
 * @module
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { LeadContext } from '../lead/context.js';
import { problemsOf } from '../validation.js';

/**
 * A value a condition compares with: what a captured field or a custom attribute can hold.
 *
 * @example
 * ```ts
 * import type { ConditionValue } from '@leadline/core';
 *
 * const plan: ConditionValue = 'enterprise';
 * ```
 */
export type ConditionValue = string | number | boolean;

/**
 * Operators on one field; every given one must hold.
 *
 * - `equals`: the field has exactly this value (`100` and `'100'` differ).
 * - `in`: the field has one of these values.
 * - `gte` / `lte`: the field is a number at least / at most this (a text field never matches).
 * - `exists`: the field was captured (`true`) or was not (`false`).
 *
 * @example
 * ```ts
 * import type { ConditionOperators } from '@leadline/core';
 *
 * const employees: ConditionOperators<number> = { gte: 100, lte: 999 };
 * ```
 */
export interface ConditionOperators<T> {
  equals?: T;
  in?: readonly T[];
  gte?: number;
  lte?: number;
  exists?: boolean;
}

/**
 * The condition on one field: a value (equals), a list of values (in), or operators. `Ordered` is
 * `false` for text and flags: they have no order, so `gte` and `lte` are refused on them rather than
 * never matching.
 *
 * @example
 * ```ts
 * import type { FieldCondition } from '@leadline/core';
 *
 * const territory: FieldCondition<string, false> = ['DE', 'AT', 'CH'];
 * const score: FieldCondition<number> = { gte: 50 };
 * ```
 */
export type FieldCondition<T, Ordered extends boolean = true> =
  | T
  | readonly T[]
  | (Ordered extends true ? ConditionOperators<T> : Omit<ConditionOperators<T>, 'gte' | 'lte'>);

/**
 * A `when` as written: conditions by field path, all of which must hold. A field is one captured with
 * the lead, `contact.<field>`, or `attributes.<key>` for a custom attribute. `minScore: n` is the
 * shorthand of `score: { gte: n }`. An empty `when` matches every lead.
 *
 * @example
 * ```ts
 * import type { LeadConditionInput } from '@leadline/core';
 *
 * const when: LeadConditionInput = {
 *   source: ['demo_request', 'contact_request'],
 *   territory: 'DE',
 *   'attributes.plan': { in: ['pro', 'enterprise'] },
 *   'attributes.employees': { gte: 100, lte: 999 },
 *   campaign: { exists: true },
 * };
 * ```
 */
export interface LeadConditionInput {
  source?: FieldCondition<string, false>;
  campaign?: FieldCondition<string, false>;
  asset?: FieldCondition<string, false>;
  form?: FieldCondition<string, false>;
  priority?: FieldCondition<LeadContext['priority'], false>;
  segment?: FieldCondition<string, false>;
  territory?: FieldCondition<string, false>;
  score?: FieldCondition<number>;
  'contact.name'?: FieldCondition<string, false>;
  'contact.email'?: FieldCondition<string, false>;
  'contact.phone'?: FieldCondition<string, false>;
  'contact.company'?: FieldCondition<string, false>;
  'contact.timeZone'?: FieldCondition<string, false>;
  doNotCall?: FieldCondition<boolean, false>;
  doNotEmail?: FieldCondition<boolean, false>;
  /** Shorthand of `score: { gte: n }`, kept from the first version of SLA targets. */
  minScore?: number;
  [attribute: `attributes.${string}`]: FieldCondition<ConditionValue>;
}

/**
 * One condition after parsing: the field path and its operators (at least one). A value written alone
 * becomes `equals`, a list becomes `in`, `minScore` becomes `score` with `gte`.
 *
 * @example
 * ```ts
 * import type { LeadConditionClause } from '@leadline/core';
 *
 * const clause: LeadConditionClause = { field: 'attributes.plan', in: ['pro', 'enterprise'] };
 * ```
 */
export interface LeadConditionClause {
  readonly field: string;
  readonly equals?: ConditionValue;
  readonly in?: readonly ConditionValue[];
  readonly gte?: number;
  readonly lte?: number;
  readonly exists?: boolean;
}

/**
 * A parsed `when`: clauses that must all hold. Empty matches every lead.
 *
 * @example
 * ```ts
 * import { type LeadCondition, leadCondition } from '@leadline/core';
 *
 * const condition: LeadCondition = leadCondition({ territory: 'DE', score: { gte: 50 } });
 * ```
 */
export type LeadCondition = readonly LeadConditionClause[];

type Kind = 'text' | 'number' | 'flag' | 'priority' | 'attribute';

/**
 * The captured fields a condition may name, with how each is read. The readers are explicit so that
 * a condition can only see what came in with the lead, not the state the machine keeps (owner,
 * touches), which changes after the rules ran.
 */
const FIELDS = {
  source: { kind: 'text', read: (lead) => lead.source },
  campaign: { kind: 'text', read: (lead) => lead.campaign },
  asset: { kind: 'text', read: (lead) => lead.asset },
  form: { kind: 'text', read: (lead) => lead.form },
  priority: { kind: 'priority', read: (lead) => lead.priority },
  segment: { kind: 'text', read: (lead) => lead.segment },
  territory: { kind: 'text', read: (lead) => lead.territory },
  score: { kind: 'number', read: (lead) => lead.score },
  'contact.name': { kind: 'text', read: (lead) => lead.contact?.name },
  'contact.email': { kind: 'text', read: (lead) => lead.contact?.email },
  'contact.phone': { kind: 'text', read: (lead) => lead.contact?.phone },
  'contact.company': { kind: 'text', read: (lead) => lead.contact?.company },
  'contact.timeZone': { kind: 'text', read: (lead) => lead.contact?.timeZone },
  doNotCall: { kind: 'flag', read: (lead) => lead.doNotCall },
  doNotEmail: { kind: 'flag', read: (lead) => lead.doNotEmail },
} satisfies Record<string, { kind: Kind; read: (lead: LeadContext) => ConditionValue | undefined }>;
type KnownField = keyof typeof FIELDS;

const ATTRIBUTE_PREFIX = 'attributes.';
const MIN_SCORE = 'minScore';
const KNOWN_FIELDS = [...Object.keys(FIELDS), `${ATTRIBUTE_PREFIX}<key>`, MIN_SCORE];

function isKnownField(field: string): field is KnownField {
  return Object.hasOwn(FIELDS, field);
}

function isAttributeField(field: string): boolean {
  return field.startsWith(ATTRIBUTE_PREFIX) && field.length > ATTRIBUTE_PREFIX.length;
}

const VALUES: Record<Kind, z.ZodType<ConditionValue>> = {
  text: z.string().min(1, 'must not be empty'),
  number: z.number(),
  flag: z.boolean(),
  priority: z.enum(['low', 'normal', 'high']),
  attribute: z.union([z.string(), z.number(), z.boolean()], { error: 'must be text, a number, true or false' }),
};
const bound = z.number({ error: 'must be a number: gte and lte compare numbers' });

function operatorsSchema(field: string, kind: Kind) {
  const value = VALUES[kind];
  const ordered = kind === 'number' || kind === 'attribute';
  const allowed = ordered ? ['equals', 'in', 'gte', 'lte', 'exists'] : ['equals', 'in', 'exists'];
  return z
    .strictObject(
      {
        equals: value.optional(),
        in: z.array(value).min(1, 'needs at least one value').optional(),
        ...(ordered ? { gte: bound.optional(), lte: bound.optional() } : {}),
        exists: z.boolean().optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `unknown operator ${issue.keys.map((key) => `"${key}"`).join(', ')}; ${field} takes ${allowed.join(', ')}`
            : undefined,
      },
    )
    .superRefine(
      (parsed, ctx) => {
        // The spread above hides `gte` and `lte` from inference; they are numbers when present.
        const operators = parsed as ConditionOperators<ConditionValue>;
        const given = Object.entries(operators).filter(([, operand]) => operand !== undefined);
        // `{}` would silently match every lead, which is never what a rule author meant.
        if (given.length === 0) ctx.addIssue({ code: 'custom', message: `needs at least one operator: ${allowed.join(', ')}` });
        if (operators.exists === false && given.length > 1)
          ctx.addIssue({ code: 'custom', path: ['exists'], message: 'exists: false matches only a missing field, so it cannot go with other operators' });
        if (operators.gte !== undefined && operators.lte !== undefined && operators.gte > operators.lte)
          ctx.addIssue({ code: 'custom', path: ['lte'], message: `must not be below gte (${operators.gte}), or nothing matches` });
      },
      // Only on operators that parsed: an unknown operator is reported once, not also as "none given".
      { when: (payload) => payload.issues.length === 0 },
    );
}

/**
 * Adds the problems of `input` under `schema` to `ctx`, at their exact paths below `path`. It is how the
 * schemas below report a branch's problems themselves (see {@link fieldConditionSchema}).
 */
function reportInto(ctx: z.RefinementCtx, schema: z.ZodType, input: unknown, path: PropertyKey[] = []): void {
  const result = schema.safeParse(input);
  if (!result.success)
    for (const issue of result.error.issues) {
      const at = [...path, ...issue.path];
      // A pipe goes on past `unrecognized_keys`, so as such it would run the union and be reported twice.
      ctx.addIssue(issue.code === 'unrecognized_keys' ? { code: 'custom', path: at, message: issue.message } : { ...issue, path: at });
    }
}

/**
 * The condition on one field: a value, a list, or operators. A zod union reports a failed branch only
 * as "Invalid input" at the field, so the branch is chosen by the input's shape first and its problems
 * reported at their exact paths (`...when.score.gte`); the union stays for the JSON Schema and the type.
 */
function fieldConditionSchema(field: string, kind: Kind) {
  const scalar = VALUES[kind];
  const list = z.array(scalar).min(1, 'needs at least one value');
  const operators = operatorsSchema(field, kind);
  return z.preprocess(
    (input, ctx) => {
      reportInto(ctx, Array.isArray(input) ? list : typeof input === 'object' && input !== null ? operators : scalar, input);
      return input;
    },
    z.union([scalar, list, operators]),
  );
}

const FIELD_SCHEMAS: Record<string, z.ZodType> = Object.fromEntries(
  Object.entries(FIELDS).map(([field, { kind }]) => [field, fieldConditionSchema(field, kind)]),
);
FIELD_SCHEMAS[MIN_SCORE] = z.number().finite().describe('Shorthand of score: { gte }.');
const ATTRIBUTE_SCHEMA = fieldConditionSchema(`${ATTRIBUTE_PREFIX}<key>`, 'attribute');

/** A hint for a field path that names nothing: a nested `attributes`/`contact`, or a near miss (a typo). */
function hintFor(field: string, written: unknown): string {
  if (field === 'attributes' || field === 'contact') {
    const key = typeof written === 'object' && written !== null ? Object.keys(written)[0] : undefined;
    return ` (paths are flat: write ${field}.${key ?? 'key'})`;
  }
  const near = closest(field);
  return near ? ` (did you mean ${near}?)` : '';
}

function closest(field: string): string | undefined {
  const distance = (a: string, b: string): number => {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++)
        current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
    return previous[b.length] ?? Number.POSITIVE_INFINITY;
  };
  return [...Object.keys(FIELDS), MIN_SCORE].find((known) => distance(field.toLowerCase(), known.toLowerCase()) <= 2);
}

function normalize(when: Record<string, unknown>): LeadCondition {
  return Object.entries(when).flatMap(([field, written]): LeadConditionClause[] => {
    if (written === undefined) return [];
    if (field === MIN_SCORE) return [{ field: 'score', gte: written as number }];
    if (Array.isArray(written)) return [{ field, in: written as ConditionValue[] }];
    if (typeof written === 'object' && written !== null) return [{ field, ...(written as ConditionOperators<ConditionValue>) }];
    return [{ field, equals: written as ConditionValue }];
  });
}

// Typed by hand (the cast at the end): the shape is built from the field table, so zod cannot infer
// the field names, and the template-literal key of the input type lets TypeScript refuse a misspelt
// field in a literal `when`.
/**
 * zod schema of a `when` ({@link LeadConditionInput}); parses to a {@link LeadCondition}. Field paths
 * that name no captured field are refused at their own path, with the known fields; values are checked
 * against the field (a score is a number, a priority is low, normal or high).
 *
 * @example
 * ```ts
 * import { leadConditionSchema } from '@leadline/core';
 *
 * const result = leadConditionSchema.safeParse({ teritory: 'DE' });
 * result.error?.issues[0]?.path; // ['teritory']
 * ```
 */
export const leadConditionSchema = z.preprocess(
  (when, ctx) => {
    // A `when` that is no object is left to the object schema, which says so.
    if (typeof when !== 'object' || when === null || Array.isArray(when)) return when;
    // Each key on its own: an unknown field gets one problem, not also those of its value checked as
    // an attribute's, and a misspelt field and a bad value elsewhere are reported together.
    for (const [field, written] of Object.entries(when)) {
      const schema = FIELD_SCHEMAS[field] ?? (isAttributeField(field) ? ATTRIBUTE_SCHEMA : undefined);
      if (schema) {
        if (written !== undefined) reportInto(ctx, schema, written, [field]);
        continue;
      }
      ctx.addIssue({ code: 'custom', path: [field], message: `is no captured field${hintFor(field, written)}; known: ${KNOWN_FIELDS.join(', ')}` });
    }
    return when;
  },
  // For the JSON Schema and as the last word: the known fields, and any `attributes.<key>` (the CRM's own keys).
  z
    .object(Object.fromEntries(Object.entries(FIELD_SCHEMAS).map(([field, schema]) => [field, schema.optional()])))
    .catchall(ATTRIBUTE_SCHEMA.optional())
    .transform(normalize),
) as unknown as z.ZodType<LeadCondition, LeadConditionInput>;

/**
 * Parses a `when`, or throws.
 *
 * @throws ConfigError naming every problem with its path.
 * @example
 * ```ts
 * import { leadCondition } from '@leadline/core';
 *
 * const enterprise = leadCondition({ segment: 'enterprise', 'attributes.employees': { gte: 1000 } });
 * ```
 */
export function leadCondition(when: LeadConditionInput): LeadCondition {
  const result = leadConditionSchema.safeParse(when);
  if (!result.success) throw new ConfigError('lead condition', problemsOf(result.error));
  return result.data;
}

/** The value of a field path on the lead, or `undefined` when it was not captured. */
function fieldValue(lead: LeadContext, field: string): ConditionValue | undefined {
  if (isKnownField(field)) return FIELDS[field].read(lead) ?? undefined;
  if (!isAttributeField(field)) return undefined;
  const attributes = lead.attributes;
  const key = field.slice(ATTRIBUTE_PREFIX.length);
  // Own keys only: `attributes.constructor` must not find Object's prototype.
  return attributes && Object.hasOwn(attributes, key) ? (attributes[key] ?? undefined) : undefined;
}

function holds(clause: LeadConditionClause, value: ConditionValue | undefined): boolean {
  // A missing field fails every operator except `exists: false`: a rule on the plan says nothing
  // about leads whose plan is unknown.
  if (clause.exists !== undefined && clause.exists !== (value !== undefined)) return false;
  if (clause.equals !== undefined && value !== clause.equals) return false;
  if (clause.in !== undefined && (value === undefined || !clause.in.includes(value))) return false;
  if (clause.gte !== undefined && !(typeof value === 'number' && value >= clause.gte)) return false;
  if (clause.lte !== undefined && !(typeof value === 'number' && value <= clause.lte)) return false;
  return true;
}

/**
 * Whether the lead meets every clause of the condition. Pure: it reads only the lead's captured fields.
 *
 * @example
 * ```ts
 * import { createEngine, leadCondition, matchesCondition } from '@leadline/core';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', territory: 'DE', attributes: { plan: 'pro' }, contact: {} });
 * const { lead } = await engine.get(leadId);
 * matchesCondition(lead, leadCondition({ territory: ['DE', 'AT'], 'attributes.plan': 'pro' })); // true for a pro lead in DE
 * ```
 */
export function matchesCondition(lead: LeadContext, condition: LeadCondition): boolean {
  return condition.every((clause) => holds(clause, fieldValue(lead, clause.field)));
}
