/**
 * The `RepDirectory` port: where the engine reads the team from (for routing and escalations), and
 * where it records that a rep was marked unavailable by an SLA escalation.
 *
 * @module
 */
import type { MaybePromise } from '../store/lead-store.js';
import type { Rep } from './rep.js';

/**
 * The team of a tenant, as routing and escalation need it.
 *
 * @example
 * ```ts
 * import { createEngine, MemoryRepDirectory } from '@leadline/core';
 *
 * const engine = createEngine({ reps: new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria' }] }) });
 * ```
 */
export interface RepDirectory {
  /** Every rep of the tenant, available or not. */
  reps(tenantId: string): MaybePromise<readonly Rep[]>;
  /** Marks a rep available or not; idempotent. */
  setAvailable(tenantId: string, repId: string, available: boolean): MaybePromise<void>;
}
