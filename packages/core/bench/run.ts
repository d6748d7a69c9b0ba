/**
 * `pnpm bench`: prints one JSON line per figure ({"name", "value", "unit", "baseline", "ratio"}).
 * Figures are throughputs measured in this run; ratios compare against the reference measured in the
 * same run, in alternation. Set BENCH_ROUNDS to trade time for stability (default 15).
 */
import { businessTimeFigures } from './business-time.js';
import { engineVsActor, measurePairing } from './engine-vs-actor.js';
import { minimalPolicies, presetPolicies } from './policies.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

function print(name: string, value: number, unit: string, baseline: number | null, ratio: number | null) {
  const round = (x: number) => Math.round(x * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({ name, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: ratio === null ? null : round(ratio) })}\n`,
  );
}

for (const [label, policies] of [
  ['minimal policies', minimalPolicies],
  ['preset policies', presetPolicies],
] as const) {
  const pairing = engineVsActor(`engine events/s (memory store, ${label})`, policies, 1000);
  const result = await measurePairing(pairing, rounds);
  print(`bare XState actor events/s (same machine, same stream, ${label})`, result.actor, 'events/s', null, null);
  print(pairing.name, result.engine, 'events/s', result.actor, result.ratio);
}

// Business-time arithmetic against a naive minute-by-minute reference over date-fns-tz, same run.
for (const figure of await businessTimeFigures(rounds <= 1 ? { rounds: 1 } : {})) print(figure.name, figure.value, figure.unit, figure.baseline, figure.ratio);
