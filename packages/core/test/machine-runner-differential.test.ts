/**
 * The engine's reused-scope transitions (`MachineRunner`, packages/core/src/engine/machine-runner.ts)
 * against XState's own pure functions, on streams recorded from random model runs. The runner calls the
 * machine's `transition`/`getInitialSnapshot` through one actor scope it keeps, and builds persisted
 * snapshots itself; this guards that use of XState internals. For every recorded call:
 *
 * - chained: XState's `initialTransition`, then `transition` from XState's own previous snapshot, gives
 *   the same persisted snapshot (`getPersistedSnapshot`), the same actions and the same "taken or not"
 *   as the runner did;
 * - restored: from the persisted snapshot the engine started from, restored by XState itself (an actor
 *   created with `{ snapshot }`), XState's `transition` gives the same result too (the engine restores
 *   with the runner's scope, from the store or its cache);
 * - the chain is unbroken: each transition started from a snapshot an earlier call of the lead produced
 *   (not always the latest: a transition whose commit the store refused, a repeated id, is dropped).
 *
 * History values are compared as sets: XState lists a deep history's states in the order of the
 * snapshot's nodes, which differs between a live snapshot and the same snapshot restored (XState's own
 * behaviour, seen with XState alone), and it re-enters them in document order whatever the order.
 */
import { createLeadMachine, type LeadMachine, type MachineEvent } from '@leadline/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createActor, initialTransition, transition } from 'xstate';
import { SEED } from './model/flags.js';
import { describeModelCase, MODEL_EPOCH, runModelCase } from './model/harness.js';
import { caseKey, modelCase } from './model/model-case.js';
import { buildPolicies } from './model/policy-spec.js';
import { actionOf, plain, type RecordedCall, recordingRunner } from './model/runner-recording.js';

const RUNS = 150;

