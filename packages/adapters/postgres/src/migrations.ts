/**
 * The store's SQL migrations, numbered and shipped as code so that they bundle with the package. A
 * migration is never edited once released: a change to the schema is a new migration.
 *
 * @module
 */

/**
 * One step of the schema's history. `statements` gets the quoted schema name and returns the SQL to run,
 * one statement per string (PGlite's `query` runs one statement at a time).
 *
 * @example
 * ```ts
 * import type { Migration } from '@leadline/postgres';
 *
 * const migration: Migration = { id: 2, name: 'leads by source', statements: (s) => [`CREATE INDEX leads_source ON ${s}.leads (tenant_id, source)`] };
 * ```
 */
export interface Migration {
  id: number;
  name: string;
  statements(schema: string): string[];
}

/**
 * The tables and the commit function.
 *
 * Ids and keys are `COLLATE "C"`: comparisons by bytes, the order `listLeads` promises whatever the
 * database's locale, and cheaper than a linguistic collation.
 *
 * Instants are epoch milliseconds in `bigint` columns. Timers and outbox messages carry `ready_at`, the
 * moment they can next be claimed (the due time, or the end of the current lease), so that claiming is
 * one range scan of one index.
 */
const initial: Migration = {
  id: 1,
  name: 'leads, timers, outbox, history, processed events, owner loads, commit_units()',
  statements: (s) => [
    `CREATE TABLE ${s}.leads (
      tenant_id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      event_count integer NOT NULL CHECK (event_count >= 0),
      state text NOT NULL,
      open boolean NOT NULL,
      overdue boolean NOT NULL,
      owner text COLLATE "C",
      dedupe_key text COLLATE "C",
      snapshot jsonb NOT NULL CHECK (jsonb_typeof(snapshot) = 'object'),
      updated_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, lead_id)
    ) WITH (fillfactor = 70)`,
    `CREATE INDEX leads_by_dedupe_key ON ${s}.leads (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL`,
    `CREATE INDEX leads_by_owner ON ${s}.leads (tenant_id, owner, lead_id) WHERE owner IS NOT NULL`,
    `CREATE INDEX leads_by_state ON ${s}.leads (tenant_id, state, lead_id)`,
    `CREATE INDEX leads_overdue ON ${s}.leads (tenant_id, lead_id) WHERE overdue`,
    `CREATE TABLE ${s}.timers (
      tenant_id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      timer_id text COLLATE "C" NOT NULL,
      due_at bigint NOT NULL,
      event_id text NOT NULL,
      event jsonb NOT NULL CHECK (jsonb_typeof(event) = 'object'),
      claim_token text,
      lease_until bigint,
      ready_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, lead_id, timer_id)
    ) WITH (fillfactor = 70)`,
    `CREATE INDEX timers_ready ON ${s}.timers (tenant_id, ready_at, due_at)`,
    `CREATE TABLE ${s}.outbox (
      seq bigint GENERATED ALWAYS AS IDENTITY,
      tenant_id text COLLATE "C" NOT NULL,
      id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      kind text NOT NULL,
      recipients jsonb NOT NULL CHECK (jsonb_typeof(recipients) = 'array'),
      summary text NOT NULL,
      created_at bigint NOT NULL,
      details jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'),
      attempts integer NOT NULL DEFAULT 0,
      available_at bigint NOT NULL,
      last_error text,
      claim_token text,
      lease_until bigint,
      ready_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, id)
    )`,
    `CREATE INDEX outbox_in_order ON ${s}.outbox (tenant_id, seq)`,
    `CREATE TABLE ${s}.dead_letters (
      seq bigint GENERATED ALWAYS AS IDENTITY,
      tenant_id text COLLATE "C" NOT NULL,
      id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      kind text NOT NULL,
      recipients jsonb NOT NULL,
      summary text NOT NULL,
      created_at bigint NOT NULL,
      details jsonb NOT NULL,
      attempts integer NOT NULL,
      available_at bigint NOT NULL,
      last_error text,
      PRIMARY KEY (tenant_id, id)
    )`,
    `CREATE INDEX dead_letters_in_order ON ${s}.dead_letters (tenant_id, seq)`,
    `CREATE TABLE ${s}.history (
      tenant_id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      seq integer NOT NULL CHECK (seq > 0),
      event_id text NOT NULL,
      type text NOT NULL,
      at bigint NOT NULL,
      from_state text,
      to_state text NOT NULL,
      notes jsonb NOT NULL CHECK (jsonb_typeof(notes) = 'array'),
      PRIMARY KEY (tenant_id, lead_id, seq)
    )`,
    `CREATE TABLE ${s}.processed_events (
      tenant_id text COLLATE "C" NOT NULL,
      event_id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (tenant_id, event_id)
    )`,
    `CREATE TABLE ${s}.owner_loads (
      tenant_id text COLLATE "C" NOT NULL,
      owner text COLLATE "C" NOT NULL,
      open integer NOT NULL DEFAULT 0,
      assigned integer NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, owner)
    )`,
    // One call commits a list of units, each all or nothing: a unit whose version moved on or that
    // carries a seen event id writes nothing and is answered as such, the others are written. Checks come
    // before any write, so a refused unit needs no rollback. One round trip and one WAL flush serve
    // every unit of the call (group commit across leads).
    `CREATE FUNCTION ${s}.commit_units(units jsonb) RETURNS jsonb LANGUAGE plpgsql AS $commit$
    DECLARE
      u jsonb;
      lead jsonb;
      results jsonb := '[]'::jsonb;
      t text;
      lid text;
      cur_version integer;
      cur_owner text;
      cur_open boolean;
      new_owner text;
      new_open boolean;
      dup_event text;
      dup_lead text;
      event_ids text[];
      eid text;
      tid text;
      fired record;
    BEGIN
      FOR u IN SELECT value FROM jsonb_array_elements(units) LOOP
        t := u->>'tenantId';
        lid := u->>'leadId';
        lead := u->'lead';
        -- The row lock holds the lead to the end of the transaction: commits of one lead queue here.
        SELECT l.version, l.owner, l.open INTO cur_version, cur_owner, cur_open
          FROM ${s}.leads l WHERE l.tenant_id = t AND l.lead_id = lid FOR UPDATE;
        IF coalesce(cur_version, 0) <> (u->>'expectedVersion')::integer THEN
          results := results || jsonb_build_array(jsonb_build_object('conflict', coalesce(cur_version, 0)));
          CONTINUE;
        END IF;
        -- Lookups here go one key at a time, each an equality on the whole primary key: plpgsql keeps
        -- a generic plan per statement, made once, and only such a lookup is sure to stay on the index
        -- whatever the table's statistics were when the plan was made.
        event_ids := ARRAY(SELECT jsonb_array_elements_text(u->'eventIds'));
        dup_event := NULL;
        FOREACH eid IN ARRAY event_ids LOOP
          SELECT e.lead_id INTO dup_lead FROM ${s}.processed_events e WHERE e.tenant_id = t AND e.event_id = eid;
          IF FOUND THEN
            dup_event := eid;
            EXIT;
          END IF;
        END LOOP;
        IF dup_event IS NOT NULL THEN
          results := results || jsonb_build_array(jsonb_build_object('duplicate', dup_event, 'leadId', dup_lead));
          CONTINUE;
        END IF;

        new_owner := lead->>'owner';
        new_open := (lead->>'open')::boolean;
        IF cur_version IS NULL THEN
          INSERT INTO ${s}.leads (tenant_id, lead_id, version, event_count, state, open, overdue, owner, dedupe_key, snapshot, updated_at)
          VALUES (t, lid, (lead->>'version')::integer, (lead->>'eventCount')::integer, lead->>'state', new_open,
            (lead->>'overdue')::boolean, new_owner, lead->>'dedupeKey', lead->'snapshot', (lead->>'updatedAt')::bigint);
        ELSE
          UPDATE ${s}.leads SET version = (lead->>'version')::integer, event_count = (lead->>'eventCount')::integer,
            state = lead->>'state', open = new_open, overdue = (lead->>'overdue')::boolean, owner = new_owner,
            dedupe_key = lead->>'dedupeKey', snapshot = lead->'snapshot', updated_at = (lead->>'updatedAt')::bigint
          WHERE tenant_id = t AND lead_id = lid;
        END IF;
        INSERT INTO ${s}.processed_events (tenant_id, event_id, lead_id) SELECT t, x, lid FROM unnest(event_ids) AS x;

        -- Fired timers first, and only while this worker's claim holds; then cancels, then upserts.
        FOR fired IN SELECT * FROM jsonb_to_recordset(u->'fired') AS f("timerId" text, "claimToken" text) LOOP
          DELETE FROM ${s}.timers tm
            WHERE tm.tenant_id = t AND tm.lead_id = lid AND tm.timer_id = fired."timerId" AND tm.claim_token = fired."claimToken";
        END LOOP;
        FOR tid IN SELECT jsonb_array_elements_text(u->'cancel') LOOP
          DELETE FROM ${s}.timers tm WHERE tm.tenant_id = t AND tm.lead_id = lid AND tm.timer_id = tid;
        END LOOP;
        IF jsonb_array_length(u->'upsert') > 0 THEN
          -- Raising a timer again replaces it by key and drops any claim on the old one.
          INSERT INTO ${s}.timers AS tm (tenant_id, lead_id, timer_id, due_at, event_id, event, ready_at)
            SELECT t, lid, r."timerId", r."dueAt", r."eventId", r.event, r."dueAt"
            FROM jsonb_to_recordset(u->'upsert') AS r("timerId" text, "dueAt" bigint, "eventId" text, event jsonb)
          ON CONFLICT (tenant_id, lead_id, timer_id) DO UPDATE
            SET due_at = excluded.due_at, event_id = excluded.event_id, event = excluded.event,
                ready_at = excluded.due_at, claim_token = NULL, lease_until = NULL;
        END IF;
        IF jsonb_array_length(u->'outbox') > 0 THEN
          INSERT INTO ${s}.outbox (tenant_id, id, lead_id, kind, recipients, summary, created_at, details, available_at, ready_at)
            SELECT t, m.value->>'id', lid, m.value->>'kind', m.value->'to', m.value->>'summary', (m.value->>'createdAt')::bigint,
              m.value->'details', (m.value->>'createdAt')::bigint, (m.value->>'createdAt')::bigint
            FROM jsonb_array_elements(u->'outbox') WITH ORDINALITY AS m(value, n)
            ORDER BY m.n
          ON CONFLICT (tenant_id, id) DO NOTHING;
        END IF;
        IF jsonb_array_length(u->'history') > 0 THEN
          INSERT INTO ${s}.history (tenant_id, lead_id, seq, event_id, type, at, from_state, to_state, notes)
            SELECT t, lid, h.seq, h."eventId", h.type, h.at, h."from", h."to", h.notes
            FROM jsonb_to_recordset(u->'history') AS h(seq integer, "eventId" text, type text, at bigint, "from" text, "to" text, notes jsonb);
        END IF;

        -- Owner loads move with the lead: +1 assigned to a new owner; the open count follows the lead
        -- from the owner it counted for to the one it counts for now. Rows in name order, so that two
        -- commits that move leads between the same owners lock them in the same order.
        INSERT INTO ${s}.owner_loads AS o (tenant_id, owner, open, assigned)
          SELECT t, v.owner, sum(v.open)::integer, sum(v.assigned)::integer
          FROM (VALUES
            (CASE WHEN new_owner IS DISTINCT FROM cur_owner THEN new_owner END, 0, 1),
            (CASE WHEN cur_open AND cur_owner IS NOT NULL THEN cur_owner END, -1, 0),
            (CASE WHEN new_open AND new_owner IS NOT NULL THEN new_owner END, 1, 0)
          ) AS v(owner, open, assigned)
          WHERE v.owner IS NOT NULL
          GROUP BY v.owner
          HAVING sum(v.open) <> 0 OR sum(v.assigned) <> 0
          ORDER BY v.owner
        ON CONFLICT (tenant_id, owner) DO UPDATE SET open = o.open + excluded.open, assigned = o.assigned + excluded.assigned;

        results := results || '[{"ok": true}]'::jsonb;
      END LOOP;
      RETURN results;
    END
    $commit$`,
  ],
};

