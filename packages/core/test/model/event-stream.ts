/**
 * Random event streams for the rules model: intakes (new leads and duplicate intakes), the events a CRM
 * sends (some with ids chosen to collide with a pending timer's id or an id used before, some dated
 * before the lead's capture), and time passing, which fires every timer that comes due on the way.
 */
import fc from 'fast-check';
import { RECYCLE_REASONS, REP_IDS } from './policy-spec.js';

export const MAX_LEADS = 3;

/** An event a CRM may send, with `until` as minutes from now. */
export type EventSpec =
  | {
      type: 'touch.logged';
      channel: 'call' | 'email' | 'social' | 'sms' | 'task';
      outcome: 'connected' | 'voicemail' | 'no_answer' | 'sent' | 'bounced' | 'replied';
    }
  | { type: 'prospect.replied' }
  | { type: 'meeting.booked' }
  | { type: 'lead.assigned'; owner: string }
  | { type: 'lead.reassigned'; owner: string }
  | { type: 'lead.qualified' }
  | { type: 'lead.snoozed'; untilMinutes: number }
  | { type: 'prospect.out_of_office'; untilMinutes: number }
  | { type: 'prospect.unsubscribed'; channel: 'email' | 'call' | 'all' }
  | { type: 'lead.recycled'; reason: (typeof RECYCLE_REASONS)[number] }
  | { type: 'lead.disqualified'; reason: string }
  | { type: 'lead.converted' }
  | { type: 'activity.recorded'; activity: string };

/**
 * Which id an event carries: a fresh one; the id a pending timer of the lead will fire with
 * (`<lead>/<timerId>/v<version>`, the k-th pending timer); or an id used before (the k-th).
 */
export type IdChoice = { kind: 'fresh' } | { kind: 'timer'; index: number } | { kind: 'reuse'; index: number };

export type Step =
  | { kind: 'capture'; source: 'demo_request' | 'web'; timeZone: string | undefined }
  /** A second intake with the email of lead `lead` (merged while that lead is not terminal). */
  | { kind: 'intake-again'; lead: number; source: 'demo_request' | 'web' }
  | { kind: 'event'; lead: number; event: EventSpec; id: IdChoice; beforeCaptureMinutes: number | undefined }
  | { kind: 'wait'; minutes: number };

const owner = fc.constantFrom(...REP_IDS, 'zed');
const until = fc.oneof(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 240, max: 3 * 1440 }));

export const eventSpec: fc.Arbitrary<EventSpec> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('touch.logged' as const),
      channel: fc.constantFrom('call', 'email', 'social', 'sms', 'task'),
      outcome: fc.constantFrom('connected', 'voicemail', 'no_answer', 'sent', 'bounced', 'replied'),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ type: 'prospect.replied' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'meeting.booked' as const }) },
  { weight: 2, arbitrary: owner.map((name) => ({ type: 'lead.assigned' as const, owner: name })) },
  { weight: 2, arbitrary: owner.map((name) => ({ type: 'lead.reassigned' as const, owner: name })) },
  { weight: 1, arbitrary: fc.constant({ type: 'lead.qualified' as const }) },
  { weight: 2, arbitrary: until.map((untilMinutes) => ({ type: 'lead.snoozed' as const, untilMinutes })) },
  { weight: 1, arbitrary: until.map((untilMinutes) => ({ type: 'prospect.out_of_office' as const, untilMinutes })) },
  { weight: 1, arbitrary: fc.constantFrom('email', 'call', 'all').map((channel) => ({ type: 'prospect.unsubscribed' as const, channel })) },
  { weight: 2, arbitrary: fc.constantFrom(...RECYCLE_REASONS).map((reason) => ({ type: 'lead.recycled' as const, reason })) },
  { weight: 1, arbitrary: fc.constant({ type: 'lead.disqualified' as const, reason: 'spam' }) },
  { weight: 1, arbitrary: fc.constant({ type: 'lead.converted' as const }) },
  { weight: 2, arbitrary: fc.constantFrom('pricing_page_visit', 'webinar').map((activity) => ({ type: 'activity.recorded' as const, activity })) },
);

const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'fresh' as const }) },
  { weight: 2, arbitrary: fc.nat(5).map((index) => ({ kind: 'timer' as const, index })) },
  { weight: 1, arbitrary: fc.nat(20).map((index) => ({ kind: 'reuse' as const, index })) },
);

/** Events that may be dated before the capture (a CRM replaying old activity): they must not be. */
const BACKDATABLE = new Set(['touch.logged', 'meeting.booked', 'activity.recorded']);

const eventStep: fc.Arbitrary<Step> = fc
  .record({
    lead: fc.nat(MAX_LEADS - 1),
    event: eventSpec,
    id: idChoice,
    beforeCapture: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined, freq: 25 }),
  })
  .map(({ lead, event, id, beforeCapture }) => ({
    kind: 'event' as const,
    lead,
    event,
    id,
    beforeCaptureMinutes: BACKDATABLE.has(event.type) ? beforeCapture : undefined,
  }));

const waitStep: fc.Arbitrary<Step> = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 90 }) },
    { weight: 3, arbitrary: fc.integer({ min: 90, max: 1440 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1440, max: 2 * 1440 }) },
  )
  .map((minutes) => ({ kind: 'wait' as const, minutes }));

const captureStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('capture' as const),
  source: fc.constantFrom('web', 'demo_request'),
  timeZone: fc.constantFrom(undefined, undefined, 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
});

const intakeAgainStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('intake-again' as const),
  lead: fc.nat(MAX_LEADS - 1),
  source: fc.constantFrom('web', 'demo_request'),
});

/** A stream: the first lead's intake, then `maxSteps` more steps at most. */
export function eventStream(maxSteps: number): fc.Arbitrary<Step[]> {
  return fc
    .tuple(
      captureStep,
      fc.array(
        fc.oneof(
          { weight: 1, arbitrary: captureStep },
          { weight: 1, arbitrary: intakeAgainStep },
          { weight: 10, arbitrary: eventStep },
          { weight: 7, arbitrary: waitStep },
        ),
        { maxLength: maxSteps },
      ),
    )
    .map(([first, rest]) => [first, ...rest]);
}

/** One step in words, for counterexamples. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'capture':
      return `capture a new lead from ${step.source}${step.timeZone ? ` (contact in ${step.timeZone})` : ''}`;
    case 'intake-again':
      return `intake again with the email of lead #${step.lead + 1} (${step.source})`;
    case 'wait':
      return `wait ${step.minutes}m`;
    case 'event': {
      const { type, ...fields } = step.event;
      const details = Object.entries(fields)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ');
      const id =
        step.id.kind === 'fresh' ? '' : step.id.kind === 'timer' ? ` [id = pending timer #${step.id.index}'s id]` : ` [id = used id #${step.id.index}]`;
      const when = step.beforeCaptureMinutes === undefined ? '' : ` [dated ${step.beforeCaptureMinutes}m before the capture]`;
      return `lead #${step.lead + 1}: ${type}${details ? ` ${details}` : ''}${id}${when}`;
    }
  }
}
