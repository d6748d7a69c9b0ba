/**
 * Worker processes for the benchmark: fork them, wait until each is connected, start them together,
 * and time from the start until the last one has finished.
 */
import { fork } from 'node:child_process';

/** What a benchmark worker tells its parent. */
export type BenchMessage = { type: 'ready' } | { type: 'done'; count: number } | { type: 'failed'; error: string };

/** Runs `count` copies of `script` with `env`; resolves with the work done and the wall time it took. */
export async function timeWorkers(script: string, count: number, env: Record<string, string>): Promise<{ done: number; ms: number }> {
  const children = Array.from({ length: count }, () => fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const finished = children.map(
    (child) =>
      new Promise<number>((resolve, reject) => {
        child.on('message', (message: BenchMessage) => {
          if (message.type === 'done') resolve(message.count);
          if (message.type === 'failed') reject(new Error(message.error));
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was done`)));
      }),
  );
  await Promise.all(
    children.map((child) => new Promise<void>((resolve) => child.on('message', (message: BenchMessage) => message.type === 'ready' && resolve()))),
  );
  const start = performance.now();
  for (const child of children) child.send('go');
  const counts = await Promise.all(finished);
  const ms = performance.now() - start;
  return { done: counts.reduce((sum, n) => sum + n, 0), ms };
}
