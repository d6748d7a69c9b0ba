/**
 * Runs engine logic written as a generator that yields store results. While every yielded value is
 * ready (an in-process store answers at once) the whole run is synchronous; the first pending promise
 * (a database round trip) turns the rest of the run asynchronous. One piece of logic serves both, and
 * the in-memory path pays for no promise it does not need.
 *
 * @module
 */

/** Engine logic that yields store results (a value or a promise) and is resumed with the value. */
export type Steps<R> = Generator<unknown, R, unknown>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Runs steps to the end: returns the result directly when nothing was pending, else a promise of it.
 * A rejected promise is thrown into the generator at its `yield`, so `try`/`catch` there works.
 *
 * @example
 * ```ts
 * import { type LifecycleState, MemoryStore, type StoredLead } from '@leadline/core';
 * import { runSteps, type Steps } from './steps.js';
 *
 * const store = new MemoryStore();
 * function* loadState(): Steps<LifecycleState | undefined> {
 *   const lead = (yield store.load('default', 'lead-1')) as StoredLead | undefined;
 *   return lead?.state;
 * }
 * const result = runSteps(loadState()); // the value at once from a MemoryStore; a promise from a database store
 * const state = await result; // undefined: the store holds no lead-1
 * ```
 */
export function runSteps<R>(steps: Steps<R>, resumeWith?: { value: unknown } | { error: unknown }): R | Promise<R> {
  let next = resumeWith === undefined ? steps.next() : 'error' in resumeWith ? steps.throw(resumeWith.error) : steps.next(resumeWith.value);
  while (!next.done) {
    const yielded = next.value;
    if (isThenable(yielded)) {
      return Promise.resolve(yielded).then(
        (value) => runSteps(steps, { value }),
        (error: unknown) => runSteps(steps, { error }),
      );
    }
    next = steps.next(yielded);
  }
  return next.value;
}
