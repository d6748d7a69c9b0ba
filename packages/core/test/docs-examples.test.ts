// The ```ts examples of the guides run as written: each in a module of its own, with its own imports and
// nothing added (a ```ts continued block runs together with the block it continues; a ```ts excerpt, an
// outline of the API, is not run). `pnpm lint` type-checks the same blocks, and every other example, with
// scripts/check-examples.ts; the blocks are read the same way here.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ExampleProblem, examplesOfMarkdown } from '../../../scripts/check-examples.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const generated = join(here, '.generated');

describe.each(['docs/policies.md', 'docs/testing.md'])('the examples of %s', (guide) => {
  const problems: ExampleProblem[] = [];
  const examples = examplesOfMarkdown(readFileSync(join(root, guide), 'utf8'), guide, problems);

  it('has examples, each fenced as an example, a continuation or an excerpt', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  // The first example to run imports (and transforms) core's sources: up to 1.9 s measured on a loaded 2-core machine.
  it.each(examples.map((example) => [example.line, example] as const))('the example at line %i runs', { timeout: 30_000 }, async (line, example) => {
    mkdirSync(generated, { recursive: true });
    const file = join(generated, `${guide.replace(/\W/g, '_')}_L${line}.ts`);
    // `export {}` makes a block without imports a module too, so that its top-level `await` runs.
    writeFileSync(file, `${example.lines.map((source) => source.text).join('\n')}\nexport {};\n`);
    await import(/* @vite-ignore */ file);
  });
});
