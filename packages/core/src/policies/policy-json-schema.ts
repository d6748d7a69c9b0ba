/**
 * The policy config as JSON Schema, for editors: completion and inline errors while a non-developer
 * writes the JSON that `definePolicies` builds.
 *
 * @module
 */
import { z } from 'zod';
import { policyConfigSchema } from './policy-config.js';

/**
 * The JSON Schema (draft 2020-12) of the policy config, as written: durations accept text (`'8h'`) or
 * milliseconds, and fields with defaults are optional. Checks that need code (a known time zone, shifts
 * that do not overlap, an SLA clock that names a calendar, the cadence section) are left to
 * `definePolicies`, which names every problem with its path.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { policyJsonSchema } from '@leadline/core';
 *
 * writeFileSync('leadline-policies.schema.json', `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
 * // in the config: { "$schema": "./leadline-policies.schema.json", "calendars": { ... } }
 * ```
 */
export function policyJsonSchema(): Record<string, unknown> {
  // `input`: editors check what people write, before transforms turn durations into milliseconds.
  // `any`: the cadence extension point is `unknown`, which JSON Schema renders as an empty (any) schema.
  return z.toJSONSchema(policyConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
