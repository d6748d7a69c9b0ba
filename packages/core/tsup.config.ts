import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'adapter-kit/index': 'src/adapter-kit/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The conformance kit runs inside the adapter's own vitest.
  external: ['vitest'],
});
