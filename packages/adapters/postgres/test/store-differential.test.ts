/**
 * The memory store and PostgreSQL (PGlite) against each other: the same seeded model runs (random
 * policy sets and event streams from packages/core/test/model, virtual time through every due timer)
 * on each store must leave identical histories, and the same leads, timers and outbox. Runs share one
 * PGlite schema, each in a tenant of its own. Pending timers are compared as sets: `timersOf` promises
 * earliest first, and the order of two timers due at the same instant is each store's own.
 */
import type { HistoryEntry, LeadStore, OutboxRecord, StoredLead, TimerRow } from '@leadline/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SEED } from '../../../core/test/model/flags.js';
import { describeModelCase, type RunResult, runModelCase } from '../../../core/test/model/harness.js';
import { modelCase } from '../../../core/test/model/model-case.js';
import { stamp } from '../../../core/test/model/words.js';
import type { PostgresStore } from '../src/index.js';
import { pgliteDatabase } from './databases.js';

const RUNS = Number(process.env.LEADLINE_STORE_RUNS ?? 40);

const database = pgliteDatabase();
let store: PostgresStore;
beforeAll(async () => {
  store = await database.createStore();
});
afterAll(async () => {
  await database.dropStore(store);
  await database.close();
});

/** What must be the same on both stores, without the tenant (each run has its own on PGlite). */
function comparableLead(lead: StoredLead | undefined) {
  if (!lead) return undefined;
  const { tenantId: _tenant, snapshot: _snapshot, ...rest } = lead;
  return rest;
}
const comparableEntry = ({ tenantId: _tenant, ...rest }: HistoryEntry) => rest;
const comparableTimer = ({ tenantId: _tenant, ...rest }: TimerRow) => rest;
/** `timersOf` promises earliest first; the order of timers due at the same instant is the store's own. */
const timerSet = (timers: readonly TimerRow[]) =>
  timers.map(comparableTimer).sort((a, b) => a.dueAt - b.dueAt || (a.timerId < b.timerId ? -1 : a.timerId > b.timerId ? 1 : 0));
const comparableMessage = ({ id, leadId, kind, channel, to, summary, createdAt }: OutboxRecord) => ({ id, leadId, kind, channel, to, summary, createdAt });

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner,
  );
}

function entryText(entry: ReturnType<typeof comparableEntry> | undefined): string {
  return entry ? `#${entry.seq} ${stamp(entry.at)} ${entry.type} (${entry.eventId}) ${entry.from ?? ''}->${entry.to}: ${entry.notes.join('; ')}` : '(none)';
}

/** Where the two runs differ, in words. */
function differences(memory: RunResult, postgres: RunResult): string[] {
  const lines: string[] = [];
  if (stable(memory.leads) !== stable(postgres.leads)) lines.push(`leads: memory ${memory.leads.join(', ')}, PGlite ${postgres.leads.join(', ')}`);
  for (const leadId of memory.leads) {
    const a = memory.records.get(leadId);
    const b = postgres.records.get(leadId);
    const historyA = (a?.history ?? []).map(comparableEntry);
    const historyB = (b?.history ?? []).map(comparableEntry);
    for (let index = 0; index < Math.max(historyA.length, historyB.length); index++) {
      if (stable(historyA[index]) !== stable(historyB[index])) {
        lines.push(`${leadId} history entry ${index + 1}:`, `  memory: ${entryText(historyA[index])}`, `  PGlite: ${entryText(historyB[index])}`);
        break;
      }
    }
    if (stable(comparableLead(a?.lead)) !== stable(comparableLead(b?.lead)))
      lines.push(`${leadId} lead: memory ${stable(comparableLead(a?.lead))}, PGlite ${stable(comparableLead(b?.lead))}`);
    if (stable(timerSet(a?.timers ?? [])) !== stable(timerSet(b?.timers ?? [])))
      lines.push(`${leadId} timers: memory ${stable(timerSet(a?.timers ?? []))}, PGlite ${stable(timerSet(b?.timers ?? []))}`);
  }
  const outboxA = memory.outbox.map(comparableMessage).sort((x, y) => (x.id < y.id ? -1 : 1));
  const outboxB = postgres.outbox.map(comparableMessage).sort((x, y) => (x.id < y.id ? -1 : 1));
  if (stable(outboxA) !== stable(outboxB)) {
    const ids = new Set(outboxB.map((message) => stable(message)));
    const first =
      outboxA.find((message) => !ids.has(stable(message))) ?? outboxB.find((message) => !outboxA.some((other) => stable(other) === stable(message)));
    lines.push(`outbox: ${outboxA.length} messages on memory, ${outboxB.length} on PGlite; first that differs: ${stable(first)}`);
  }
  return lines;
}

describe(`the memory store and PGlite on the same seeded runs (${RUNS} runs, seed ${SEED})`, () => {
  it('give identical histories, leads, timers and outbox', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(modelCase(8), async (c) => {
        const memory = await runModelCase(c);
        const postgres = await runModelCase(c, { store: store as LeadStore, tenantId: `run_${++run}` });
        const problems = differences(memory, postgres);
        if (problems.length > 0)
          throw new Error(
            [
              'the stores disagree:',
              ...problems.map((line) => `- ${line}`),
              describeModelCase(c),
              'as run on memory:',
              ...memory.trace.map((line) => `  ${line}`),
              'as run on PGlite:',
              ...postgres.trace.map((line) => `  ${line}`),
            ].join('\n'),
          );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});
