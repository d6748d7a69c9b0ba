import type { Clock } from './clock.js';
import { ValidationError } from './errors.js';

/**
 * A background loop that runs one round, sleeps on the clock, and runs the next, until stopped. The
 * engine's timer worker and the outbox dispatcher both run on it.
 *
 * A failed round goes to `onError` and the loop carries on: a database blip must not end a worker,
 * and the leases on what the round had claimed bring the work back.
 *
 * @example
 * ```ts
 * import { createEngine, systemClock } from '@leadline/core';
 * import { pollingLoop } from './polling-loop.js';
 *
 * const engine = createEngine();
 * const loop = pollingLoop(systemClock(), (now) => engine.runDue(now), (error) => console.error(error));
 * loop.start({ pollIntervalMs: 1000 });
 * await loop.stop();
 * ```
 */
export interface PollingLoop {
  /** Starts the loop (a second call while it runs does nothing); rounds are `pollIntervalMs` apart. */
  start(options?: { pollIntervalMs?: number }): void;
  /** Stops the loop and resolves once the round in progress has finished. */
  stop(): Promise<void>;
}

/** Makes a {@link PollingLoop} that runs `round(clock.now())`; see there for an example. */
export function pollingLoop(clock: Clock, round: (now: number) => Promise<unknown>, onError: (error: unknown) => void): PollingLoop {
  let running: { controller: AbortController; loop: Promise<void> } | undefined;
  return {
    start({ pollIntervalMs = 1000 } = {}) {
      if (running) return;
      if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
        throw new ValidationError('worker options', [{ path: ['pollIntervalMs'], message: 'must be a positive number of ms', code: 'too_small' }]);
      }
      const controller = new AbortController();
      const loop = (async () => {
        while (!controller.signal.aborted) {
          try {
            await round(clock.now());
          } catch (error) {
            onError(error);
          }
          await clock.sleep(pollIntervalMs, controller.signal);
        }
      })();
      running = { controller, loop };
    },
    async stop() {
      const stopping = running;
      if (!stopping) return;
      running = undefined;
      stopping.controller.abort();
      await stopping.loop;
    },
  };
}
