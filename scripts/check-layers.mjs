#!/usr/bin/env node
// The floors of @leadline/core, from the ground up (docs/engine.md, "Floors"): a file may import from
// its own floor and the floors below, never from one above. `pnpm lint` runs this check; a test runs it
// on the source and on a tree made to break it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Each top-level entry of `src/` (a folder, or a file without `.ts`) and its floor. */
export const FLOORS = {
  time: 0,
  errors: 0,
  clock: 0,
  validation: 0,
  limits: 0,
  'polling-loop': 0,
  lead: 1,
  store: 2,
  calendar: 3,
  team: 3,
  accounts: 3,
  policies: 4,
  notify: 4,
  lifecycle: 5,
  presets: 5,
  engine: 6,
  delivery: 7,
  reports: 7,
  testing: 8,
  index: 9,
  'adapter-kit': 9,
};

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The room (top-level entry of src) a file belongs to. */
function roomOf(src, file) {
  const first = relative(src, file).split(sep)[0] ?? '';
  return first.replace(/\.ts$/, '');
}

/**
 * Every import in `src` that runs up a floor, or names a room with no floor, as lines `from -> to`.
 *
 * @param {string} src the `src` folder of the package
 * @returns {string[]}
 */
export function upwardImports(src) {
  const problems = [];
  for (const file of sourceFiles(src)) {
    const from = roomOf(src, file);
    // Imports in comments (a TSDoc example importing by path) are not the file's own imports.
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), match[1]);
      const to = roomOf(src, target.replace(/\.js$/, '.ts'));
      const where = `${relative(src, file)} -> ${match[1]}`;
      if (!(from in FLOORS)) problems.push(`${where}: ${from} has no floor in scripts/check-layers.mjs`);
      else if (!(to in FLOORS)) problems.push(`${where}: ${to} has no floor in scripts/check-layers.mjs`);
      else if (FLOORS[to] > FLOORS[from]) problems.push(`${where}: ${from} (floor ${FLOORS[from]}) imports ${to} (floor ${FLOORS[to]})`);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // The package's src by default; another folder laid out the same way when given (the test's).
  const src = process.argv[2] ? resolve(process.argv[2]) : resolve(dirname(fileURLToPath(import.meta.url)), '../packages/core/src');
  const problems = upwardImports(src);
  if (problems.length > 0) {
    process.stderr.write(`Imports that run up a floor in @leadline/core:\n${problems.map((line) => `  ${line}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('layers: no import runs up a floor in @leadline/core\n');
}
