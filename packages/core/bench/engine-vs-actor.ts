/**
 * Engine throughput against a bare XState actor running the same machine over the same event stream.
 *
 * The bare actor is XState at its leanest: `createActor` per lead, `send` per event, nothing stored,
 * timers left to XState's in-memory scheduler, events handed over already parsed. The engine does
 * everything it does in production: it validates each raw event with zod, loads the lead, transitions,
 * schedules durable timers, writes history and outbox and commits, one awaited call per event (each
 * waits for the previous one's commit).
 */

import { captureInputSchema, createEngine, createLeadMachine, type LeadPolicies, leadEventSchema, MemoryStore } from '@leadline/core';
import { createActor } from 'xstate';
import { eventStream, eventsIn } from './event-stream.js';

export interface Pairing {
  name: string;
  /** Runs the whole stream once through the engine; returns the time it took in ms. */
  engine(): Promise<number>;
  /** Runs the whole stream once through bare actors; returns the time it took in ms. */
  actor(): number;
  events: number;
}

export function engineVsActor(name: string, policies: LeadPolicies, leads: number): Pairing {
  const scripts = eventStream(leads);
  const machine = createLeadMachine(policies);
  const parsed = scripts.map((script) => ({
    input: { leadId: script.capture.leadId, tenantId: 'default', lead: captureInputSchema.parse(script.capture) },
    events: script.events.map((event) => leadEventSchema.parse(event)),
  }));
  return {
    name,
    events: eventsIn(scripts),
    async engine() {
      const engine = createEngine({ store: new MemoryStore(), policies });
      const started = performance.now();
      for (const script of scripts) {
        await engine.capture(script.capture);
        for (const event of script.events) await engine.dispatch(script.capture.leadId, event);
      }
      return performance.now() - started;
    },
    actor() {
      const started = performance.now();
      for (const lead of parsed) {
        const actor = createActor(machine, { input: lead.input });
        actor.start();
        for (const event of lead.events) actor.send(event);
        actor.stop();
      }
      return performance.now() - started;
    },
  };
}

/**
 * Runs engine and actor in alternation (A B A B ...), so that drift in the machine's speed hits both
 * alike, and returns the median throughput of each and the median of the per-pair ratios.
 */
export async function measurePairing(pairing: Pairing, rounds: number): Promise<{ engine: number; actor: number; ratio: number }> {
  const engineRates: number[] = [];
  const actorRates: number[] = [];
  const ratios: number[] = [];
  for (let round = -2; round < rounds; round++) {
    const engineMs = await pairing.engine();
    const actorMs = pairing.actor();
    if (round < 0) continue; // warm-up rounds let the JIT settle
    engineRates.push(pairing.events / (engineMs / 1000));
    actorRates.push(pairing.events / (actorMs / 1000));
    ratios.push(actorMs / engineMs);
  }
  return { engine: median(engineRates), actor: median(actorRates), ratio: median(ratios) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
