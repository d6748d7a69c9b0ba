/**
 * The one place where zod results become Leadline errors, so every public input fails the same way.
 *
 * @module
 */
import type { z } from 'zod';
import { ConfigError, type Problem, ValidationError } from './errors.js';

/** Turns zod's issues into {@link Problem}s. */
export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
    code: issue.code,
  }));
}

/**
 * Parses a public input, or throws {@link ValidationError} naming every problem.
 *
 * @example
 * ```ts
 * const event = parseInput(leadEventSchema, raw, 'event');
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(subject, problemsOf(result.error));
  return result.data;
}

/**
 * Parses a policy configuration, or throws {@link ConfigError} naming every problem.
 *
 * @example
 * ```ts
 * const config = parseConfig(schema, options, 'firstTouchSla config');
 * ```
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(subject, problemsOf(result.error));
  return result.data;
}
