/**
 * Rows back into the port's types. Every value is checked on the way out, because a row may have been
 * edited by hand or written by another program: the engine gets a well-formed lead or a
 * `MalformedRowError` that names the row, never a half-understood one.
 *
 * Drivers differ in what they return for `bigint` (node-postgres: a string, PGlite: a number), so
 * instants are converted here, once.
 *
 * @module
 */

import type {
  ClaimedMessage,
  ClaimedTimer,
  ContactTouches,
  HistoryEntry,
  OutboxRecord,
  StoredLead,
  TimerDeadLetter,
  TimerRow,
  TouchChannel,
} from '@leadline/core/adapter-kit';
import { LIFECYCLE_STATES, type LifecycleState, MalformedRowError, TOUCH_CHANNELS } from '@leadline/core/adapter-kit';
import type { SqlRow } from './database.js';

const STATES: ReadonlySet<string> = new Set(LIFECYCLE_STATES);
const CHANNELS: ReadonlySet<string> = new Set(TOUCH_CHANNELS);

/** Reads the columns of one row, and says which row and column when one is wrong. */
class RowReader {
  constructor(
    private readonly table: string,
    private readonly tenantId: string,
    private readonly key: string,
    private readonly row: SqlRow,
  ) {}

  fail(column: string, expected: string): never {
    const value = this.row[column];
    const shown = value === null || value === undefined ? String(value) : `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
    throw new MalformedRowError(this.table, this.tenantId, this.key, `column ${column} must be ${expected}, got ${shown}`);
  }

  integer(column: string, min: number): number {
    const value = this.row[column];
    const number = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min) return this.fail(column, `an integer >= ${min}`);
    return number;
  }

  text(column: string): string {
    const value = this.row[column];
    return typeof value === 'string' ? value : this.fail(column, 'text');
  }

  optionalText(column: string): string | undefined {
    const value = this.row[column];
    if (value === null || value === undefined) return undefined;
    return typeof value === 'string' ? value : this.fail(column, 'text or null');
  }

  boolean(column: string): boolean {
    const value = this.row[column];
    return typeof value === 'boolean' ? value : this.fail(column, 'a boolean');
  }

  state(column: string): LifecycleState {
    const value = this.row[column];
    return typeof value === 'string' && STATES.has(value) ? (value as LifecycleState) : this.fail(column, `one of ${LIFECYCLE_STATES.join(', ')}`);
  }

  object(column: string): Record<string, unknown> {
    const value = this.row[column];
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : this.fail(column, 'a JSON object');
  }

  strings(column: string): string[] {
    const value = this.row[column];
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : this.fail(column, 'a JSON array of strings');
  }

  /** A `text[]` column: an array of strings, or null. */
  optionalTextArray(column: string): string[] | undefined {
    const value = this.row[column];
    if (value === null || value === undefined) return undefined;
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : this.fail(column, 'an array of text or null');
  }

  channel(column: string): TouchChannel {
    const value = this.row[column];
    return typeof value === 'string' && CHANNELS.has(value) ? (value as TouchChannel) : this.fail(column, `one of ${TOUCH_CHANNELS.join(', ')}`);
  }
}

/**
 * A `leads` row as a {@link StoredLead}.
 *
 * @throws MalformedRowError when a column does not hold what the store writes.
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { leadFromRow } from './rows.js';
 *
 * declare const row: SqlRow; // as `db.query` returned it
 * const lead = leadFromRow('acme', row);
 * ```
 */
export function leadFromRow(tenantId: string, row: SqlRow): StoredLead {
  const read = new RowReader('leads', tenantId, `lead "${String(row.lead_id)}"`, row);
  const lead: StoredLead = {
    tenantId,
    leadId: read.text('lead_id'),
    version: read.integer('version', 1),
    eventCount: read.integer('event_count', 0),
    state: read.state('state'),
    open: read.boolean('open'),
    overdue: read.boolean('overdue'),
    snapshot: read.object('snapshot'),
    updatedAt: read.integer('updated_at', Number.MIN_SAFE_INTEGER),
  };
  const owner = read.optionalText('owner');
  if (owner !== undefined) lead.owner = owner;
  const contactKeys = read.optionalTextArray('contact_keys');
  if (contactKeys !== undefined && contactKeys.length > 0) lead.contactKeys = contactKeys;
  return lead;
}

/**
 * `contact_touches` rows (one per channel, its latest touch) as {@link ContactTouches}.
 *
 * @throws MalformedRowError when a row holds an unknown channel or a broken instant.
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { contactTouchesFromRows } from './rows.js';
 *
 * declare const rows: SqlRow[]; // as `db.query` returned them
 * const touches = contactTouchesFromRows('acme', rows); // { call: 1772442060000 }
 * ```
 */
export function contactTouchesFromRows(tenantId: string, rows: readonly SqlRow[]): ContactTouches {
  const touches: ContactTouches = {};
  for (const row of rows) {
    const read = new RowReader('contact_touches', tenantId, `channel "${String(row.channel)}"`, row);
    touches[read.channel('channel')] = read.integer('last_at', Number.MIN_SAFE_INTEGER);
  }
  return touches;
}

/**
 * A `timers` row as a {@link TimerRow}.
 *
 * @throws MalformedRowError when a column does not hold what the store writes.
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { timerFromRow } from './rows.js';
 *
 * declare const row: SqlRow; // as `db.query` returned it
 * const timer = timerFromRow('acme', row);
 * ```
 */
export function timerFromRow(tenantId: string, row: SqlRow): TimerRow {
  const read = new RowReader('timers', tenantId, `lead "${String(row.lead_id)}" timer "${String(row.timer_id)}"`, row);
  const event = read.object('event');
  if (typeof event.type !== 'string') read.fail('event', 'an object with a string type');
  return {
    tenantId,
    leadId: read.text('lead_id'),
    timerId: read.text('timer_id'),
    dueAt: read.integer('due_at', Number.MIN_SAFE_INTEGER),
    eventId: read.text('event_id'),
    event: event as TimerRow['event'],
  };
}

/**
 * A claimed `timers` row as a {@link ClaimedTimer}.
 *
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { claimedTimerFromRow } from './rows.js';
 *
 * declare const row: SqlRow; // as `db.query` returned it
 * const claimed = claimedTimerFromRow('acme', row);
 * ```
 */
export function claimedTimerFromRow(tenantId: string, row: SqlRow): ClaimedTimer {
  const read = new RowReader('timers', tenantId, `lead "${String(row.lead_id)}" timer "${String(row.timer_id)}"`, row);
  const timer: ClaimedTimer = {
    ...timerFromRow(tenantId, row),
    claimToken: read.text('claim_token'),
    leaseUntil: read.integer('lease_until', Number.MIN_SAFE_INTEGER),
    attempt: read.integer('attempts', 1),
  };
  const lastError = read.optionalText('last_error');
  if (lastError !== undefined) timer.lastError = lastError;
  return timer;
}

/**
 * A `timer_dead_letters` row as a {@link TimerDeadLetter}.
 *
 * @throws MalformedRowError when a column does not hold what the store writes.
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { timerDeadLetterFromRow } from './rows.js';
 *
 * declare const rows: SqlRow[]; // as `db.query` returned them
 * const dead = rows.map((row) => timerDeadLetterFromRow('acme', row));
 * ```
 */
export function timerDeadLetterFromRow(tenantId: string, row: SqlRow): TimerDeadLetter {
  const read = new RowReader('timer_dead_letters', tenantId, `event "${String(row.event_id)}"`, row);
  return {
    ...timerFromRow(tenantId, row),
    attempts: read.integer('attempts', 0),
    error: read.text('error'),
    deadAt: read.integer('dead_at', Number.MIN_SAFE_INTEGER),
  };
}

/**
 * A `history` row as a {@link HistoryEntry}.
 *
 * @throws MalformedRowError when a column does not hold what the store writes.
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { historyFromRow } from './rows.js';
 *
 * declare const rows: SqlRow[]; // as `db.query` returned them
 * const entries = rows.map((row) => historyFromRow('acme', row));
 * ```
 */
export function historyFromRow(tenantId: string, row: SqlRow): HistoryEntry {
  const read = new RowReader('history', tenantId, `lead "${String(row.lead_id)}" entry ${String(row.seq)}`, row);
  return {
    tenantId,
    leadId: read.text('lead_id'),
    seq: read.integer('seq', 1),
    eventId: read.text('event_id'),
    type: read.text('type'),
    at: read.integer('at', Number.MIN_SAFE_INTEGER),
    from: row.from_state === null ? null : read.state('from_state'),
    to: read.state('to_state'),
    notes: read.strings('notes'),
  };
}

/**
 * An `outbox` (or `dead_letters`) row as an {@link OutboxRecord}: the message's own columns, plus the
 * fields the store keeps in `details` (whatever else the message carries).
 *
 * @throws MalformedRowError when a column does not hold what the store writes.
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { outboxFromRow } from './rows.js';
 *
 * declare const rows: SqlRow[]; // as `db.query` returned them
 * const pending = rows.map((row) => outboxFromRow('acme', row));
 * ```
 */
export function outboxFromRow(tenantId: string, row: SqlRow, table = 'outbox'): OutboxRecord {
  const read = new RowReader(table, tenantId, `message "${String(row.id)}"`, row);
  const record = {
    ...read.object('details'),
    id: read.text('id'),
    tenantId,
    leadId: read.text('lead_id'),
    kind: read.text('kind'),
    to: read.strings('recipients'),
    summary: read.text('summary'),
    createdAt: read.integer('created_at', Number.MIN_SAFE_INTEGER),
    attempts: read.integer('attempts', 0),
    availableAt: read.integer('available_at', Number.MIN_SAFE_INTEGER),
  } as OutboxRecord;
  const lastError = read.optionalText('last_error');
  if (lastError !== undefined) record.lastError = lastError;
  return record;
}

/**
 * A claimed `outbox` row as a {@link ClaimedMessage}.
 *
 * @example
 * ```ts
 * import type { SqlRow } from '@leadline/postgres';
 * import { claimedMessageFromRow } from './rows.js';
 *
 * declare const rows: SqlRow[]; // as `db.query` returned them
 * const claimed = rows.map((row) => claimedMessageFromRow('acme', row));
 * ```
 */
export function claimedMessageFromRow(tenantId: string, row: SqlRow): ClaimedMessage {
  const read = new RowReader('outbox', tenantId, `message "${String(row.id)}"`, row);
  return { ...outboxFromRow(tenantId, row), claimToken: read.text('claim_token'), leaseUntil: read.integer('lease_until', Number.MIN_SAFE_INTEGER) };
}
