// The check of the code examples (scripts/check-examples.ts, run by `pnpm lint`), on a small tree made to
// break it: a block is checked with its own imports only, a failure names the line it is about, and the
// fence markers do what they say.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExamples, describeFailures, type ExampleProblem, examplesOf, examplesOfMarkdown } from '../../../scripts/check-examples.js';

const fence = '```';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leadline-examples-'));
  const base = {
    'package.json': JSON.stringify({ type: 'module' }),
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [] },
    }),
    'README.md': '# A package\n',
    'docs/.keep': '',
    'packages/core/package.json': JSON.stringify({ type: 'module' }),
  };
  for (const [path, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(files: Record<string, string>): { problems: ExampleProblem[]; lines: string[]; count: number } {
  const root = tree(files);
  const problems: ExampleProblem[] = [];
  const examples = examplesOf(root, problems);
  return { problems, lines: describeFailures(checkExamples(root, examples), problems), count: examples.length };
}

const minutes = 'export function minutes(count: number): number {\n  return count * 60_000;\n}\n';

// Each test type-checks a tree with the TypeScript compiler: up to 2.9 s measured on a loaded 2-core machine.
describe('the check of the code examples', { timeout: 30_000 }, () => {
  it('passes a guide whose blocks declare or import what they use', () => {
    const guide = [`${fence}ts`, 'const longest: number = Math.max(...[3, 5].map((n) => n * 2));', fence, ''].join('\n');
    const { lines, count } = check({ 'docs/guide.md': guide });
    expect(count).toBe(1);
    expect(lines).toEqual([]);
  });

  it('fails a guide block that uses a name it does not import, at the line of the guide that uses it', () => {
    const guide = ['# Guide', '', `${fence}ts`, 'const limit = 10;', '', 'const value = clamp(input, limit);', fence, ''].join('\n');
    const { lines } = check({ 'docs/guide.md': guide });
    expect(lines).toEqual([
      "docs/guide.md:6: TS2304 Cannot find name 'clamp'. (block at docs/guide.md:3)",
      "docs/guide.md:6: TS2304 Cannot find name 'input'. (block at docs/guide.md:3)",
    ]);
  });

  it('checks a TSDoc example with its own imports, a relative one from the comment’s folder, at the line of the source', () => {
    const source = [
      '/**',
      ' * Milliseconds in some minutes.',
      ' *',
      ' * @example',
      ` * ${fence}ts`,
      " * import { minutes } from './minutes.js';",
      ' *',
      ' * minutes(5); // 300000',
      ' * hours(1);',
      ` * ${fence}`,
      ' */',
      minutes,
    ].join('\n');
    const { lines } = check({ 'packages/core/src/time/minutes.ts': source });
    expect(lines).toEqual(["packages/core/src/time/minutes.ts:9: TS2304 Cannot find name 'hours'. (block at packages/core/src/time/minutes.ts:5)"]);
  });

  it('checks a ```ts continued block as one module with the block before it, and never an excerpt', () => {
    const guide = [
      `${fence}ts`,
      'const greeting = "hello";',
      fence,
      '',
      'Then:',
      '',
      `${fence}ts continued`,
      'const loud: string = greeting.toUpperCase();',
      'const wrong: number = loud;',
      fence,
      '',
      `${fence}ts excerpt`,
      'engine.capture(input); // an outline: engine and input are defined nowhere',
      fence,
      '',
      `${fence}sh`,
      'pnpm lint',
      fence,
      '',
    ].join('\n');
    const { lines, count } = check({ 'docs/guide.md': guide });
    expect(count).toBe(1);
    expect(lines).toEqual(["docs/guide.md:9: TS2322 Type 'string' is not assignable to type 'number'. (block at docs/guide.md:1)"]);
  });

  it('refuses a misspelt marker, and a continuation with nothing to continue', () => {
    const problems: ExampleProblem[] = [];
    const examples = examplesOfMarkdown(
      [`${fence}ts continued`, 'const a = 1;', fence, `${fence}ts exerpt`, 'const b = 2;', fence].join('\n'),
      'docs/guide.md',
      problems,
    );
    expect(examples).toEqual([]);
    expect(problems).toEqual([
      { file: 'docs/guide.md', line: 1, message: '```ts continued has no ```ts block before it to continue' },
      { file: 'docs/guide.md', line: 4, message: 'unknown fence marker "exerpt": write ```ts, ```ts continued or ```ts excerpt' },
    ]);
  });
});
