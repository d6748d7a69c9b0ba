// docs/adapters.md shows the complete adapter example as it is in test/docs-example.test.ts, which CI
// type-checks and runs: the page and the code cannot drift apart.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('docs/adapters.md shows test/docs-example.test.ts as it is', () => {
  const example = readFileSync(new URL('./docs-example.test.ts', import.meta.url), 'utf8');
  const guide = readFileSync(new URL('../../../../docs/adapters.md', import.meta.url), 'utf8');
  expect(guide).toContain(`\`\`\`ts\n${example}\`\`\``);
});
