import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'postgres',
    include: ['test/**/*.test.ts'],
    // PGlite starts a WebAssembly PostgreSQL: 2-3 s alone, up to 22 s measured while the suite's PGlite
    // files start theirs at once on a loaded 2-core machine. Whichever test or hook of a file comes first
    // waits for it, so the allowance is the project's, not one test's. (The worker tests set their own.)
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
