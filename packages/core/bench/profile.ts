/**
 * Runs one side of the engine benchmark repeatedly, for a CPU profile:
 * `node --cpu-prof bench/dist/profile.js engine` (or `actor`).
 */
import { engineVsActor } from './engine-vs-actor.js';
import { minimalPolicies } from './policies.js';

const pairing = engineVsActor('profile', minimalPolicies, 1000);
const side = process.argv[2] === 'actor' ? 'actor' : 'engine';
for (let round = 0; round < 15; round++) {
  if (side === 'engine') await pairing.engine();
  else pairing.actor();
}
