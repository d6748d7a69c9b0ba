/**
 * Runs one side of the engine benchmark repeatedly, for a CPU profile:
 * `node --cpu-prof bench/dist/profile.js engine` (or `actor`).
 */
import { firstTouchSla, fixedCadence, nurtureRecycle } from '@leadline/core';
import { engineVsActor } from './engine-vs-actor.js';

const pairing = engineVsActor(
  'profile',
  {
    sla: firstTouchSla({ within: '1h' }),
    cadence: fixedCadence({
      steps: [
        { channel: 'call', after: '0m' },
        { channel: 'email', after: '1d' },
        { channel: 'call', after: '3d' },
      ],
    }),
    recycle: nurtureRecycle({ recheckAfter: '90d' }),
  },
  1000,
);
const side = process.argv[2] === 'actor' ? 'actor' : 'engine';
for (let round = 0; round < 15; round++) {
  if (side === 'engine') await pairing.engine();
  else pairing.actor();
}
