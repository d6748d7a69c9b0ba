/**
 * The minimal qualification policy: leads from the listed sources (or all leads) pass central
 * qualification before any rep gets them.
 *
 * @module
 */
import { z } from 'zod';
import { parseConfig } from '../validation.js';
import type { QualificationPolicy } from './types.js';

/**
 * zod schema of the options of {@link centralQualification}; durations are parsed to milliseconds.
 *
 * @example
 * ```ts
 * import { centralQualificationConfigSchema } from '@leadline/core';
 *
 * centralQualificationConfigSchema.safeParse({ sources: ['content_download'] }).success; // true
 * ```
 */
export const centralQualificationConfigSchema = z.strictObject({ sources: z.array(z.string().min(1)).min(1).optional() });

/** Options of {@link centralQualification}. */
export type CentralQualificationConfig = z.input<typeof centralQualificationConfigSchema>;

/**
 * Requires central qualification for every lead, or for the listed sources only.
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { centralQualification } from '@leadline/core';
 *
 * const qualification = centralQualification({ sources: ['event', 'content_download'] });
 * ```
 */
export function centralQualification(config: CentralQualificationConfig = {}): QualificationPolicy {
  const { sources } = parseConfig(centralQualificationConfigSchema, config, 'centralQualification config');
  const only = sources ? new Set(sources) : undefined;
  return { name: 'central', required: (lead) => (only ? only.has(lead.source) : true) };
}
