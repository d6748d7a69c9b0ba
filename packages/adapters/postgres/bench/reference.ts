/**
 * The reference: pg-boss on the same server. N jobs are sent in batches of 1,000, then W consumer
 * processes fetch them in batches and complete each batch, until the queue is empty.
 */
import { fileURLToPath } from 'node:url';
import PgBoss from 'pg-boss';
import { timeWorkers } from './processes.js';
import { schemaName } from './timers.js';

const worker = fileURLToPath(new URL('./boss-worker.js', import.meta.url));

/** A pg-boss schema, migrated by pg-boss itself. */
export async function createBossSchema(url: string): Promise<{ schema: string; boss: PgBoss }> {
  const schema = schemaName('pgboss');
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false, max: 4 });
  boss.on('error', (error) => console.error('[pg-boss]', error));
  await boss.start();
  return { schema, boss };
}

/** Sends `count` jobs to a fresh queue and times `workers` consumer processes draining it. */
export async function measureBoss(
  url: string,
  reference: { schema: string; boss: PgBoss },
  options: { workers: number; count: number; batchSize: number },
): Promise<number> {
  const queue = `bench_${Math.random().toString(36).slice(2, 10)}`;
  await reference.boss.createQueue(queue);
  for (let start = 0; start < options.count; start += 1000) {
    await reference.boss.insert(
      Array.from({ length: Math.min(1000, options.count - start) }, (_, offset) => ({ name: queue, data: { lead: start + offset } })),
    );
  }
  const { done, ms } = await timeWorkers(worker, options.workers, {
    DATABASE_URL: url,
    SCHEMA: reference.schema,
    QUEUE: queue,
    BATCH_SIZE: String(options.batchSize),
  });
  // The queue stays, with its completed jobs, until the schema is dropped at the end of the run.
  if (done !== options.count) throw new Error(`pg-boss completed ${done} of ${options.count} jobs`);
  return done / (ms / 1000);
}