/**
 * Contact keys and contact touches.
 *
 * A lead's contact keys (`email:...`, `phone:+E.164`) replace its one dedupe key (the email): a text
 * array with a GIN index, so that intake finds a lead by any of the keys, and `contact_keys_since`, when
 * the lead first got keys, so that the oldest holder is found first. Existing dedupe keys become
 * `email:` keys, held since the lead's last update (the best this schema knew). The old `dedupe_key`
 * column is no longer written nor read; its index goes, the column stays for a later migration to drop,
 * so that a process of the previous version does not fail on its reads while a deploy rolls (it finds
 * no duplicates meanwhile).
 *
 * `contact_touches` keeps the latest touch per contact key and channel, across leads, for the cadence's
 * cooldown between touches of one person. `commit_units()` is replaced to write both.
 */
const contactKeys: Migration = {
  id: 2,
  name: 'contact keys (email and phone) for dedupe, contact touches per channel, commit_units() writing both',
  statements: (s) => [
    `ALTER TABLE ${s}.leads ADD COLUMN contact_keys text[] COLLATE "C", ADD COLUMN contact_keys_since bigint`,
    `UPDATE ${s}.leads SET contact_keys = ARRAY['email:' || dedupe_key], contact_keys_since = updated_at WHERE dedupe_key IS NOT NULL`,
    `DROP INDEX ${s}.leads_by_dedupe_key`,
    `CREATE INDEX leads_by_contact_key ON ${s}.leads USING gin (contact_keys) WHERE contact_keys IS NOT NULL`,
    `CREATE TABLE ${s}.contact_touches (
      tenant_id text COLLATE "C" NOT NULL,
      contact_key text COLLATE "C" NOT NULL,
      channel text NOT NULL,
      last_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, contact_key, channel)
    )`,
    `CREATE OR REPLACE FUNCTION ${s}.commit_units(units jsonb) RETURNS jsonb LANGUAGE plpgsql AS $commit$
    DECLARE
      u jsonb;
      lead jsonb;
      results jsonb := '[]'::jsonb;
      t text;
      lid text;
      cur_version integer;
      cur_owner text;
      cur_open boolean;
      new_owner text;
      new_open boolean;
      cur_since bigint;
      new_keys text[];
      new_since bigint;
      dup_event text;
      dup_lead text;
      event_ids text[];
      eid text;
      tid text;
      fired record;
    BEGIN
      FOR u IN SELECT value FROM jsonb_array_elements(units) LOOP
        t := u->>'tenantId';
        lid := u->>'leadId';
        lead := u->'lead';
        -- The row lock holds the lead to the end of the transaction: commits of one lead queue here.
        SELECT l.version, l.owner, l.open, l.contact_keys_since INTO cur_version, cur_owner, cur_open, cur_since
          FROM ${s}.leads l WHERE l.tenant_id = t AND l.lead_id = lid FOR UPDATE;
        IF coalesce(cur_version, 0) <> (u->>'expectedVersion')::integer THEN
          results := results || jsonb_build_array(jsonb_build_object('conflict', coalesce(cur_version, 0)));
          CONTINUE;
        END IF;
        -- Lookups here go one key at a time, each an equality on the whole primary key: plpgsql keeps
        -- a generic plan per statement, made once, and only such a lookup is sure to stay on the index
        -- whatever the table's statistics were when the plan was made.
        event_ids := ARRAY(SELECT jsonb_array_elements_text(u->'eventIds'));
        dup_event := NULL;
        FOREACH eid IN ARRAY event_ids LOOP
          SELECT e.lead_id INTO dup_lead FROM ${s}.processed_events e WHERE e.tenant_id = t AND e.event_id = eid;
          IF FOUND THEN
            dup_event := eid;
            EXIT;
          END IF;
        END LOOP;
        IF dup_event IS NOT NULL THEN
          results := results || jsonb_build_array(jsonb_build_object('duplicate', dup_event, 'leadId', dup_lead));
          CONTINUE;
        END IF;

        new_owner := lead->>'owner';
        new_open := (lead->>'open')::boolean;
        -- No keys is NULL, not an empty array. A lead keeps the instant it first got keys while it holds any.
        IF jsonb_typeof(lead->'contactKeys') = 'array' AND jsonb_array_length(lead->'contactKeys') > 0 THEN
          new_keys := ARRAY(SELECT jsonb_array_elements_text(lead->'contactKeys'));
          new_since := coalesce(cur_since, (lead->>'updatedAt')::bigint);
        ELSE
          new_keys := NULL;
          new_since := NULL;
        END IF;
        IF cur_version IS NULL THEN
          INSERT INTO ${s}.leads (tenant_id, lead_id, version, event_count, state, open, overdue, owner, contact_keys, contact_keys_since, snapshot, updated_at)
          VALUES (t, lid, (lead->>'version')::integer, (lead->>'eventCount')::integer, lead->>'state', new_open,
            (lead->>'overdue')::boolean, new_owner, new_keys, new_since, lead->'snapshot', (lead->>'updatedAt')::bigint);
        ELSE
          UPDATE ${s}.leads SET version = (lead->>'version')::integer, event_count = (lead->>'eventCount')::integer,
            state = lead->>'state', open = new_open, overdue = (lead->>'overdue')::boolean, owner = new_owner,
            contact_keys = new_keys, contact_keys_since = new_since, snapshot = lead->'snapshot', updated_at = (lead->>'updatedAt')::bigint
          WHERE tenant_id = t AND lead_id = lid;
        END IF;
        INSERT INTO ${s}.processed_events (tenant_id, event_id, lead_id) SELECT t, x, lid FROM unnest(event_ids) AS x;

        -- Fired timers first, and only while this worker's claim holds; then cancels, then upserts.
        FOR fired IN SELECT * FROM jsonb_to_recordset(u->'fired') AS f("timerId" text, "claimToken" text) LOOP
          DELETE FROM ${s}.timers tm
            WHERE tm.tenant_id = t AND tm.lead_id = lid AND tm.timer_id = fired."timerId" AND tm.claim_token = fired."claimToken";
        END LOOP;
        FOR tid IN SELECT jsonb_array_elements_text(u->'cancel') LOOP
          DELETE FROM ${s}.timers tm WHERE tm.tenant_id = t AND tm.lead_id = lid AND tm.timer_id = tid;
        END LOOP;
        IF jsonb_array_length(u->'upsert') > 0 THEN
          -- Raising a timer again replaces it by key and drops any claim on the old one.
          INSERT INTO ${s}.timers AS tm (tenant_id, lead_id, timer_id, due_at, event_id, event, ready_at)
            SELECT t, lid, r."timerId", r."dueAt", r."eventId", r.event, r."dueAt"
            FROM jsonb_to_recordset(u->'upsert') AS r("timerId" text, "dueAt" bigint, "eventId" text, event jsonb)
          ON CONFLICT (tenant_id, lead_id, timer_id) DO UPDATE
            SET due_at = excluded.due_at, event_id = excluded.event_id, event = excluded.event,
                ready_at = excluded.due_at, claim_token = NULL, lease_until = NULL;
        END IF;
        IF jsonb_array_length(u->'outbox') > 0 THEN
          INSERT INTO ${s}.outbox (tenant_id, id, lead_id, kind, recipients, summary, created_at, details, available_at, ready_at)
            SELECT t, m.value->>'id', lid, m.value->>'kind', m.value->'to', m.value->>'summary', (m.value->>'createdAt')::bigint,
              m.value->'details', (m.value->>'createdAt')::bigint, (m.value->>'createdAt')::bigint
            FROM jsonb_array_elements(u->'outbox') WITH ORDINALITY AS m(value, n)
            ORDER BY m.n
          ON CONFLICT (tenant_id, id) DO NOTHING;
        END IF;
        IF jsonb_array_length(u->'history') > 0 THEN
          INSERT INTO ${s}.history (tenant_id, lead_id, seq, event_id, type, at, from_state, to_state, notes)
            SELECT t, lid, h.seq, h."eventId", h.type, h.at, h."from", h."to", h.notes
            FROM jsonb_to_recordset(u->'history') AS h(seq integer, "eventId" text, type text, at bigint, "from" text, "to" text, notes jsonb);
        END IF;

        -- Owner loads move with the lead: +1 assigned to a new owner; the open count follows the lead
        -- from the owner it counted for to the one it counts for now. Rows in name order, so that two
        -- commits that move leads between the same owners lock them in the same order.
        INSERT INTO ${s}.owner_loads AS o (tenant_id, owner, open, assigned)
          SELECT t, v.owner, sum(v.open)::integer, sum(v.assigned)::integer
          FROM (VALUES
            (CASE WHEN new_owner IS DISTINCT FROM cur_owner THEN new_owner END, 0, 1),
            (CASE WHEN cur_open AND cur_owner IS NOT NULL THEN cur_owner END, -1, 0),
            (CASE WHEN new_open AND new_owner IS NOT NULL THEN new_owner END, 1, 0)
          ) AS v(owner, open, assigned)
          WHERE v.owner IS NOT NULL
          GROUP BY v.owner
          HAVING sum(v.open) <> 0 OR sum(v.assigned) <> 0
          ORDER BY v.owner
        ON CONFLICT (tenant_id, owner) DO UPDATE SET open = o.open + excluded.open, assigned = o.assigned + excluded.assigned;

        -- The contact's latest touch per key and channel; an older touch keeps the later one. Rows in key
        -- order, so that two commits touching the same person lock the rows in the same order.
        IF jsonb_array_length(coalesce(u->'contactTouches', '[]'::jsonb)) > 0 THEN
          INSERT INTO ${s}.contact_touches AS c (tenant_id, contact_key, channel, last_at)
            SELECT t, ck.contact_key, x.channel, max(x.at)
            FROM jsonb_to_recordset(u->'contactTouches') AS x(keys jsonb, channel text, at bigint)
            CROSS JOIN LATERAL jsonb_array_elements_text(x.keys) AS ck(contact_key)
            GROUP BY ck.contact_key, x.channel
            ORDER BY ck.contact_key, x.channel
          ON CONFLICT (tenant_id, contact_key, channel) DO UPDATE SET last_at = GREATEST(c.last_at, excluded.last_at);
        END IF;

        results := results || '[{"ok": true}]'::jsonb;
      END LOOP;
      RETURN results;
    END
    $commit$`,
  ],
};

