import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The driver is the application's: a node-postgres pool or PGlite is passed in, never imported here.
  external: ['@leadline/core', 'pg', '@electric-sql/pglite'],
});
