/**
 * `pnpm --filter @leadline/postgres bench`: durable timers fired per second by worker processes on a
 * PostgreSQL server, against pg-boss's fetch-and-complete throughput on the same server in the same
 * run. Prints one JSON line per figure ({"name", "value", "unit", "baseline", "ratio"}); without
 * DATABASE_URL it prints one line saying why it skipped.
 *
 * BENCH_ROUNDS (default 3) rounds alternate the two sides; figures are medians, ratios the median of
 * the per-round ratios. BENCH_TIMERS (default 4,000) timers or jobs per measurement; BENCH_LOOPS
 * (default 8) concurrent `runDue` loops per worker in the "concurrent" figures.
 */
import { fromPool } from '@leadline/postgres';
import pg from 'pg';
import { createBossSchema, measureBoss } from './reference.js';
import { measureTimers, seedTemplate } from './timers.js';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stdout.write(`${JSON.stringify({ name: 'postgres timers against pg-boss', skipped: 'set DATABASE_URL to run against a PostgreSQL server' })}\n`);
  process.exit(0);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const count = Number(process.env.BENCH_TIMERS ?? 4000);
const loops = Number(process.env.BENCH_LOOPS ?? 8);
const batchSize = 100;

function print(name: string, value: number, unit: string, baseline: number | null, ratio: number | null) {
  const round = (x: number) => Math.round(x * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ name, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratio === null ? null : round(ratio) })}\n`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const pool = new pg.Pool({ connectionString: url, max: 8 });
const db = fromPool(pool);
const template = await seedTemplate(db, count);
const reference = await createBossSchema(url);
try {
  for (const workers of [1, 4]) {
    const boss: number[] = [];
    const plain: number[] = [];
    const concurrent: number[] = [];
    for (let round = 0; round < rounds; round++) {
      boss.push(await measureBoss(url, reference, { workers, count, batchSize }));
      plain.push(await measureTimers(db, url, template, { workers, loops: 1, expected: count }));
      concurrent.push(await measureTimers(db, url, template, { workers, loops, expected: count }));
    }
    const processes = workers === 1 ? '1 process' : `${workers} processes`;
    print(`pg-boss fetch+complete jobs/s (${processes}, batches of ${batchSize})`, median(boss), 'jobs/s', null, null);
    print(
      `timers fired/s (${processes}, one runDue loop each)`,
      median(plain),
      'timers/s',
      median(boss),
      median(plain.map((value, index) => value / (boss[index] as number))),
    );
    print(
      `timers fired/s (${processes}, ${loops} concurrent runDue loops each)`,
      median(concurrent),
      'timers/s',
      median(boss),
      median(concurrent.map((value, index) => value / (boss[index] as number))),
    );
  }
} finally {
  await reference.boss.stop({ graceful: false, wait: true });
  await db.query(`DROP SCHEMA IF EXISTS "${template}" CASCADE`);
  await db.query(`DROP SCHEMA IF EXISTS "${reference.schema}" CASCADE`);
  await pool.end();
}