/**
 * Routed commits checked at the database: a unit with `routedTo` (routing chose the lead's owner in it)
 * is written only while that owner holds at most `openBefore` open leads besides this one, and is
 * otherwise answered `{ "assignmentConflict": <open now> }` and writes nothing, like a version conflict
 * (the other units of the call are not affected). The check runs under a transaction-scoped advisory
 * lock per (tenant, owner), so that engines routing at once in several processes never pile leads on one
 * rep. `commit_units()` is replaced; the tables do not change.
 */
const routedCommits: Migration = {
  id: 3,
  name: 'commit_units() refusing a routed unit whose owner gained open leads meanwhile (advisory lock per owner)',
  statements: (s) => [
    `CREATE OR REPLACE FUNCTION ${s}.commit_units(units jsonb) RETURNS jsonb LANGUAGE plpgsql AS $commit$
    DECLARE
      u jsonb;
      lead jsonb;
      results jsonb := '[]'::jsonb;
      t text;
      lid text;
      cur_version integer;
      cur_owner text;
      cur_open boolean;
      new_owner text;
      new_open boolean;
      cur_since bigint;
      new_keys text[];
      new_since bigint;
      dup_event text;
      dup_lead text;
      event_ids text[];
      eid text;
      tid text;
      fired record;
      routed jsonb;
      open_now integer;
      lock_key bigint;
    BEGIN
      -- Routed units first take a transaction-scoped advisory lock per (tenant, owner), all of them up
      -- front and in key order, before any row lock: two calls routing to the same reps queue here
      -- instead of deadlocking, and each one's count below sees the other's committed leads. Held to
      -- the end of the transaction, so the check and the write are one step for everyone who routes.
      -- The key hashes the pair as a JSON array (text cannot hold chr(0) as a separator).
      FOR lock_key IN
        SELECT DISTINCT hashtextextended('leadline.route:' || jsonb_build_array(x.value->>'tenantId', x.value->'routedTo'->>'owner')::text, 0)
        FROM jsonb_array_elements(units) AS x(value)
        WHERE jsonb_typeof(x.value->'routedTo') = 'object'
        ORDER BY 1
      LOOP
        PERFORM pg_advisory_xact_lock(lock_key);
      END LOOP;
      FOR u IN SELECT value FROM jsonb_array_elements(units) LOOP
        t := u->>'tenantId';
        lid := u->>'leadId';
        lead := u->'lead';
        -- The row lock holds the lead to the end of the transaction: commits of one lead queue here.
        SELECT l.version, l.owner, l.open, l.contact_keys_since INTO cur_version, cur_owner, cur_open, cur_since
          FROM ${s}.leads l WHERE l.tenant_id = t AND l.lead_id = lid FOR UPDATE;
        IF coalesce(cur_version, 0) <> (u->>'expectedVersion')::integer THEN
          results := results || jsonb_build_array(jsonb_build_object('conflict', coalesce(cur_version, 0)));
          CONTINUE;
        END IF;
        -- Lookups here go one key at a time, each an equality on the whole primary key: plpgsql keeps
        -- a generic plan per statement, made once, and only such a lookup is sure to stay on the index
        -- whatever the table's statistics were when the plan was made.
        event_ids := ARRAY(SELECT jsonb_array_elements_text(u->'eventIds'));
        dup_event := NULL;
        FOREACH eid IN ARRAY event_ids LOOP
          SELECT e.lead_id INTO dup_lead FROM ${s}.processed_events e WHERE e.tenant_id = t AND e.event_id = eid;
          IF FOUND THEN
            dup_event := eid;
            EXIT;
          END IF;
        END LOOP;
        IF dup_event IS NOT NULL THEN
          results := results || jsonb_build_array(jsonb_build_object('duplicate', dup_event, 'leadId', dup_lead));
          CONTINUE;
        END IF;
        -- Routing chose the owner at openBefore open leads: refuse if the owner holds more now, not
        -- counting this lead if it already counts for them (owner_loads is what ownerLoads() reads, so
        -- routing and this check count the same way). Read under the owner's lock, after the units of
        -- this call before this one: two units of one call routed to one rep are checked in turn.
        routed := u->'routedTo';
        IF jsonb_typeof(routed) = 'object' THEN
          SELECT o.open INTO open_now FROM ${s}.owner_loads o WHERE o.tenant_id = t AND o.owner = routed->>'owner';
          open_now := coalesce(open_now, 0) - CASE WHEN cur_open AND cur_owner = routed->>'owner' THEN 1 ELSE 0 END;
          IF open_now > (routed->>'openBefore')::integer THEN
            results := results || jsonb_build_array(jsonb_build_object('assignmentConflict', open_now));
            CONTINUE;
          END IF;
        END IF;

        new_owner := lead->>'owner';
        new_open := (lead->>'open')::boolean;
        -- No keys is NULL, not an empty array. A lead keeps the instant it first got keys while it holds any.
        IF jsonb_typeof(lead->'contactKeys') = 'array' AND jsonb_array_length(lead->'contactKeys') > 0 THEN
          new_keys := ARRAY(SELECT jsonb_array_elements_text(lead->'contactKeys'));
          new_since := coalesce(cur_since, (lead->>'updatedAt')::bigint);
        ELSE
          new_keys := NULL;
          new_since := NULL;
        END IF;
        IF cur_version IS NULL THEN
          INSERT INTO ${s}.leads (tenant_id, lead_id, version, event_count, state, open, overdue, owner, contact_keys, contact_keys_since, snapshot, updated_at)
          VALUES (t, lid, (lead->>'version')::integer, (lead->>'eventCount')::integer, lead->>'state', new_open,
            (lead->>'overdue')::boolean, new_owner, new_keys, new_since, lead->'snapshot', (lead->>'updatedAt')::bigint);
        ELSE
          UPDATE ${s}.leads SET version = (lead->>'version')::integer, event_count = (lead->>'eventCount')::integer,
            state = lead->>'state', open = new_open, overdue = (lead->>'overdue')::boolean, owner = new_owner,
            contact_keys = new_keys, contact_keys_since = new_since, snapshot = lead->'snapshot', updated_at = (lead->>'updatedAt')::bigint
          WHERE tenant_id = t AND lead_id = lid;
        END IF;
        INSERT INTO ${s}.processed_events (tenant_id, event_id, lead_id) SELECT t, x, lid FROM unnest(event_ids) AS x;

        -- Fired timers first, and only while this worker's claim holds; then cancels, then upserts.
        FOR fired IN SELECT * FROM jsonb_to_recordset(u->'fired') AS f("timerId" text, "claimToken" text) LOOP
          DELETE FROM ${s}.timers tm
            WHERE tm.tenant_id = t AND tm.lead_id = lid AND tm.timer_id = fired."timerId" AND tm.claim_token = fired."claimToken";
        END LOOP;
        FOR tid IN SELECT jsonb_array_elements_text(u->'cancel') LOOP
          DELETE FROM ${s}.timers tm WHERE tm.tenant_id = t AND tm.lead_id = lid AND tm.timer_id = tid;
        END LOOP;
        IF jsonb_array_length(u->'upsert') > 0 THEN
          -- Raising a timer again replaces it by key and drops any claim on the old one.
          INSERT INTO ${s}.timers AS tm (tenant_id, lead_id, timer_id, due_at, event_id, event, ready_at)
            SELECT t, lid, r."timerId", r."dueAt", r."eventId", r.event, r."dueAt"
            FROM jsonb_to_recordset(u->'upsert') AS r("timerId" text, "dueAt" bigint, "eventId" text, event jsonb)
          ON CONFLICT (tenant_id, lead_id, timer_id) DO UPDATE
            SET due_at = excluded.due_at, event_id = excluded.event_id, event = excluded.event,
                ready_at = excluded.due_at, claim_token = NULL, lease_until = NULL;
        END IF;
        IF jsonb_array_length(u->'outbox') > 0 THEN
          INSERT INTO ${s}.outbox (tenant_id, id, lead_id, kind, recipients, summary, created_at, details, available_at, ready_at)
            SELECT t, m.value->>'id', lid, m.value->>'kind', m.value->'to', m.value->>'summary', (m.value->>'createdAt')::bigint,
              m.value->'details', (m.value->>'createdAt')::bigint, (m.value->>'createdAt')::bigint
            FROM jsonb_array_elements(u->'outbox') WITH ORDINALITY AS m(value, n)
            ORDER BY m.n
          ON CONFLICT (tenant_id, id) DO NOTHING;
        END IF;
        IF jsonb_array_length(u->'history') > 0 THEN
          INSERT INTO ${s}.history (tenant_id, lead_id, seq, event_id, type, at, from_state, to_state, notes)
            SELECT t, lid, h.seq, h."eventId", h.type, h.at, h."from", h."to", h.notes
            FROM jsonb_to_recordset(u->'history') AS h(seq integer, "eventId" text, type text, at bigint, "from" text, "to" text, notes jsonb);
        END IF;

        -- Owner loads move with the lead: +1 assigned to a new owner; the open count follows the lead
        -- from the owner it counted for to the one it counts for now. Rows in name order, so that two
        -- commits that move leads between the same owners lock them in the same order.
        INSERT INTO ${s}.owner_loads AS o (tenant_id, owner, open, assigned)
          SELECT t, v.owner, sum(v.open)::integer, sum(v.assigned)::integer
          FROM (VALUES
            (CASE WHEN new_owner IS DISTINCT FROM cur_owner THEN new_owner END, 0, 1),
            (CASE WHEN cur_open AND cur_owner IS NOT NULL THEN cur_owner END, -1, 0),
            (CASE WHEN new_open AND new_owner IS NOT NULL THEN new_owner END, 1, 0)
          ) AS v(owner, open, assigned)
          WHERE v.owner IS NOT NULL
          GROUP BY v.owner
          HAVING sum(v.open) <> 0 OR sum(v.assigned) <> 0
          ORDER BY v.owner
        ON CONFLICT (tenant_id, owner) DO UPDATE SET open = o.open + excluded.open, assigned = o.assigned + excluded.assigned;

        -- The contact's latest touch per key and channel; an older touch keeps the later one. Rows in key
        -- order, so that two commits touching the same person lock the rows in the same order.
        IF jsonb_array_length(coalesce(u->'contactTouches', '[]'::jsonb)) > 0 THEN
          INSERT INTO ${s}.contact_touches AS c (tenant_id, contact_key, channel, last_at)
            SELECT t, ck.contact_key, x.channel, max(x.at)
            FROM jsonb_to_recordset(u->'contactTouches') AS x(keys jsonb, channel text, at bigint)
            CROSS JOIN LATERAL jsonb_array_elements_text(x.keys) AS ck(contact_key)
            GROUP BY ck.contact_key, x.channel
            ORDER BY ck.contact_key, x.channel
          ON CONFLICT (tenant_id, contact_key, channel) DO UPDATE SET last_at = GREATEST(c.last_at, excluded.last_at);
        END IF;

        results := results || '[{"ok": true}]'::jsonb;
      END LOOP;
      RETURN results;
    END
    $commit$`,
  ],
};

