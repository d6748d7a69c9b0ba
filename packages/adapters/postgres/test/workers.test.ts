import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@leadline/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../src/index.js';
import { DATABASE_URL, NEEDS_SERVER, serverDatabase } from './databases.js';
import type { WorkerMessage } from './fixtures/timer-worker.js';
import { workerPolicies } from './fixtures/worker-policies.js';

const LEADS = 2000;
const WORKERS = 4;
// Four processes that load the sources through tsx, and 2,000 leads: 21-34 s measured on a loaded 2-core machine.
const WORKERS_TIMEOUT_MS = 180_000;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workerScript = fileURLToPath(new URL('./fixtures/timer-worker.ts', import.meta.url));

/** A worker process and what it reported. */
interface Worker {
  child: ChildProcess;
  claimed: string[];
  committed: string[];
  done?: { fired: number; rounds: number };
  failures: string[];
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Forks a worker on `schema`; `env` must name the DATABASE_URL. */
function startWorker(schema: string, env: Record<string, string>): { worker: Worker; ready: Promise<void>; firstCommit: Promise<void> } {
  const child = fork(workerScript, [], {
    cwd: packageDir,
    execArgv: ['--import', 'tsx', '--conditions=source'],
    env: { ...process.env, SCHEMA: schema, ...env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const worker: Worker = {
    child,
    claimed: [],
    committed: [],
    failures: [],
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    worker.stderr += chunk.toString();
  });
  let onReady = () => {};
  let onCommit = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const firstCommit = new Promise<void>((resolve) => {
    onCommit = resolve;
  });
  child.on('message', (message: WorkerMessage) => {
    if (message.type === 'ready') onReady();
    if (message.type === 'claimed') worker.claimed.push(...message.leadIds);
    if (message.type === 'committed') {
      worker.committed.push(message.leadId);
      onCommit();
    }
    if (message.type === 'done') worker.done = { fired: message.fired, rounds: message.rounds };
    if (message.type === 'failed') worker.failures.push(message.error);
  });
  return { worker, ready, firstCommit };
}

/** 2,000 leads captured an hour ago through the engine: each has its first-touch SLA timer due 55 minutes ago. */
async function seedLeads(store: PostgresStore): Promise<string[]> {
  const engine = createEngine({ store, policies: workerPolicies });
  const at = Date.now() - 3_600_000;
  for (let start = 0; start < LEADS; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, LEADS - start) }, (_, offset) =>
        engine.capture({ id: `form-${start + offset}`, leadId: `lead-${String(start + offset).padStart(4, '0')}`, at, source: 'web', contact: {} }),
      ),
    );
  }
  const { rows } = await store.db.query(`SELECT event_id FROM "${store.schema}".timers WHERE tenant_id = 'default'`);
  return rows.map((row) => String(row.event_id));
}

/** Every timer's event in the history exactly once, and no timer left. */
async function expectEachFiredOnce(store: PostgresStore, timerEventIds: string[]): Promise<void> {
  const s = `"${store.schema}"`;
  const { rows: left } = await store.db.query(`SELECT count(*)::integer AS n FROM ${s}.timers`);
  expect(left[0]?.n).toBe(0);
  const { rows } = await store.db.query(`SELECT event_id, count(*)::integer AS n FROM ${s}.history WHERE type = 'sla.breached' GROUP BY event_id`);
  const counts = new Map(rows.map((row) => [String(row.event_id), Number(row.n)]));
  expect(counts.size).toBe(LEADS);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(timerEventIds.every((eventId) => counts.get(eventId) === 1)).toBe(true);
  const { rows: perLead } = await store.db.query(
    `SELECT count(*)::integer AS leads FROM ${s}.leads WHERE overdue AND version = 2 AND (SELECT count(*) FROM ${s}.history h WHERE h.lead_id = leads.lead_id) = 2`,
  );
  expect(perLead[0]?.leads).toBe(LEADS);
}

