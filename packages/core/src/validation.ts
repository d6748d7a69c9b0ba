/**
 * The one place where zod results become Leadline errors, so every public input fails the same way; and
 * the checks every input shares: the text an id, a name or a note may hold, and the object keys no input
 * may use (see limits.ts for the bounds).
 *
 * @module
 */
import { z } from 'zod';
import { ConfigError, type Problem, ValidationError } from './errors.js';
import { MAX_TENANT_ID_LENGTH, RESERVED_KEYS } from './limits.js';

/** Unicode control characters (NUL, TAB, CR, LF, ESC, DEL, the C1 block): never part of an id or a name. */
const CONTROL = /\p{Cc}/u;
/** A UTF-16 surrogate with no partner: not a character, and PostgreSQL refuses it in text and in JSON. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

function refuseUnpairedSurrogates(text: string, ctx: z.RefinementCtx): void {
  if (UNPAIRED_SURROGATE.test(text))
    ctx.addIssue({ code: 'custom', message: 'must not contain an unpaired UTF-16 surrogate (text cut in the middle of a character)' });
}

/**
 * zod schema of a one-line identifier or name (an id, a tenant, an owner, a source): trimmed (unless
 * `trim: false`, for keys), 1 to `max` characters, with no control character (NUL, CR, LF, TAB ...) and
 * no unpaired surrogate; `empty` is the message for an empty one. Such values end up as keys in a store,
 * in HTTP headers and in log lines, where a NUL is refused by PostgreSQL and a CR/LF breaks the header
 * of every webhook about the lead.
 *
 * @example
 * ```ts
 * import { singleLineSchema } from './validation.js';
 *
 * singleLineSchema(200).safeParse('ann').success; // true
 * singleLineSchema(200).safeParse('ann\r\nX-Injected: 1').success; // false
 * ```
 */
export function singleLineSchema(max: number, options: { empty?: string; trim?: boolean } = {}): z.ZodType<string, string> {
  const text = options.trim === false ? z.string() : z.string().trim();
  return text
    .min(1, options.empty ?? 'must be a non-empty string')
    .max(max, `must be at most ${max} characters`)
    .superRefine((text, ctx) => {
      if (CONTROL.test(text)) ctx.addIssue({ code: 'custom', message: 'must not contain control characters such as NUL, CR, LF or TAB' });
      refuseUnpairedSurrogates(text, ctx);
    });
}

/**
 * zod schema of free text (a note, a reason, an attribute's value): at most `max` characters, line breaks
 * welcome, but no NUL and no unpaired surrogate, which no store can keep. With `empty` (the message for
 * an empty one) it is trimmed and required, as a reason is.
 *
 * @example
 * ```ts
 * import { freeTextSchema } from './validation.js';
 *
 * freeTextSchema(2000).safeParse('called twice\nleft a voicemail').success; // true
 * freeTextSchema(2000).safeParse('left\u0000voicemail').success; // false
 * freeTextSchema(500, { empty: 'must say why' }).safeParse('  ').success; // false
 * ```
 */
export function freeTextSchema(max: number, options: { empty?: string } = {}): z.ZodType<string, string> {
  const text = options.empty === undefined ? z.string() : z.string().trim().min(1, options.empty);
  return text.max(max, `must be at most ${max} characters`).superRefine((value, ctx) => {
    if (value.includes('\u0000')) ctx.addIssue({ code: 'custom', message: 'must not contain NUL characters' });
    refuseUnpairedSurrogates(value, ctx);
  });
}

/**
 * zod schema of a tenant id: a one-line identifier of at most {@link MAX_TENANT_ID_LENGTH} characters
 * (`'default'` when absent). Every row of every store is keyed by it.
 *
 * @example
 * ```ts
 * import { tenantIdSchema } from './validation.js';
 *
 * tenantIdSchema.parse(undefined); // 'default'
 * tenantIdSchema.safeParse('acme\u0000').success; // false
 * ```
 */
export const tenantIdSchema = singleLineSchema(MAX_TENANT_ID_LENGTH).default('default');

const objectPrototype = Object.prototype;

/**
 * Every own key of a plain object or array within `input` that is one of {@link RESERVED_KEYS}, as a
 * problem at its path. zod cannot report them: a record parses `__proto__` by leaving it out, and
 * `constructor` would shadow what every object has. Class instances (a built calendar, a `Date`) are not
 * entered: they are not JSON.
 *
 * @example
 * ```ts
 * import { reservedKeyProblems } from './validation.js';
 *
 * reservedKeyProblems(JSON.parse('{ "attributes": { "__proto__": "x" } }'));
 * // [{ path: ['attributes', '__proto__'], message: 'is a reserved key ...', code: 'reserved_key' }]
 * ```
 */
export function reservedKeyProblems(input: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new WeakSet<object>();
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
      return;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== objectPrototype && prototype !== null) return;
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.includes(key)) {
        problems.push({ path: [...path, key], message: `is a reserved key (${RESERVED_KEYS.join(', ')}); name it differently`, code: 'reserved_key' });
      } else {
        visit((value as Record<string, unknown>)[key], [...path, key]);
      }
    }
  };
  visit(input, []);
  return problems;
}

/**
 * Turns zod's issues into {@link Problem}s; a bad record key says what is wrong with it.
 *
 * @example
 * ```ts
 * import { captureInputSchema } from '@leadline/core';
 * import { problemsOf } from './validation.js';
 *
 * const result = captureInputSchema.safeParse({ id: '', at: 'yesterday', source: 'web', contact: {} });
 * if (!result.success) problemsOf(result.error); // [{ path: ['id'], ... }, { path: ['at'], ... }]
 * ```
 */
export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.code === 'invalid_key' ? `is not a valid key: ${issue.issues.map((inner) => inner.message).join('; ')}` : issue.message,
    code: issue.code,
  }));
}

/**
 * Parses a public input, or throws {@link ValidationError} naming every problem.
 *
 * @example
 * ```ts
 * import { leadEventSchema } from '@leadline/core';
 * import { parseInput } from './validation.js';
 *
 * const raw: unknown = JSON.parse('{ "type": "lead.converted", "id": "c1", "at": "2026-03-02T10:00:00Z" }'); // from the CRM
 * const event = parseInput(leadEventSchema, raw, 'event');
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  const problems = allProblems(result, input);
  if (problems.length > 0) throw new ValidationError(subject, problems);
  return result.data as z.output<S>;
}

/**
 * Parses a policy configuration, or throws {@link ConfigError} naming every problem.
 *
 * @example
 * ```ts
 * import { firstTouchSlaConfigSchema } from '@leadline/core';
 * import { parseConfig } from './validation.js';
 *
 * const config = parseConfig(firstTouchSlaConfigSchema, { within: '5m' }, 'firstTouchSla config');
 * ```
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  const problems = allProblems(result, input);
  if (problems.length > 0) throw new ConfigError(subject, problems);
  return result.data as z.output<S>;
}

/** zod's problems, then each reserved key zod has not already named at its path. */
function allProblems(result: z.ZodSafeParseResult<unknown>, input: unknown): Problem[] {
  const problems = result.success ? [] : problemsOf(result.error);
  const named = new Set(problems.map((problem) => JSON.stringify(problem.path)));
  for (const problem of reservedKeyProblems(input)) if (!named.has(JSON.stringify(problem.path))) problems.push(problem);
  return problems;
}
