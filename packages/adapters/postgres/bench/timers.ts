/**
 * Our side: N leads captured an hour ago, so each has a first-touch SLA timer that is due, then W worker
 * processes fire them all. The leads are made once through the engine into a template schema; each
 * measurement gets a copy of it, so that every run starts from the same rows.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@leadline/core';
import { type Database, migrate, PostgresStore } from '@leadline/postgres';
import { benchPolicies } from './policies.js';
import { timeWorkers } from './processes.js';

const TABLES = ['leads', 'timers', 'history', 'processed_events', 'owner_loads', 'outbox'];
const worker = fileURLToPath(new URL('./timer-worker.js', import.meta.url));

export function schemaName(kind: string): string {
  return `leadline_bench_${kind}_${randomBytes(4).toString('hex')}`;
}

/** Captures `count` leads an hour in the past into a new schema; returns its name. */
export async function seedTemplate(db: Database, count: number): Promise<string> {
  const schema = schemaName('template');
  await migrate(db, { schema });
  const engine = createEngine({ store: new PostgresStore({ db, schema }), policies: benchPolicies });
  const at = Date.now() - 3_600_000;
  for (let start = 0; start < count; start += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, count - start) }, (_, offset) => engine.capture({ id: `form-${start + offset}`, at, source: 'web', contact: {} })),
    );
  }
  return schema;
}

/** Copies the template into a fresh schema, runs `workers` processes of `loops` loops each on it, and checks every timer fired once. */
export async function measureTimers(
  db: Database,
  url: string,
  template: string,
  options: { workers: number; loops: number; expected: number },
): Promise<number> {
  const schema = schemaName('run');
  await migrate(db, { schema });
  try {
    for (const table of TABLES) await db.query(`INSERT INTO "${schema}".${table} OVERRIDING SYSTEM VALUE SELECT * FROM "${template}".${table}`);
    await db.query(`ANALYZE "${schema}".timers`);
    const { done, ms } = await timeWorkers(worker, options.workers, { DATABASE_URL: url, SCHEMA: schema, LOOPS: String(options.loops) });
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM "${schema}".timers)::integer AS left, (SELECT count(*) FROM "${schema}".history WHERE type = 'sla.breached')::integer AS fired`,
    );
    if (done !== options.expected || rows[0]?.left !== 0 || rows[0]?.fired !== options.expected) {
      throw new Error(`expected ${options.expected} timers fired once each; workers fired ${done}, history has ${rows[0]?.fired}, ${rows[0]?.left} left`);
    }
    return done / (ms / 1000);
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}
