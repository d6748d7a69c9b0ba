/**
 * The rules model: random policy sets crossed with random event streams on the real engine, virtual
 * time advancing through every due timer, and the invariants of `model/invariants.ts` checked after
 * every step. One test per invariant, so each failing one shows its own minimal counterexample; the
 * cases are the same for every test (same seed), and each case runs once: results are remembered.
 *
 * Runs: LEADLINE_DEEP_RUNS (1,000 by default; `pnpm test:deep` runs 100,000). Seed: LEADLINE_SEED.
 * The reproductions of known defects (model/known-defects.ts) run first in every test.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MODEL_RUNS, SEED } from './model/flags.js';
import { describeFailure, type ModelCase, runModelCase } from './model/harness.js';
import { INVARIANTS, type InvariantName, type Violation } from './model/invariants.js';
import { KNOWN_DEFECT_CASES } from './model/known-defects.js';
import { caseKey, modelCase } from './model/model-case.js';

const cases = modelCase(MODEL_RUNS > 1000 ? 14 : 10);
const results = new Map<string, Violation[]>();

async function violationsOf(c: ModelCase): Promise<Violation[]> {
  const key = caseKey(c);
  let violations = results.get(key);
  if (violations === undefined) {
    violations = (await runModelCase(c)).violations;
    results.set(key, violations);
  }
  return violations;
}

// Sized for a loaded 2-core CI machine: the first test runs every case, the others mostly read results.
const TIMEOUT_MS = Math.max(300_000, MODEL_RUNS * 40);

describe(`rules model (${MODEL_RUNS} runs, seed ${SEED})`, () => {
  for (const name of Object.keys(INVARIANTS) as InvariantName[]) {
    it(
      INVARIANTS[name],
      async () => {
        await fc.assert(
          fc.asyncProperty(cases, async (c) => {
            const violations = (await violationsOf(c)).filter((violation) => violation.invariant === name);
            if (violations.length === 0) return;
            const result = await runModelCase(c);
            throw new Error(`${INVARIANTS[name]}:\n${describeFailure(c, result, violations)}`);
          }),
          // The known defects' reproductions first, then the random cases.
          { numRuns: MODEL_RUNS, seed: SEED, examples: KNOWN_DEFECT_CASES.map((c) => [c]) },
        );
      },
      TIMEOUT_MS,
    );
  }
});
