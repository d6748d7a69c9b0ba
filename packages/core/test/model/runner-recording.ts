/**
 * Records what the engine asks of its `MachineRunner` (the reused-scope transitions of
 * packages/core/src/engine/machine-runner.ts) while a model case runs: every initial transition with
 * its input, every transition with the snapshot it started from and the event, and what came out (the
 * persisted snapshot, the actions, whether the event was taken). The runner's prototype is wrapped
 * for the duration of one recording only.
 */
import type { LeadMachineInput, MachineEvent } from '@leadline/core';
import { type LeadSnapshot, MachineRunner, type ResolvedAction } from '../../src/engine/machine-runner.js';

export type RecordedCall =
  | { kind: 'initial'; leadId: string; input: LeadMachineInput; after: unknown; actions: unknown[]; error?: undefined }
  | { kind: 'initial'; leadId: string; input: LeadMachineInput; error: string }
  | { kind: 'transition'; leadId: string; before: unknown; event: MachineEvent; after: unknown; actions: unknown[]; taken: boolean; error?: undefined }
  | { kind: 'transition'; leadId: string; before: unknown; event: MachineEvent; error: string };

/** JSON-safe, with functions and actor references left out: what an action means, not how it runs. */
export function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, inner) => {
      if (typeof inner === 'function') return undefined;
      if (inner && typeof inner === 'object' && 'sessionId' in inner && 'send' in inner) return '[actor]';
      return inner;
    }) ?? 'null',
  );
}

/** An action as the engine reads it: its type and params. */
export function actionOf(action: ResolvedAction): unknown {
  return plain({ type: action.type, params: action.params });
}

/** Runs `body` with every runner call recorded, in order. */
export async function recordingRunner<T>(body: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[] }> {
  const calls: RecordedCall[] = [];
  const prototype = MachineRunner.prototype;
  const initial = prototype.initial;
  const transition = prototype.transition;
  prototype.initial = function (this: MachineRunner, input: LeadMachineInput) {
    const recordedInput = structuredClone(input);
    try {
      const [snapshot, actions] = initial.call(this, input);
      calls.push({ kind: 'initial', leadId: input.leadId, input: recordedInput, after: plain(this.persist(snapshot)), actions: actions.map(actionOf) });
      return [snapshot, actions];
    } catch (error) {
      calls.push({ kind: 'initial', leadId: input.leadId, input: recordedInput, error: String(error) });
      throw error;
    }
  };
  prototype.transition = function (this: MachineRunner, snapshot: LeadSnapshot, event: MachineEvent) {
    const before = plain(this.persist(snapshot));
    const recordedEvent = structuredClone(event);
    const leadId = snapshot.context.leadId;
    try {
      const [next, actions] = transition.call(this, snapshot, event);
      calls.push({
        kind: 'transition',
        leadId,
        before,
        event: recordedEvent,
        after: plain(this.persist(next)),
        actions: actions.map(actionOf),
        taken: next !== snapshot,
      });
      return [next, actions];
    } catch (error) {
      calls.push({ kind: 'transition', leadId, before, event: recordedEvent, error: String(error) });
      throw error;
    }
  };
  try {
    return { result: await body(), calls };
  } finally {
    prototype.initial = initial;
    prototype.transition = transition;
  }
}
