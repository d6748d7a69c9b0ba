/** A benchmark consumer process for the reference: pg-boss fetching jobs in batches and completing them. */
import PgBoss from 'pg-boss';
import type { BenchMessage } from './processes.js';

const send = (message: BenchMessage) => process.send?.(message);
const queue = process.env.QUEUE ?? 'bench';
const batchSize = Number(process.env.BATCH_SIZE ?? 100);
const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, schema: process.env.SCHEMA, supervise: false, schedule: false, migrate: false, max: 2 });
boss.on('error', (error) => send({ type: 'failed', error: String(error) }));
await boss.start();

process.once('message', async () => {
  let done = 0;
  try {
    for (;;) {
      const jobs = await boss.fetch(queue, { batchSize });
      if (jobs.length === 0) break;
      await boss.complete(
        queue,
        jobs.map((job) => job.id),
      );
      done += jobs.length;
    }
    send({ type: 'done', count: done });
  } catch (error) {
    send({ type: 'failed', error: String(error) });
  }
  await boss.stop({ graceful: false, wait: true });
  process.disconnect();
});
send({ type: 'ready' });
