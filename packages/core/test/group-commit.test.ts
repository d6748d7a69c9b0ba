import { createEngine, MemoryStore } from '@leadline/core';
import { describe, expect, it } from 'vitest';
import { runSteps, type Steps } from '../src/engine/steps.js';
import { fiveMinuteSla } from './policies.js';
import { asyncStore } from './stores.js';

const at = Date.parse('2026-03-02T09:00:00Z');

describe('group commit', () => {
  it('applies events that queue up on one lead in one commit, each with its own history entry', async () => {
    const { store, commits } = asyncStore(new MemoryStore());
    const engine = createEngine({ store, policies: fiveMinuteSla });
    const { leadId } = await engine.capture({ id: 'form-1', at, source: 'web', contact: {} });
    commits.length = 0;
    const results = await Promise.all(
      [
        engine.dispatch(leadId, { type: 'lead.assigned', id: 'a', at, owner: 'ann' }),
        engine.dispatch(leadId, { type: 'touch.logged', id: 'b', at: at + 60_000, channel: 'call', outcome: 'voicemail' }),
        engine.dispatch(leadId, { type: 'touch.logged', id: 'c', at: at + 120_000, channel: 'email', outcome: 'sent' }),
        engine.dispatch(leadId, { type: 'lead.qualified', id: 'refused', at: at + 130_000 }),
        engine.dispatch(leadId, { type: 'lead.converted', id: 'd', at: at + 180_000 }),
      ].map((promise) => promise.catch((error: Error) => error)),
    );
    // The first event commits alone; the others queued behind it and share the second commit.
    // Ids are remembered under their namespace (see engine/idempotency-key.ts).
    expect(commits.map((unit) => unit.eventIds)).toEqual([['event:a'], ['event:b', 'event:c', 'event:d']]);
    expect(results.map((result) => (result instanceof Error ? result.message : `${result.state}@v${result.version}`))).toEqual([
      'assigned@v2',
      'working@v3',
      'working@v3',
      `Lead "${leadId}" is working and does not accept lead.qualified`,
      'converted@v3',
    ]);
    const view = await engine.get(leadId);
    expect(view.history.map((entry) => `${entry.seq}:${entry.eventId}`)).toEqual(['1:form-1', '2:a', '3:b', '4:c', '5:d']);
    expect(view.deadlines).toEqual([]);
  });
});

describe('runSteps', () => {
  function* double(value: unknown): Steps<number> {
    const first = (yield value) as number;
    try {
      yield Promise.reject(new Error('boom'));
    } catch {
      // a rejected store call is thrown at its yield
    }
    return first * 2;
  }

  it('stays synchronous while every value is ready', () => {
    function* ready(): Steps<number> {
      const value = (yield 21) as number;
      return value * 2;
    }
    expect(runSteps(ready())).toBe(42);
  });

  it('turns asynchronous at the first promise, and throws rejections into the steps', async () => {
    const result = runSteps(double(Promise.resolve(21)));
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(42);
  });
});
