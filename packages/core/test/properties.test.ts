import { EventRejectedError, LIFECYCLE_STATES, lifecycleOf, MemoryStore, TERMINAL_STATES } from '@leadline/core';
import { createTimeline, type TimelineEvent } from '@leadline/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullPolicies, qualifyingPolicies } from './policies.js';
import { asyncStore } from './stores.js';

/** One step of a random life: an event a CRM could send, or time passing (which fires timers). */
type Step = { kind: 'event'; event: TimelineEvent } | { kind: 'wait'; minutes: number };

const owner = fc.constantFrom('ann', 'bob', 'cho');
const reason = fc.constantFrom('not_ready', 'no_budget', 'timing', 'wrong_contact');
const event: fc.Arbitrary<TimelineEvent> = fc.oneof(
  fc.constant({ type: 'lead.qualified' as const }),
  owner.map((name) => ({ type: 'lead.assigned' as const, owner: name })),
  owner.map((name) => ({ type: 'lead.reassigned' as const, owner: name })),
  fc.record({
    type: fc.constant('touch.logged' as const),
    channel: fc.constantFrom('call', 'email', 'social', 'sms', 'task'),
    outcome: fc.constantFrom('connected', 'voicemail', 'no_answer', 'sent', 'bounced', 'replied'),
  }),
  fc.constant({ type: 'prospect.replied' as const }),
  fc.constant({ type: 'meeting.booked' as const }),
  fc.integer({ min: 1, max: 60 * 24 * 30 }).map((minutes) => ({ type: 'lead.snoozed' as const, until: minutes })),
  reason.map((why) => ({ type: 'lead.disqualified' as const, reason: why })),
  reason.map((why) => ({ type: 'lead.recycled' as const, reason: why })),
  fc.constantFrom('pricing_page_visit', 'webinar', 'email_open').map((activity) => ({ type: 'activity.recorded' as const, activity })),
  fc.constant({ type: 'lead.converted' as const }),
  fc.constantFrom('email', 'call', 'all').map((channel) => ({ type: 'prospect.unsubscribed' as const, channel: channel as 'email' | 'call' | 'all' })),
  fc.integer({ min: 1, max: 60 * 24 * 20 }).map((minutes) => ({ type: 'prospect.out_of_office' as const, until: minutes })),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: event.map((e) => ({ kind: 'event' as const, event: e })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 * 24 * 120 }).map((minutes) => ({ kind: 'wait' as const, minutes })) },
);

describe('lifecycle invariants over random event sequences', () => {
  it.each([
    ['routing, SLA, cadence and recycling, memory store', fullPolicies, false],
    ['central qualification too, memory store', qualifyingPolicies, false],
    ['routing, SLA, cadence and recycling, a store that answers through promises', fullPolicies, true],
  ])(
    'hold with %s',
    async (_name, policies, throughPromises) => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.constantFrom('demo_request', 'event', 'content_download'), async (steps, source) => {
          const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies, ...(throughPromises ? { store: asyncStore(new MemoryStore()).store } : {}) });
          const lead = await t.capture({ source });
          let applied = 1; // the capture
          for (const next of steps) {
            if (next.kind === 'wait') {
              applied += await t.advance(next.minutes * 60_000);
              continue;
            }
            // A snooze's `until` is drawn as minutes from now.
            const e =
              next.event.type === 'lead.snoozed' || next.event.type === 'prospect.out_of_office'
                ? { ...next.event, until: t.now + Number(next.event.until) * 60_000 }
                : next.event;
            const before = await t.lead(lead);
            try {
              const result = await t.send(lead, e);
              expect(result.applied).toBe(true);
              applied += 1;
            } catch (error) {
              // A state that does not take the event refuses it and changes nothing.
              expect(error).toBeInstanceOf(EventRejectedError);
              expect((await t.lead(lead)).version).toBe(before.version);
            }
          }
          const view = await t.lead(lead);
          const stored = await t.engine.store.load('default', lead);
          // Exactly one lifecycle state, and the stored one is the machine's.
          expect(LIFECYCLE_STATES.filter((state) => state === view.state)).toHaveLength(1);
          expect(lifecycleOf((stored as { snapshot: { value: unknown } }).snapshot.value)).toBe(view.state);
          // A terminal lead has no pending timer.
          if (TERMINAL_STATES.includes(view.state)) expect(view.deadlines).toEqual([]);
          // History holds one entry per applied event: the capture, each accepted dispatch, each fired
          // timer, and each assignment the routing policy made.
          const routed = view.history.filter((entry) => entry.eventId.endsWith('#route')).length;
          expect(view.history).toHaveLength(applied + routed);
          expect(view.history.map((entry) => entry.seq)).toEqual(view.history.map((_, index) => index + 1));
          expect(new Set(view.history.map((entry) => entry.eventId)).size).toBe(view.history.length);
        }),
        { numRuns: 1000 },
      );
    },
    120_000,
  );
});
