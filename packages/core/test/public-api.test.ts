// The public API, entry point by entry point: every `exports` entry of core and of each adapter package,
// with the names it exports at run time and the type-only names its source re-exports (a type leaves no
// trace at run time, so those are read from the entry's source text).
//
// A change to this snapshot is a change to the public API. Make it on purpose: update the snapshot
// (`npx vitest run packages/core/test/public-api.test.ts -u`) and add a changeset (`pnpm changeset`)
// that names what was added or removed.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = join(dirname(fileURLToPath(import.meta.url)), '../..');

interface EntryPoint {
  /** How an application imports it, e.g. `@leadline/core/testing`. */
  name: string;
  /** Its TypeScript source (the `source` export condition). */
  source: string;
}

/** Every entry point a published package declares in `exports` (`./package.json` aside). */
function entryPointsOf(dir: string): EntryPoint[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { source?: string }>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    if (subpath === './package.json') return [];
    if (typeof target === 'string' || target.source === undefined) throw new Error(`${manifest.name} ${subpath}: no source condition`);
    return [{ name: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, source: join(dir, target.source) }];
  });
}

const entryPoints = [
  ...entryPointsOf(join(packages, 'core')),
  ...readdirSync(join(packages, 'adapters'))
    .sort()
    .flatMap((adapter) => entryPointsOf(join(packages, 'adapters', adapter))),
];

/** The exported name of one item of an export list: `A`, `type A` or `A as B`. */
function exportedName(item: string): string {
  return item
    .replace(/^type\s+/, '')
    .split(/\s+as\s+/)
    .pop() as string;
}

/** An entry's source without its comments (whose examples may say `export` too). */
function codeOf(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** The names an entry exports as types only: `export type { … }`, `type X` in a list, `export interface`. */
function typeExportsOf(code: string): string[] {
  const names: string[] = [];
  for (const [, typeOnly, list] of code.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    const items = (list as string)
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const item of items) if (typeOnly !== undefined || item.startsWith('type ')) names.push(exportedName(item));
  }
  for (const [, name] of code.matchAll(/export\s+(?:declare\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)/g)) names.push(name as string);
  return names.sort();
}

describe('the public API', () => {
  it('has the entry points of core and of every adapter', () => {
    expect(entryPoints.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        '@leadline/core',
        '@leadline/core/testing',
        '@leadline/core/adapter-kit',
        '@leadline/postgres',
        '@leadline/slack',
        '@leadline/smtp',
        '@leadline/webhook',
        '@leadline/webhook/testing',
      ]),
    );
  });

  // Each imports an entry point's whole source tree: up to 3.2 s measured (core's) on a loaded 2-core machine.
  it.each(entryPoints)('of $name is what the snapshot says', { timeout: 30_000 }, async ({ source }) => {
    const code = codeOf(readFileSync(source, 'utf8'));
    // `export *` would let names into the API without anyone writing them down.
    expect(code).not.toMatch(/export\s+\*/);
    const values = Object.keys(await import(/* @vite-ignore */ source)).sort();
    expect({ values, types: typeExportsOf(code) }).toMatchSnapshot();
  });
});
