// The ```ts examples of the guides run as written. Each runs in its own module, its imports taken from
// the package, after a prelude that defines the `emea` calendar the policy guide builds on. A fenced
// ```ts excerpt block (an outline of the API) is not run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@leadline/core';
import * as testing from '@leadline/core/testing';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const generated = join(here, '.generated');

function blocksOf(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

const prelude = `const emea = defineCalendar({ name: 'emea', timeZone: 'Europe/Berlin', weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] } });`;

describe.each(['docs/policies.md', 'docs/testing.md'])('the examples of %s', (guide) => {
  const blocks = blocksOf(readFileSync(join(root, guide), 'utf8'));

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block, index) => [index + 1, block] as const))('example %i runs', async (index, block) => {
    // The block's own imports are replaced by imports of everything the package exports.
    const body = block.replace(/^import .*$/gm, '');
    const definesEmea = /\bconst emea\b/.test(body);
    const source = [
      `import { ${Object.keys(core).join(', ')} } from '@leadline/core';`,
      `import { ${Object.keys(testing).join(', ')} } from '@leadline/core/testing';`,
      'export async function run() {',
      definesEmea ? '' : prelude,
      body,
      '}',
    ].join('\n');
    mkdirSync(generated, { recursive: true });
    const file = join(generated, `${guide.replace(/\W/g, '_')}_${index}.ts`);
    writeFileSync(file, source);
    const module = (await import(/* @vite-ignore */ file)) as { run: () => Promise<void> };
    await module.run();
  });
});