/** Stable JSON (sorted keys), so two equal values print the same. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner,
  );
}

/** The first place two JSON values differ, as a path and both sides. */
function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (stable(a) === stable(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path || '(root)'}: runner ${stable(a)?.slice(0, 300)}, xstate ${stable(b)?.slice(0, 300)}`;
}

type XsSnapshot = ReturnType<typeof initialTransition<LeadMachine>>[0];

/** A persisted snapshot with each history value's states in id order. */
function normalized(persisted: unknown): unknown {
  const snapshot = persisted as { historyValue?: Record<string, { id: string }[]> };
  if (!snapshot || typeof snapshot !== 'object' || !snapshot.historyValue) return persisted;
  const historyValue = Object.fromEntries(
    Object.entries(snapshot.historyValue).map(([key, nodes]) => [key, [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))]),
  );
  return { ...snapshot, historyValue };
}

function xsTransition(machine: LeadMachine, snapshot: XsSnapshot, event: MachineEvent) {
  const [next, actions] = transition(machine, snapshot, event as never);
  return { next, persisted: plain(machine.getPersistedSnapshot(next)), actions: actions.map((action) => actionOf(action as never)), taken: next !== snapshot };
}

/** Replays the recorded calls through XState; returns what differs. */
function compare(machine: LeadMachine, calls: readonly RecordedCall[]): string[] {
  const problems: string[] = [];
  /** Per lead: every snapshot a call produced, by its normalized persisted form, with XState's own twin. */
  const produced = new Map<string, Map<string, XsSnapshot>>();
  calls.forEach((call, index) => {
    const where = `call #${index + 1} (${call.kind}${call.kind === 'transition' ? ` ${call.event.type} ${call.event.id}` : ''} on ${call.leadId})`;
    if (call.kind === 'initial') {
      let xs: XsSnapshot;
      let actions: unknown[];
      try {
        const [snapshot, raw] = initialTransition(machine, call.input);
        xs = snapshot;
        actions = raw.map((action) => actionOf(action as never));
      } catch (error) {
        if (call.error === undefined) problems.push(`${where}: XState threw ${String(error)}, the runner did not`);
        return;
      }
      if (call.error !== undefined) {
        problems.push(`${where}: the runner threw ${call.error}, XState did not`);
        return;
      }
      const persisted = plain(machine.getPersistedSnapshot(xs));
      const snapshotDiff = firstDifference(normalized(call.after), normalized(persisted));
      if (snapshotDiff) problems.push(`${where}: snapshots differ at ${snapshotDiff}`);
      const actionDiff = firstDifference(call.actions, actions);
      if (actionDiff) problems.push(`${where}: actions differ at ${actionDiff}`);
      produced.set(call.leadId, new Map([[stable(normalized(call.after)), xs]]));
      return;
    }
    const snapshots = produced.get(call.leadId);
    if (!snapshots) {
      problems.push(`${where}: no initial transition recorded for the lead`);
      return;
    }
    const from = snapshots.get(stable(normalized(call.before)));
    if (!from) problems.push(`${where}: started from a snapshot no earlier call of the lead produced`);
    // Chained through XState's own snapshots.
    let chained: ReturnType<typeof xsTransition> | undefined;
    try {
      if (from) chained = xsTransition(machine, from, call.event);
    } catch (error) {
      if (call.error === undefined) problems.push(`${where}: XState (chained) threw ${String(error)}, the runner did not`);
    }
    // From the engine's starting point, restored by XState itself.
    let restored: ReturnType<typeof xsTransition> | undefined;
    try {
      const start = createActor(machine as never, { snapshot: structuredClone(call.before) } as never).getSnapshot() as XsSnapshot;
      restored = xsTransition(machine, start, call.event);
    } catch (error) {
      if (call.error === undefined) problems.push(`${where}: XState (restored) threw ${String(error)}, the runner did not`);
    }
    if (call.error !== undefined) {
      if (chained || restored) problems.push(`${where}: the runner threw ${call.error}, XState did not`);
      return;
    }
    for (const [name, result] of [
      ['chained', chained],
      ['restored', restored],
    ] as const) {
      if (!result) continue;
      const snapshotDiff = firstDifference(normalized(call.after), normalized(result.persisted));
      if (snapshotDiff) problems.push(`${where} (${name}): snapshots differ at ${snapshotDiff}`);
      const actionDiff = firstDifference(call.actions, result.actions);
      if (actionDiff) problems.push(`${where} (${name}): actions differ at ${actionDiff}`);
      if (result.taken !== call.taken)
        problems.push(`${where} (${name}): the runner ${call.taken ? 'took' : 'refused'} the event, XState ${result.taken ? 'took' : 'refused'} it`);
    }
    if (chained && call.taken) snapshots.set(stable(normalized(call.after)), chained.next);
  });
  return problems;
}

describe(`the engine's MachineRunner against XState's transition functions (${RUNS} recorded runs, seed ${SEED})`, () => {
  it('gives the same snapshots, actions and refusals', async () => {
    const seen = new Set<string>();
    let transitions = 0;
    await fc.assert(
      fc.asyncProperty(modelCase(10), async (c) => {
        const { calls } = await recordingRunner(() => runModelCase(c));
        // The machine the engine ran: the same policies (the machine is a function of them).
        const machine = createLeadMachine(buildPolicies(c.policy, MODEL_EPOCH + c.startMinutes * 60_000).policies);
        const problems = compare(machine, calls);
        if (!seen.has(caseKey(c))) {
          seen.add(caseKey(c));
          transitions += calls.length;
        }
        if (problems.length > 0)
          throw new Error(
            [
              `the runner and XState disagree (${calls.length} calls recorded):`,
              ...problems.slice(0, 10).map((line) => `- ${line}`),
              describeModelCase(c),
            ].join('\n'),
          );
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The differential only means something if the streams did exercise the machine.
    if (transitions < RUNS * 5) throw new Error(`only ${transitions} runner calls recorded over ${RUNS} runs`);
  }, 240_000);
});
