import { defineConfig } from 'tsup';

// The benchmark is compiled like the library, so that nothing transforms code at run time and both
// sides of each comparison run as plain Node.js ESM.
export default defineConfig({
  entry: { run: 'bench/run.ts', profile: 'bench/profile.ts' },
  outDir: 'bench/dist',
  format: ['esm'],
  target: 'node20',
  clean: true,
  external: ['@leadline/core', 'xstate', 'tinybench', 'zod', 'date-fns-tz', 'date-fns'],
  tsconfig: 'bench/tsconfig.json',
});
