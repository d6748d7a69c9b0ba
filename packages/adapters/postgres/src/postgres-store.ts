/**
 * `PostgresStore`: the `LeadStore` port on PostgreSQL, for a node-postgres pool or PGlite. A commit is
 * one call of the schema's `commit_units()` function (one statement, so one transaction); due timers
 * and outbox messages are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so that any number of
 * worker processes share one database and never fire the same timer at once.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  AssignmentConflictError,
  type ClaimedMessage,
  type ClaimedTimer,
  type CommitUnit,
  type ContactTouches,
  DuplicateEventError,
  type HistoryEntry,
  LAST_OUTBOX_INSTANT,
  type LeadQuery,
  type LeadStore,
  MalformedRowError,
  type MaybePromise,
  type OutboxRecord,
  type OwnerLoad,
  type StoreCapabilities,
  type StoredLead,
  type TimerDeadLetter,
  type TimerRow,
  ValidationError,
  VersionConflictError,
} from '@leadline/core/adapter-kit';
import { type CommitOutcome, type EncodedUnit, encodeUnit } from './commit-payload.js';
import type { Database, SqlRow } from './database.js';
import { GroupCommit } from './group-commit.js';
import { PrefetchedLeads } from './prefetched-leads.js';
import { type Queries, queriesFor, textArray } from './queries.js';
import {
  claimedMessageFromRow,
  claimedTimerFromRow,
  contactTouchesFromRows,
  historyFromRow,
  leadFromRow,
  outboxFromRow,
  timerDeadLetterFromRow,
  timerFromRow,
} from './rows.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema-name.js';

/**
 * Options of {@link PostgresStore}.
 *
 * @example
 * ```ts
 * import { fromPool, type PostgresStoreOptions } from '@leadline/postgres';
 * import pg from 'pg';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const options: PostgresStoreOptions = { db: fromPool(pool), schema: 'leadline', maxBatch: 100 };
 * ```
 */
export interface PostgresStoreOptions {
  /** The database, from `fromPool(pool)` or `fromPGlite(pglite)`. */
  db: Database;
  /** The schema `migrate()` set up (default `leadline`). */
  schema?: string;
  /** Commits sent together at most when they queue up behind one in flight (default 100). */
  maxBatch?: number;
}

/** Errors after which a statement that changed nothing may simply run again. */
const TRANSIENT = new Set(['40P01', '40001']);

