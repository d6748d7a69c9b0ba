import { defineConfig } from 'vitest/config';

// One root config; each package is a project. The `source` export condition points workspace
// imports at TypeScript sources, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      'packages/core',
      'packages/examples',
      'packages/adapters/webhook',
      'packages/adapters/smtp',
      'packages/adapters/slack',
      'packages/adapters/postgres',
    ],
  },
});
