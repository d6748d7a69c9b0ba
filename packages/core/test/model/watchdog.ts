/**
 * A watchdog for engine calls in the model suites.
 *
 * `Promise.race` with a timeout stops a call that waits for ever on I/O, but not a synchronous loop (or
 * an endless chain of microtasks): those never give the event loop back, so no timeout can run. The
 * watchdog therefore also lives in a worker thread, which has its own event loop: before each call the
 * test marks itself busy in shared memory; if it stays busy on the same call past the limit, the
 * worker writes the case being run and the call it hangs in to stderr (and to a file), and kills the
 * test process. Vitest then reports the test file as crashed instead of hanging for ever.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(workerData.shared);
let description = '';
let seenSeq = -1;
let since = Date.now();
parentPort.on('message', (message) => { description = message; });
setInterval(() => {
  const busy = Atomics.load(state, 0);
  const seq = Atomics.load(state, 1);
  if (busy === 0 || seq !== seenSeq) { seenSeq = seq; since = Date.now(); return; }
  if (Date.now() - since < Atomics.load(state, 2)) return;
  const report = 'WATCHDOG: an engine call did not return within ' + Atomics.load(state, 2) + ' ms (a synchronous hang: it cannot be interrupted, so the test process is killed).\\n'
    + 'It hung in call #' + seq + ' of this case:\\n' + description + '\\n';
  try { fs.writeFileSync(workerData.reportFile, report); } catch {}
  fs.writeSync(2, report + '(also written to ' + workerData.reportFile + ')\\n');
  process.kill(process.pid, 'SIGKILL');
}, 100);
`;

let worker: Worker | undefined;
let state: Int32Array | undefined;
let seq = 0;

/** Where the watchdog writes what it found, for CI logs that lose stderr of a killed process. */
export const WATCHDOG_REPORT = join(tmpdir(), `leadline-watchdog-${process.pid}.txt`);

function watcher(): Int32Array {
  if (!state) {
    const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    state = new Int32Array(shared);
    worker = new Worker(WATCHER, { eval: true, workerData: { shared, reportFile: WATCHDOG_REPORT } });
    worker.unref();
  }
  return state;
}

/** Tells the watchdog what is being run, so that a hang report can show it. Call once per case. */
export function describeCase(text: string): void {
  watcher();
  worker?.postMessage(text);
}

/** The error a call that did not settle in time rejects with (an asynchronous hang). */
export class WatchdogTimeout extends Error {
  constructor(label: string, limitMs: number) {
    super(`${label} did not settle within ${limitMs} ms`);
    this.name = 'WatchdogTimeout';
  }
}

/**
 * Runs one engine call under the watchdog: a synchronous hang kills the process with a report, an
 * asynchronous one rejects with {@link WatchdogTimeout}.
 */
export async function guarded<T>(label: string, limitMs: number, call: () => T | PromiseLike<T>): Promise<T> {
  const shared = watcher();
  Atomics.store(shared, 2, limitMs);
  Atomics.store(shared, 1, ++seq);
  Atomics.store(shared, 0, 1);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WatchdogTimeout(label, limitMs)), limitMs);
    });
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } finally {
    clearTimeout(timer);
    Atomics.store(shared, 0, 0);
  }
}
