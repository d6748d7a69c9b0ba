import { defineConfig } from 'tsup';

// Compiled like the library, so that both sides run as plain Node.js ESM with nothing transforming code
// at run time. Workers are separate entry points: each runs in a process of its own.
export default defineConfig({
  entry: { run: 'bench/run.ts', 'timer-worker': 'bench/timer-worker.ts', 'boss-worker': 'bench/boss-worker.ts' },
  outDir: 'bench/dist',
  format: ['esm'],
  target: 'node20',
  clean: true,
  external: ['@leadline/core', '@leadline/postgres', 'pg', 'pg-boss'],
  tsconfig: 'bench/tsconfig.json',
});