/**
 * The kind of idempotency key an event type gets (see `idempotencyKindOf` in `@leadline/core`), as SQL
 * over the type column `type`. Spelled out here rather than imported: a migration is frozen, and the
 * rows it rewrites were written with the types of its day.
 */
function keyKindOf(type: string): string {
  return `CASE
        WHEN ${type} IN ('lead.captured', 'lead.merged') THEN 'intake'
        WHEN ${type} IN ('sla.warning', 'sla.breached', 'sla.escalated', 'cadence.step_due', 'prospect.back', 'snooze.ended',
          'recycle.recheck_due', 'routing.retry_due') THEN 'timer'
        WHEN ${type} IN ('notification.delivered', 'notification.dead_lettered') THEN 'note'
        ELSE 'event'
      END`;
}

/**
 * Namespaced idempotency keys: the engine remembers an applied event as `<kind>:<id>` (`intake:`,
 * `timer:`, `note:`, `event:`), and a decision it derived from another event (routing it, reassigning
 * it, finding no rep) as `derived:<cause's key>#<decision>`. The plain ids that `processed_events` held
 * until now are rewritten into those keys, so that redelivered events stay recognised after the upgrade.
 *
 * Each id's kind comes from its event's type in `history` (same tenant, lead and id). A
 * `lead.assigned`, `lead.reassigned` or `lead.unrouted` whose id is `<cause>#route`,
 * `<cause>#reassign<n?>` or `<cause>#unrouted`, where an earlier entry of the lead has the id
 * `<cause>`, is a derived decision; an id with no history entry is a caller's (`event:`). Distinct ids
 * get distinct keys, but one key may equal another row's old id (a caller's id `event:x` next to an
 * id `x`), so the primary key is dropped for the rewrite (one statement, no check between rows) and
 * built again after it, which also proves the keys unique. `commit_units()` does not change: the engine
 * sends the keys.
 */
