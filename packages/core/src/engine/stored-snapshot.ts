/**
 * A stored lead's live snapshot, checked before the engine works with it. A row edited by hand, written
 * by another program or damaged by a migration must stop with a `MalformedRowError` naming the lead and
 * the column, never as a raw error deep in a transition, and never be hidden by the snapshot cache: the
 * cheap checks run on every load, cached or not, and the full restore (XState resolving the state value)
 * runs whenever the cache has nothing for this version.
 *
 * @module
 */
import { MalformedRowError } from '../errors.js';
import { LIFECYCLE_STATES, lifecycleOf } from '../lead/states.js';
import type { StoredLead } from '../store/lead-store.js';
import type { LeadSnapshot, MachineRunner } from './machine-runner.js';
import type { SnapshotCache } from './snapshot-cache.js';

const STATES: ReadonlySet<string> = new Set(LIFECYCLE_STATES);
const STATUSES: ReadonlySet<unknown> = new Set(['active', 'done']);

/** The context fields every lead has, and the type each must be. */
const CONTEXT_FIELDS: readonly [string, 'string' | 'number' | 'object' | 'array'][] = [
  ['leadId', 'string'],
  ['tenantId', 'string'],
  ['capturedAt', 'number'],
  ['source', 'string'],
  ['touches', 'number'],
  ['slas', 'array'],
  ['previousOwners', 'array'],
  ['recycle', 'object'],
  ['engagement', 'object'],
];

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return value === null ? 'null' : typeof value;
}

/** What is wrong with a stored lead's row, as `[column, problem]`; `undefined` when nothing is. */
function problemOf(stored: StoredLead): [string, string] | undefined {
  const snapshot = stored.snapshot as Record<string, unknown> | null;
  if (typeOf(snapshot) !== 'object') return ['snapshot', `must be a persisted machine snapshot, got ${typeOf(snapshot)}`];
  const { status, value, context } = snapshot as Record<string, unknown>;
  if (!STATUSES.has(status)) return ['snapshot', `status must be active or done, got ${JSON.stringify(status)}`];
  if (typeof value !== 'string' && typeOf(value) !== 'object') return ['snapshot', `value must be a state value, got ${typeOf(value)}`];
  let state: string;
  try {
    state = lifecycleOf(value);
  } catch {
    return ['snapshot', `value ${JSON.stringify(value)} is not a lead's state`];
  }
  if (!STATES.has(state)) return ['snapshot', `value ${JSON.stringify(value)} is not a lead's state`];
  if (!STATES.has(stored.state)) return ['state', `must be one of ${LIFECYCLE_STATES.join(', ')}, got ${JSON.stringify(stored.state)}`];
  if (state !== stored.state) return ['state', `says ${stored.state}, but the snapshot is ${state}`];
  if (typeOf(context) !== 'object') return ['snapshot', `context must be an object, got ${typeOf(context)}`];
  const fields = context as Record<string, unknown>;
  for (const [field, type] of CONTEXT_FIELDS) {
    if (typeOf(fields[field]) !== type)
      return ['snapshot', `context.${field} must be ${type === 'array' ? 'an array' : `a ${type}`}, got ${typeOf(fields[field])}`];
  }
  if (fields.leadId !== stored.leadId) return ['snapshot', `context.leadId is ${JSON.stringify(fields.leadId)}, not the row's lead`];
  return undefined;
}

function malformed(stored: StoredLead, column: string, problem: string, cause?: unknown): MalformedRowError {
  const error = new MalformedRowError('leads', stored.tenantId, `lead "${stored.leadId}"`, `column ${column} ${problem}`);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause });
  return error;
}

/**
 * The live snapshot of a stored lead: the cached one for its version when there is one, else restored
 * from the row; either way only after the row passed its checks.
 *
 * @throws MalformedRowError when the row is not what the engine writes.
 * @example
 * ```ts
 * import type { StoredLead } from '@leadline/core';
 * import type { MachineRunner } from './machine-runner.js';
 * import type { SnapshotCache } from './snapshot-cache.js';
 * import { storedSnapshot } from './stored-snapshot.js';
 *
 * declare const stored: StoredLead; // as the store loaded it
 * declare const runner: MachineRunner;
 * declare const cache: SnapshotCache;
 * const snapshot = storedSnapshot(stored, runner, cache); // or a MalformedRowError naming lead and column
 * ```
 */
export function storedSnapshot(stored: StoredLead, runner: MachineRunner, cache: SnapshotCache): LeadSnapshot {
  const problem = problemOf(stored);
  if (problem) throw malformed(stored, ...problem);
  const cached = cache.get(stored.leadId, stored.version);
  // A cached snapshot stands for this version only while the row still says the same state.
  if (cached && JSON.stringify(cached.value) === JSON.stringify((stored.snapshot as { value: unknown }).value)) return cached;
  try {
    return runner.restore(stored.snapshot);
  } catch (error) {
    throw malformed(stored, 'snapshot', `cannot be restored: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

/**
 * Checks that a lead's event count matches its history, as `get()` reads both.
 *
 * @throws MalformedRowError naming the `event_count` column when they differ.
 * @example
 * ```ts
 * import type { HistoryEntry, StoredLead } from '@leadline/core';
 * import { checkEventCount } from './stored-snapshot.js';
 *
 * declare const stored: StoredLead;
 * declare const history: HistoryEntry[];
 * checkEventCount(stored, history.length);
 * ```
 */
export function checkEventCount(stored: StoredLead, historyLength: number): void {
  if (stored.eventCount !== historyLength)
    throw malformed(stored, 'event_count', `is ${stored.eventCount}, but the lead's history holds ${historyLength} entries`);
}