if (DATABASE_URL) {
  const url = DATABASE_URL;
  describe(`${WORKERS} worker processes on one PostgreSQL schema`, { timeout: WORKERS_TIMEOUT_MS }, () => {
    const database = serverDatabase(url);
    const stores: PostgresStore[] = [];
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const store of stores) await database.dropStore(store);
      await database.close();
    });

    it(`${LEADS} leads whose SLA timers are due: every timer fires exactly once across ${WORKERS} workers`, async () => {
      const store = await database.createStore();
      stores.push(store);
      const timerEventIds = await seedLeads(store);
      expect(timerEventIds).toHaveLength(LEADS);

      const started = Array.from({ length: WORKERS }, () => startWorker(store.schema, { DATABASE_URL: url, BATCH_SIZE: '50' }));
      children.push(...started.map(({ worker }) => worker.child));
      await Promise.all(started.map(({ ready }) => ready));
      for (const { worker } of started) worker.child.send('go');
      const exits = await Promise.all(started.map(({ worker }) => worker.exited));

      const workers = started.map(({ worker }) => worker);
      expect(workers.map((worker) => worker.failures)).toEqual(workers.map(() => []));
      expect(exits.map((exit) => exit.code)).toEqual(workers.map(() => 0));
      const fired = workers.map((worker) => worker.done?.fired ?? 0);
      // No lease ran out here, so no timer was claimed twice: the claims add up to the timers, exactly.
      expect(fired.reduce((sum, n) => sum + n, 0)).toBe(LEADS);
      expect(new Set(workers.flatMap((worker) => worker.claimed)).size).toBe(LEADS);
      expect(workers.flatMap((worker) => worker.claimed)).toHaveLength(LEADS);
      expect(fired.every((n) => n > 0)).toBe(true);
      await expectEachFiredOnce(store, timerEventIds);
    });

    it('a worker killed with SIGKILL in the middle of a batch loses nothing: its leases run out and the others fire its timers, once', async () => {
      const store = await database.createStore();
      stores.push(store);
      const timerEventIds = await seedLeads(store);
      const lease = { DATABASE_URL: url, LEASE_MS: '2000', BATCH_SIZE: '50' };

      // The victim commits slowly, so that it is in the middle of a claimed batch when it dies: its first
      // timer committed, the rest of its batch claimed and leased to it.
      const victim = startWorker(store.schema, { ...lease, SLOW_COMMIT_MS: '200' });
      const others = Array.from({ length: WORKERS - 1 }, () => startWorker(store.schema, lease));
      children.push(victim.worker.child, ...others.map(({ worker }) => worker.child));
      await Promise.all([victim, ...others].map(({ ready }) => ready));
      for (const { worker } of [victim, ...others]) worker.child.send('go');

      await victim.firstCommit;
      victim.worker.child.kill('SIGKILL');
      const killed = await victim.worker.exited;
      expect(killed.signal).toBe('SIGKILL');
      const committed = new Set(victim.worker.committed);
      const orphaned = victim.worker.claimed.filter((leadId) => !committed.has(leadId));
      expect(committed.size).toBeGreaterThan(0);
      expect(orphaned.length).toBeGreaterThan(0);

      const exits = await Promise.all(others.map(({ worker }) => worker.exited));
      const survivors = others.map(({ worker }) => worker);
      expect(survivors.map((worker) => worker.failures)).toEqual(survivors.map(() => []));
      expect(exits.map((exit) => exit.code)).toEqual(survivors.map(() => 0));
      // The dead worker's batch was claimed again by the survivors once its lease ended.
      const reclaimed = new Set(survivors.flatMap((worker) => worker.claimed));
      expect(orphaned.filter((leadId) => reclaimed.has(leadId)).length).toBeGreaterThan(0);
      await expectEachFiredOnce(store, timerEventIds);
    });
  });
} else {
  describe.skip(`${WORKERS} worker processes on one PostgreSQL schema (${NEEDS_SERVER})`, () => {
    it(`${LEADS} leads: every timer fires exactly once`, () => {});
    it('a worker killed with SIGKILL in the middle of a batch loses nothing', () => {});
  });
}
