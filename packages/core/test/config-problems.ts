// Test helper: the problems of the ConfigError a call throws (any other outcome fails the test).
import { ConfigError } from '@leadline/core';

/** The problems of the `ConfigError` that `run` throws. */
export function configProblemsOf(run: () => unknown): ConfigError['problems'] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
