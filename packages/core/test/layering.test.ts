// The floors of core (scripts/check-layers.mjs, run by `pnpm lint`): no import runs up a floor.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../../scripts/check-layers.mjs');

function check(src?: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('node', src ? [script, src] : [script], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr) };
  }
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leadline-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the floors of core', () => {
  it('hold in the source: no import runs up a floor', () => {
    expect(check()).toEqual({ ok: true, output: expect.stringMatching(/no import runs up a floor/) });
  });

  it('catch an import that runs up a floor, naming the file, the import and both floors', () => {
    const src = tree({
      'store/lead-store.ts': "import type { LeadMachine } from '../lifecycle/machine.js';\n",
      'lifecycle/machine.ts': "import type { StoredLead } from '../store/lead-store.js';\n",
    });
    const { ok, output } = check(src);
    expect(ok).toBe(false);
    expect(output).toMatch(/store\/lead-store\.ts -> \.\.\/lifecycle\/machine\.js: store \(floor 2\) imports lifecycle \(floor 5\)/);
    expect(output).not.toMatch(/lifecycle\/machine\.ts ->/);
  });

  it('refuse a new room that has no floor yet', () => {
    const { ok, output } = check(tree({ 'simulation/run.ts': "import { MINUTE } from '../time/duration.js';\n" }));
    expect(ok).toBe(false);
    expect(output).toMatch(/simulation has no floor/);
  });
});
