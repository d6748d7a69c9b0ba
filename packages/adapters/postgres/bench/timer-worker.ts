/**
 * A benchmark worker process: an engine on the benchmark's schema firing due timers with `LOOPS`
 * concurrent `runDue` loops until nothing is due. `LOOPS=1` is what `engine.start()` does.
 */
import { createEngine } from '@leadline/core';
import { fromPool, PostgresStore } from '@leadline/postgres';
import pg from 'pg';
import { benchPolicies } from './policies.js';
import type { BenchMessage } from './processes.js';

const send = (message: BenchMessage) => process.send?.(message);
const loops = Number(process.env.LOOPS ?? 1);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: loops + 2 });
const engine = createEngine({
  store: new PostgresStore({ db: fromPool(pool), schema: process.env.SCHEMA }),
  policies: benchPolicies,
  batchSize: Number(process.env.BATCH_SIZE ?? 100),
});

async function loop(): Promise<number> {
  let fired = 0;
  for (;;) {
    const round = await engine.runDue(Date.now());
    if (round.fired === 0) return fired;
    fired += round.fired;
  }
}

await pool.query('SELECT 1');
process.once('message', async () => {
  try {
    const fired = await Promise.all(Array.from({ length: loops }, loop));
    send({ type: 'done', count: fired.reduce((sum, n) => sum + n, 0) });
  } catch (error) {
    send({ type: 'failed', error: String(error) });
  }
  await pool.end();
  process.disconnect();
});
send({ type: 'ready' });