const namespacedEventIds: Migration = {
  id: 4,
  name: 'processed_events ids rewritten into namespaced idempotency keys (intake:, event:, timer:, note:, derived:)',
  statements: (s) => [
    `ALTER TABLE ${s}.processed_events DROP CONSTRAINT processed_events_pkey`,
    // history.event_id has the database's collation and processed_events.event_id "C": compared as "C".
    // DISTINCT ON keeps the earliest entries, should a lead's history hold an id twice.
    `UPDATE ${s}.processed_events p SET event_id = k.key
    FROM (
      SELECT DISTINCT ON (e.tenant_id, e.event_id) e.tenant_id, e.event_id,
        CASE
          WHEN c.seq IS NOT NULL THEN
            'derived:' || ${keyKindOf('c.type')} || ':' || (c.event_id COLLATE "C") || '#' || substring(e.event_id from '#([^#]*)$')
          WHEN h.seq IS NOT NULL THEN ${keyKindOf('h.type')} || ':' || e.event_id
          ELSE 'event:' || e.event_id
        END AS key
      FROM ${s}.processed_events e
      LEFT JOIN ${s}.history h
        ON h.tenant_id = e.tenant_id AND h.lead_id = e.lead_id AND (h.event_id COLLATE "C") = e.event_id
      LEFT JOIN ${s}.history c
        ON c.tenant_id = h.tenant_id AND c.lead_id = h.lead_id AND c.seq < h.seq
        AND (c.event_id COLLATE "C") = substring(e.event_id from CASE h.type
          WHEN 'lead.assigned' THEN '^(.*)#route$'
          WHEN 'lead.reassigned' THEN '^(.*)#reassign(?:[1-9][0-9]*)?$'
          WHEN 'lead.unrouted' THEN '^(.*)#unrouted$'
        END)
      ORDER BY e.tenant_id, e.event_id, h.seq, c.seq
    ) k
    WHERE p.tenant_id = k.tenant_id AND p.event_id = k.event_id`,
    `ALTER TABLE ${s}.processed_events ADD CONSTRAINT processed_events_pkey PRIMARY KEY (tenant_id, event_id)`,
  ],
};

