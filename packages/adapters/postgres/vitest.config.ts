import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'postgres',
    include: ['test/**/*.test.ts'],
    // PGlite starts a WebAssembly PostgreSQL (about 2-3 s) and the worker tests start processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
