/**
 * The store's SQL, built once per schema. Every statement takes the tenant as `$1` and filters on it:
 * no statement reads or writes across tenants. Values are always parameters; the schema name, checked
 * by `quoteSchema`, is the only text spliced in.
 *
 * @module
 */

const LEAD_COLUMNS = 'lead_id, version, event_count, state, open, overdue, owner, contact_keys, snapshot, updated_at';
const TIMER_COLUMNS = 'lead_id, timer_id, due_at, event_id, event';
const OUTBOX_COLUMNS = 'id, lead_id, kind, recipients, summary, created_at, details, attempts, available_at, last_error';

/**
 * The statements of one schema.
 *
 * @example
 * ```ts
 * import type { Database } from '@leadline/postgres';
 * import { queriesFor } from './queries.js';
 *
 * declare const db: Database;
 * const sql = queriesFor('"leadline"');
 * await db.query(sql.loadLead, ['acme', 'lead-1']);
 * ```
 */
export function queriesFor(s: string) {
  return {
    loadLead: `SELECT ${LEAD_COLUMNS} FROM ${s}.leads WHERE tenant_id = $1 AND lead_id = $2`,
    eventLead: `SELECT lead_id FROM ${s}.processed_events WHERE tenant_id = $1 AND event_id = $2`,
    leadVersion: `SELECT version FROM ${s}.leads WHERE tenant_id = $1 AND lead_id = $2`,
    commitUnits: `SELECT ${s}.commit_units($1::jsonb) AS results`,
    /**
     * Claims due timers: the earliest by `ready_at`, skipping rows another claimer holds locked right
     * now; a row leased before is claimable again once its lease (its `ready_at`) has passed.
     * `$4` is this claim's token, `$5` the lease's end. Each timer comes with its lead's row (`l_`
     * columns), which the engine is about to load.
     */
    claimTimers: `WITH due AS (
        SELECT tenant_id, lead_id, timer_id, ready_at FROM ${s}.timers
        WHERE tenant_id = $1 AND ready_at <= $2::bigint
        ORDER BY ready_at, due_at
        LIMIT $3::integer
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE ${s}.timers t SET claim_token = $4::text, lease_until = $5::bigint, ready_at = $5::bigint, attempts = t.attempts + 1
        FROM due
        WHERE t.tenant_id = due.tenant_id AND t.lead_id = due.lead_id AND t.timer_id = due.timer_id
        RETURNING t.lead_id, t.timer_id, t.due_at, t.event_id, t.event, t.claim_token, t.lease_until, t.attempts, t.last_error, due.ready_at AS was_ready
      )
      SELECT c.*, ${LEAD_COLUMNS.split(', ')
        .map((column) => `l.${column} AS l_${column}`)
        .join(', ')}
      FROM claimed c LEFT JOIN ${s}.leads l ON l.tenant_id = $1 AND l.lead_id = c.lead_id
      ORDER BY c.was_ready, c.due_at`,
    releaseTimer: `DELETE FROM ${s}.timers WHERE tenant_id = $1 AND lead_id = $2 AND timer_id = $3 AND claim_token = $4`,
    /** Ends the claim (`$4`) early: claimable again at `$5`, with the failure `$6` kept for the next claim. */
    retryTimer: `UPDATE ${s}.timers SET claim_token = NULL, lease_until = NULL, ready_at = $5::bigint, last_error = $6
      WHERE tenant_id = $1 AND lead_id = $2 AND timer_id = $3 AND claim_token = $4`,
    /** Moves a timer still claimed with `$4` to the dead letters, with the error `$5` at `$6`. */
    deadLetterTimer: `WITH moved AS (
        DELETE FROM ${s}.timers WHERE tenant_id = $1 AND lead_id = $2 AND timer_id = $3 AND claim_token = $4
        RETURNING tenant_id, event_id, lead_id, timer_id, due_at, event, attempts
      )
      INSERT INTO ${s}.timer_dead_letters (tenant_id, event_id, lead_id, timer_id, due_at, event, attempts, error, dead_at)
      SELECT tenant_id, event_id, lead_id, timer_id, due_at, event, attempts, $5, $6::bigint FROM moved
      ON CONFLICT (tenant_id, event_id) DO UPDATE SET attempts = EXCLUDED.attempts, error = EXCLUDED.error, dead_at = EXCLUDED.dead_at
      RETURNING event_id`,
    timerDeadLetters: `SELECT ${TIMER_COLUMNS}, attempts, error, dead_at FROM ${s}.timer_dead_letters
      WHERE tenant_id = $1 ORDER BY dead_at, event_id LIMIT $2::integer`,
    /**
     * A dead timer back in `timers`, claimable at `$3`; it leaves the dead letters only when it went in,
     * so one whose lead holds a timer under the same id stays where it is.
     */
    requeueTimerDeadLetter: `WITH dead AS (
        SELECT * FROM ${s}.timer_dead_letters WHERE tenant_id = $1 AND event_id = $2
      ), back AS (
        INSERT INTO ${s}.timers (tenant_id, lead_id, timer_id, due_at, event_id, event, ready_at)
        SELECT tenant_id, lead_id, timer_id, due_at, event_id, event, $3::bigint FROM dead
        ON CONFLICT (tenant_id, lead_id, timer_id) DO NOTHING
        RETURNING event_id
      )
      DELETE FROM ${s}.timer_dead_letters d USING back WHERE d.tenant_id = $1 AND d.event_id = back.event_id RETURNING d.event_id`,
    discardTimerDeadLetter: `DELETE FROM ${s}.timer_dead_letters WHERE tenant_id = $1 AND event_id = $2 RETURNING event_id`,
    nextDueAt: `SELECT min(ready_at) AS next FROM ${s}.timers WHERE tenant_id = $1`,
    timersOf: `SELECT ${TIMER_COLUMNS} FROM ${s}.timers WHERE tenant_id = $1 AND lead_id = $2 ORDER BY due_at, timer_id`,
    historyOf: `SELECT lead_id, seq, event_id, type, at, from_state, to_state, notes FROM ${s}.history WHERE tenant_id = $1 AND lead_id = $2 ORDER BY seq`,
    pendingOutbox: `SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE tenant_id = $1 ORDER BY seq LIMIT $2::integer`,
    claimOutbox: `WITH ready AS (
        SELECT tenant_id, id FROM ${s}.outbox
        WHERE tenant_id = $1 AND ready_at <= $2::bigint
        ORDER BY seq
        LIMIT $3::integer
        FOR UPDATE SKIP LOCKED
      )
      UPDATE ${s}.outbox o SET claim_token = $4::text, lease_until = $5::bigint, ready_at = $5::bigint
      FROM ready
      WHERE o.tenant_id = ready.tenant_id AND o.id = ready.id
      RETURNING o.seq, ${OUTBOX_COLUMNS.split(', ')
        .map((column) => `o.${column}`)
        .join(', ')}, o.claim_token, o.lease_until`,
    /** Moves the lease of a message still claimed with `$3` to end at `$4`; no row when the claim is gone. */
    renewOutboxLease: `UPDATE ${s}.outbox SET lease_until = $4::bigint, ready_at = $4::bigint
      WHERE tenant_id = $1 AND id = $2 AND claim_token = $3
      RETURNING lease_until`,
    ackOutbox: `DELETE FROM ${s}.outbox WHERE tenant_id = $1 AND id = $2 AND claim_token = $3`,
    retryOutbox: `UPDATE ${s}.outbox
      SET attempts = attempts + 1, available_at = $4::bigint, ready_at = $4::bigint, last_error = $5, claim_token = NULL, lease_until = NULL
      WHERE tenant_id = $1 AND id = $2 AND claim_token = $3`,
    /** One statement, so the move is atomic without a transaction. */
    deadLetterOutbox: `WITH dead AS (
        DELETE FROM ${s}.outbox WHERE tenant_id = $1 AND id = $2 AND claim_token = $3
        RETURNING tenant_id, id, lead_id, kind, recipients, summary, created_at, details, attempts, available_at
      )
      INSERT INTO ${s}.dead_letters (tenant_id, id, lead_id, kind, recipients, summary, created_at, details, attempts, available_at, last_error)
      SELECT tenant_id, id, lead_id, kind, recipients, summary, created_at, details, attempts + 1, available_at, $4 FROM dead
      ON CONFLICT (tenant_id, id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error`,
    deadLetters: `SELECT ${OUTBOX_COLUMNS} FROM ${s}.dead_letters WHERE tenant_id = $1 ORDER BY seq LIMIT $2::integer`,
    /** A dead message back in the outbox at `$3`; it leaves the dead letters only when it went in. */
    requeueDeadLetter: `WITH dead AS (
        SELECT * FROM ${s}.dead_letters WHERE tenant_id = $1 AND id = $2
      ), back AS (
        INSERT INTO ${s}.outbox (tenant_id, id, lead_id, kind, recipients, summary, created_at, details, attempts, available_at, last_error, ready_at)
        SELECT tenant_id, id, lead_id, kind, recipients, summary, created_at, details, 0, $3::bigint, last_error, $3::bigint FROM dead
        ON CONFLICT (tenant_id, id) DO NOTHING
        RETURNING id
      )
      DELETE FROM ${s}.dead_letters d USING back WHERE d.tenant_id = $1 AND d.id = back.id RETURNING d.id`,
    discardDeadLetter: `DELETE FROM ${s}.dead_letters WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    /**
     * Contact keys are cleared when a lead ends, so any lead holding one is not terminal; the oldest
     * holder wins. `$2` is the keys as an array literal ({@link textArray}): a value the planner sees,
     * so that it takes the GIN index (an array built in the statement hides how few keys there are).
     */
    findByContactKeys: `SELECT ${LEAD_COLUMNS} FROM ${s}.leads
      WHERE tenant_id = $1 AND contact_keys && $2::text[]
      ORDER BY contact_keys_since, lead_id
      LIMIT 1`,
    /** The latest touch per channel over the contact's keys (`$2`, an array literal). */
    lastContactTouches: `SELECT channel, max(last_at) AS last_at FROM ${s}.contact_touches
      WHERE tenant_id = $1 AND contact_key = ANY ($2::text[])
      GROUP BY channel
      ORDER BY channel`,
    ownerLoads: `SELECT owner, open, assigned FROM ${s}.owner_loads WHERE tenant_id = $1 ORDER BY owner`,
    /** Filters that are not given are null and match everything, so one statement (one plan) serves every query. */
    listLeads: `SELECT ${LEAD_COLUMNS} FROM ${s}.leads
      WHERE tenant_id = $1
        AND ($2::text IS NULL OR state = $2::text)
        AND ($3::text IS NULL OR owner = $3::text)
        AND ($4::boolean IS NULL OR overdue = $4::boolean)
      ORDER BY lead_id
      LIMIT $5::bigint`,
  };
}

/**
 * A PostgreSQL array literal of texts (`{"a","b \"c\""}`), sent as a plain text parameter: every driver
 * sends a string the same way, whatever it does with arrays.
 *
 * @example
 * ```ts
 * import type { Database } from '@leadline/postgres';
 * import { queriesFor, textArray } from './queries.js';
 *
 * declare const db: Database;
 * const sql = queriesFor('"leadline"');
 * await db.query(sql.findByContactKeys, ['acme', textArray(['email:ada@example.com'])]);
 * ```
 */
export function textArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/**
 * The statements of one schema, as {@link queriesFor} builds them.
 *
 * @example
 * ```ts
 * import { type Queries, queriesFor } from './queries.js';
 *
 * const sql: Queries = queriesFor('"leadline"');
 * ```
 */
export type Queries = ReturnType<typeof queriesFor>;