/**
 * Timer dead letters: a timer counts its claims (`attempts`) and keeps why its last firing failed, and
 * one that cannot be fired moves to `timer_dead_letters` with the reason instead of vanishing. A timer
 * raised anew (another event id under the same timer id, which `commit_units()` writes as an update)
 * starts again from no attempts: a trigger resets them, so `commit_units()` does not change.
 */
const timerDeadLetters: Migration = {
  id: 5,
  name: 'timer attempts and last error, timer_dead_letters',
  statements: (s) => [
    `ALTER TABLE ${s}.timers ADD COLUMN attempts integer NOT NULL DEFAULT 0, ADD COLUMN last_error text`,
    `CREATE FUNCTION ${s}.timers_fresh_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.attempts := 0;
      NEW.last_error := NULL;
      RETURN NEW;
    END
    $$`,
    `CREATE TRIGGER timers_fresh_attempts BEFORE UPDATE ON ${s}.timers
      FOR EACH ROW WHEN (NEW.event_id IS DISTINCT FROM OLD.event_id) EXECUTE FUNCTION ${s}.timers_fresh_attempts()`,
    `CREATE TABLE ${s}.timer_dead_letters (
      tenant_id text COLLATE "C" NOT NULL,
      event_id text COLLATE "C" NOT NULL,
      lead_id text COLLATE "C" NOT NULL,
      timer_id text COLLATE "C" NOT NULL,
      due_at bigint NOT NULL,
      event jsonb NOT NULL,
      attempts integer NOT NULL,
      error text NOT NULL,
      dead_at bigint NOT NULL,
      PRIMARY KEY (tenant_id, event_id)
    )`,
    `CREATE INDEX timer_dead_letters_by_time ON ${s}.timer_dead_letters (tenant_id, dead_at, event_id)`,
  ],
};

/**
 * Every migration, in order. `migrate()` applies those a database has not seen.
 *
 * @example
 * ```ts
 * import { MIGRATIONS } from '@leadline/postgres';
 *
 * const latest = MIGRATIONS[MIGRATIONS.length - 1]?.id;
 * ```
 */
export const MIGRATIONS: readonly Migration[] = [initial, contactKeys, routedCommits, namespacedEventIds, timerDeadLetters];
