/**
 * Knobs of the model-based suites, read from the environment so that `pnpm test` and `pnpm test:deep`
 * run the same code with different budgets, and a failure can be replayed from its seed.
 *
 * - `LEADLINE_DEEP_RUNS`: runs of the rules model (default 1,000; `pnpm test:deep` sets 100,000).
 * - `LEADLINE_SEED`: the fast-check seed of every model suite (default fixed, so runs are reproducible).
 */

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer, got "${raw}"`);
  return value;
}

/** Runs of the rules model suite. */
export const MODEL_RUNS = integerFromEnv('LEADLINE_DEEP_RUNS', 1000);

/** True when the deep budget was asked for: per-run sizes may grow a little. */
export const DEEP = MODEL_RUNS > 1000;

/** The seed of every model suite; print it with a failure, set it to replay. */
export const SEED = integerFromEnv('LEADLINE_SEED', 20260302);

/** How long one engine call may take before the watchdog fails the run (generous: a loaded 2-core CI). */
export const CALL_LIMIT_MS = integerFromEnv('LEADLINE_CALL_LIMIT_MS', 20_000);