/** The constraint a PostgreSQL error names, when it names one (node-postgres and PGlite both say it). */
function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  if (typeof constraint === 'string') return constraint;
  const message = error instanceof Error ? error.message : '';
  return /unique constraint "([^"]+)"/.exec(message)?.[1];
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A `LeadStore` on PostgreSQL. Run `migrate()` on the schema first (once per deploy, or at every
 * start: it is a no-op when up to date).
 *
 * Commits of many leads that arrive together share one round trip (group commit); each stays
 * all or nothing on its own.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createEngine, firstTouchSla } from '@leadline/core';
 * import { fromPool, migrate, PostgresStore } from '@leadline/postgres';
 *
 * const db = fromPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(db);
 * const engine = createEngine({ store: new PostgresStore({ db }), policies: { sla: firstTouchSla({ within: '5m' }) } });
 * engine.start(); // in as many processes as you like
 * ```
 */
export class PostgresStore implements LeadStore {
  readonly capabilities: StoreCapabilities = { durable: true, sharedAcrossProcesses: true };
  /** The schema this store reads and writes. */
  readonly schema: string;
  readonly db: Database;
  private readonly sql: Queries;
  private readonly group: GroupCommit<EncodedUnit, CommitOutcome>;
  private readonly prefetched = new PrefetchedLeads();

  constructor({ db, schema = DEFAULT_SCHEMA, maxBatch = 100 }: PostgresStoreOptions) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new ValidationError('PostgresStore options', [{ path: ['maxBatch'], message: 'must be a positive integer', code: 'too_small' }]);
    }
    this.db = db;
    this.schema = schema;
    this.sql = queriesFor(quoteSchema(schema));
    this.group = new GroupCommit<EncodedUnit, CommitOutcome>({
      maxBatch,
      commitMany: (units) => this.send(units),
      commitOne: (unit) => this.sendOne(unit),
    });
  }

  /** Answers at once, without a promise, for a lead whose timer this store just claimed. */
  load(tenantId: string, leadId: string): MaybePromise<StoredLead | undefined> {
    const prefetched = this.prefetched.take(tenantId, leadId);
    if (prefetched !== undefined) return leadFromRow(tenantId, prefetched);
    return this.loadFromDatabase(tenantId, leadId);
  }

  private async loadFromDatabase(tenantId: string, leadId: string): Promise<StoredLead | undefined> {
    const { rows } = await this.db.query(this.sql.loadLead, [tenantId, leadId]);
    return rows[0] === undefined ? undefined : leadFromRow(tenantId, rows[0]);
  }

  async eventLead(tenantId: string, eventId: string): Promise<string | undefined> {
    const { rows } = await this.db.query(this.sql.eventLead, [tenantId, eventId]);
    const leadId = rows[0]?.lead_id;
    return typeof leadId === 'string' ? leadId : undefined;
  }

  async commit(unit: CommitUnit): Promise<void> {
    const { lead, expectedVersion } = unit;
    // The same order of checks as the memory store: the version first, then the input.
    if (lead.version !== expectedVersion + 1) throw new VersionConflictError(lead.leadId, expectedVersion + 1, lead.version);
    this.prefetched.forget(lead.tenantId, lead.leadId);
    const outcome = await this.group.submit(encodeUnit(unit));
    if ('conflict' in outcome) throw new VersionConflictError(lead.leadId, expectedVersion, outcome.conflict);
    if ('duplicate' in outcome) throw new DuplicateEventError(outcome.duplicate, outcome.leadId);
    if ('assignmentConflict' in outcome) {
      // Only a unit with routedTo is answered so; the check ran with the write, under the owner's lock.
      const { owner, openBefore } = unit.routedTo ?? { owner: lead.owner ?? '', openBefore: 0 };
      throw new AssignmentConflictError(lead.leadId, owner, openBefore, outcome.assignmentConflict);
    }
  }

  async claimDueTimers(tenantId: string, now: number, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<ClaimedTimer[]> {
    if (limit < 1) return [];
    const { rows } = await this.db.query(this.sql.claimTimers, [tenantId, now, limit, randomUUID(), now + leaseMs]);
    const claimed = rows.map((row) => claimedTimerFromRow(tenantId, row));
    for (const row of rows) if (row.l_lead_id !== null && row.l_lead_id !== undefined) this.prefetched.put(tenantId, String(row.lead_id), leadColumns(row));
    return claimed;
  }

  async releaseTimer(timer: ClaimedTimer): Promise<void> {
    this.prefetched.forget(timer.tenantId, timer.leadId);
    await this.db.query(this.sql.releaseTimer, [timer.tenantId, timer.leadId, timer.timerId, timer.claimToken]);
  }

  async retryTimer(timer: ClaimedTimer, { retryAt, error }: { retryAt: number; error: string }): Promise<void> {
    this.prefetched.forget(timer.tenantId, timer.leadId);
    await this.db.query(this.sql.retryTimer, [timer.tenantId, timer.leadId, timer.timerId, timer.claimToken, retryAt, error]);
  }

  async deadLetterTimer(timer: ClaimedTimer, { error, at }: { error: string; at: number }): Promise<boolean> {
    this.prefetched.forget(timer.tenantId, timer.leadId);
    const { rows } = await this.db.query(this.sql.deadLetterTimer, [timer.tenantId, timer.leadId, timer.timerId, timer.claimToken, error, at]);
    return rows.length > 0;
  }

  async timerDeadLetters(tenantId: string, limit: number): Promise<TimerDeadLetter[]> {
    const { rows } = await this.db.query(this.sql.timerDeadLetters, [tenantId, Math.max(0, limit)]);
    return rows.map((row) => timerDeadLetterFromRow(tenantId, row));
  }

  async requeueTimerDeadLetter(tenantId: string, eventId: string, at: number): Promise<boolean> {
    const { rows } = await this.db.query(this.sql.requeueTimerDeadLetter, [tenantId, eventId, at]);
    return rows.length > 0;
  }

  async discardTimerDeadLetter(tenantId: string, eventId: string): Promise<boolean> {
    const { rows } = await this.db.query(this.sql.discardTimerDeadLetter, [tenantId, eventId]);
    return rows.length > 0;
  }

  async nextDueAt(tenantId: string): Promise<number | undefined> {
    const { rows } = await this.db.query(this.sql.nextDueAt, [tenantId]);
    const next = rows[0]?.next;
    return next === null || next === undefined ? undefined : Number(next);
  }

  async timersOf(tenantId: string, leadId: string): Promise<TimerRow[]> {
    const { rows } = await this.db.query(this.sql.timersOf, [tenantId, leadId]);
    return rows.map((row) => timerFromRow(tenantId, row));
  }

  async historyOf(tenantId: string, leadId: string): Promise<HistoryEntry[]> {
    const { rows } = await this.db.query(this.sql.historyOf, [tenantId, leadId]);
    return rows.map((row) => historyFromRow(tenantId, row));
  }

  async pendingOutbox(tenantId: string, limit: number): Promise<OutboxRecord[]> {
    const { rows } = await this.db.query(this.sql.pendingOutbox, [tenantId, limit]);
    return rows.map((row) => outboxFromRow(tenantId, row));
  }

  async claimOutbox(tenantId: string, now: number, { limit, leaseMs }: { limit: number; leaseMs: number }): Promise<ClaimedMessage[]> {
    if (limit < 1) return [];
    // Far instants are kept as the last one a Date holds, well inside a bigint: a poisoned Retry-After
    // or a huge lease must not fail the statement and leave the message claimed first every round.
    const leaseUntil = Math.min(now + leaseMs, LAST_OUTBOX_INSTANT);
    const { rows } = await this.db.query(this.sql.claimOutbox, [tenantId, Math.min(now, LAST_OUTBOX_INSTANT), limit, randomUUID(), leaseUntil]);
    return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => claimedMessageFromRow(tenantId, row));
  }

  async renewOutboxLease(message: ClaimedMessage, { leaseUntil }: { leaseUntil: number }): Promise<ClaimedMessage | undefined> {
    const until = Math.min(leaseUntil, LAST_OUTBOX_INSTANT);
    const { rows } = await this.db.query(this.sql.renewOutboxLease, [message.tenantId, message.id, message.claimToken, until]);
    return rows.length > 0 ? { ...message, leaseUntil: until } : undefined;
  }

  async ackOutbox(message: ClaimedMessage): Promise<void> {
    await this.db.query(this.sql.ackOutbox, [message.tenantId, message.id, message.claimToken]);
  }

  async retryOutbox(message: ClaimedMessage, { retryAt, error }: { retryAt: number; error: string }): Promise<void> {
    await this.db.query(this.sql.retryOutbox, [message.tenantId, message.id, message.claimToken, Math.min(retryAt, LAST_OUTBOX_INSTANT), error]);
  }

  async deadLetterOutbox(message: ClaimedMessage, { error }: { error: string }): Promise<void> {
    await this.db.query(this.sql.deadLetterOutbox, [message.tenantId, message.id, message.claimToken, error]);
  }

  async requeueDeadLetter(tenantId: string, id: string, at: number): Promise<boolean> {
    const { rows } = await this.db.query(this.sql.requeueDeadLetter, [tenantId, id, Math.min(at, LAST_OUTBOX_INSTANT)]);
    return rows.length > 0;
  }

  async discardDeadLetter(tenantId: string, id: string): Promise<boolean> {
    const { rows } = await this.db.query(this.sql.discardDeadLetter, [tenantId, id]);
    return rows.length > 0;
  }

  async deadLetters(tenantId: string, limit: number): Promise<OutboxRecord[]> {
    const { rows } = await this.db.query(this.sql.deadLetters, [tenantId, limit]);
    return rows.map((row) => outboxFromRow(tenantId, row, 'dead_letters'));
  }

  async findByContactKeys(tenantId: string, contactKeys: readonly string[]): Promise<StoredLead | undefined> {
    if (contactKeys.length === 0) return undefined;
    const { rows } = await this.db.query(this.sql.findByContactKeys, [tenantId, textArray(contactKeys)]);
    return rows[0] === undefined ? undefined : leadFromRow(tenantId, rows[0]);
  }

  async lastContactTouches(tenantId: string, contactKeys: readonly string[]): Promise<ContactTouches> {
    if (contactKeys.length === 0) return {};
    const { rows } = await this.db.query(this.sql.lastContactTouches, [tenantId, textArray(contactKeys)]);
    return contactTouchesFromRows(tenantId, rows);
  }

  async ownerLoads(tenantId: string): Promise<Map<string, OwnerLoad>> {
    const { rows } = await this.db.query(this.sql.ownerLoads, [tenantId]);
    return new Map(rows.map((row) => [String(row.owner), { open: Number(row.open), assigned: Number(row.assigned) }]));
  }

  async listLeads({ tenantId, state, owner, overdue, limit }: LeadQuery): Promise<StoredLead[]> {
    const { rows } = await this.db.query(this.sql.listLeads, [tenantId, state ?? null, owner ?? null, overdue ?? null, limit ?? null]);
    return rows.map((row) => leadFromRow(tenantId, row));
  }

  /** Sends several units in one call; units are ordered by lead so that concurrent calls lock leads in one order. */
  private async send(units: EncodedUnit[]): Promise<CommitOutcome[]> {
    const order = units.map((unit, index) => ({ unit, index })).sort((a, b) => compareLeads(a.unit, b.unit) || a.index - b.index);
    const results = await this.call(order.map(({ unit }) => unit));
    const outcomes: CommitOutcome[] = new Array(units.length);
    order.forEach(({ index }, position) => {
      outcomes[index] = results[position] as CommitOutcome;
    });
    return outcomes;
  }

  /** Sends one unit; explains a unique-key race as the conflict it is, and retries a deadlock. */
  private async sendOne(unit: EncodedUnit): Promise<CommitOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.call([unit]))[0] as CommitOutcome;
      } catch (error) {
        const code = sqlState(error);
        if (code !== undefined && TRANSIENT.has(code) && attempt < 5) continue;
        if (code === '23505') {
          const explained = await this.explainRace(unit);
          if (explained) return explained;
          // The engine numbers history entries from the lead's event_count: a count behind the history
          // (the row edited by hand) collides with an entry that exists. Nothing was written.
          if (constraintOf(error) === 'history_pkey') {
            throw new MalformedRowError(
              'leads',
              unit.tenantId,
              `lead "${unit.leadId}"`,
              "column event_count is behind the lead's history (its next entry exists already)",
            );
          }
        }
        throw error;
      }
    }
  }

  private async call(units: EncodedUnit[]): Promise<CommitOutcome[]> {
    const { rows } = await this.db.query(this.sql.commitUnits, [`[${units.map((unit) => unit.json).join(',')}]`]);
    const results = rows[0]?.results;
    if (!Array.isArray(results) || results.length !== units.length) {
      throw new Error(`commit_units() answered ${JSON.stringify(results)} for ${units.length} units; is the schema "${this.schema}" migrated?`);
    }
    return results as CommitOutcome[];
  }

  /**
   * Another process created the same lead or applied the same event id between this unit's checks and
   * its insert: the unique key refused the insert, and nothing of the unit was written. Says which.
   */
  private async explainRace(unit: EncodedUnit): Promise<CommitOutcome | undefined> {
    const { rows } = await this.db.query(this.sql.leadVersion, [unit.tenantId, unit.leadId]);
    const actual = rows[0] === undefined ? 0 : Number(rows[0].version);
    if (actual !== unit.expectedVersion) return { conflict: actual };
    for (const eventId of unit.eventIds) {
      const leadId = await this.eventLead(unit.tenantId, eventId);
      if (leadId !== undefined) return { duplicate: eventId, leadId };
    }
    return undefined;
  }
}

function compareLeads(a: EncodedUnit, b: EncodedUnit): number {
  if (a.tenantId !== b.tenantId) return a.tenantId < b.tenantId ? -1 : 1;
  if (a.leadId !== b.leadId) return a.leadId < b.leadId ? -1 : 1;
  return 0;
}

/** The lead's columns of a claim row (prefixed `l_`), as a `leads` row. */
function leadColumns(row: SqlRow): SqlRow {
  const lead: SqlRow = {};
  for (const [column, value] of Object.entries(row)) if (column.startsWith('l_')) lead[column.slice(2)] = value;
  return lead;
}
