/**
 * Runs one side of the engine benchmark repeatedly, for a CPU profile:
 * `node --cpu-prof bench/dist/profile.js engine` (or `actor`), with `presets` after it for the preset policies.
 */
import { engineVsActor } from './engine-vs-actor.js';
import { minimalPolicies, presetPolicies } from './policies.js';

const pairing = engineVsActor('profile', process.argv[3] === 'presets' ? presetPolicies : minimalPolicies, 1000);
const side = process.argv[2] === 'actor' ? 'actor' : 'engine';
for (let round = 0; round < 15; round++) {
  if (side === 'engine') await pairing.engine();
  else pairing.actor();
}
