/**
 * The whole random case of the rules model: when the first lead comes in, the policy set, the event
 * stream, the store's flavour and how long time runs on at the end. Printed as words in counterexamples.
 */
import fc from 'fast-check';
import { eventStream } from './event-stream.js';
import { describeModelCase, type ModelCase } from './harness.js';
import { policySpec } from './policy-spec.js';

/** Random model cases with at most `maxSteps` steps after the first intake. */
export function modelCase(maxSteps: number): fc.Arbitrary<ModelCase> {
  return fc
    .record({
      startMinutes: fc.integer({ min: 0, max: 7 * 1440 - 1 }),
      policy: policySpec,
      steps: eventStream(maxSteps),
      asyncStore: fc.boolean(),
      drainMinutes: fc.constantFrom(0, 240, 1440),
    })
    .map((c) => Object.defineProperty(c, fc.toStringMethod, { value: () => `\n${describeModelCase(c)}`, enumerable: false }));
}

/** A 53-bit hash of a case, to remember results without keeping the cases. */
export function caseKey(c: ModelCase): string {
  const text = JSON.stringify(c);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(h2 >>> 0).toString(16)}${(h1 >>> 0).toString(16)}:${text.length}`;
}
