/**
 * The events a lead's lifecycle reacts to, as zod schemas (the runtime check at the public edge) and
 * the TypeScript types inferred from them. Every event carries an `id` (so that the same event is
 * applied once) and its time `at`.
 *
 * @module
 */
import { z } from 'zod';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, MAX_TEXT_LENGTH } from '../limits.js';
import { instantSchema } from '../time/instant.js';
import { freeTextSchema, singleLineSchema } from '../validation.js';
import { OPT_OUT_CHANNELS } from './consent.js';
import { TOUCH_CHANNELS, TOUCH_OUTCOMES, type TouchChannel } from './touch.js';

export { TOUCH_CHANNELS, TOUCH_OUTCOMES, type TouchChannel, type TouchOutcome } from './touch.js';

const eventId = singleLineSchema(MAX_ID_LENGTH);
const reason = freeTextSchema(MAX_TEXT_LENGTH, { empty: 'must say why' });
const name = singleLineSchema(MAX_NAME_LENGTH);
const note = freeTextSchema(MAX_NOTE_LENGTH);

const base = { id: eventId, at: instantSchema };

/** zod schema of `lead.qualified`: central qualification found the lead sales-ready. */
export const leadQualifiedSchema = z.strictObject({ type: z.literal('lead.qualified'), ...base, by: name.optional(), note: note.optional() });
/** zod schema of `lead.assigned`: the lead gets an owner. */
export const leadAssignedSchema = z.strictObject({ type: z.literal('lead.assigned'), ...base, owner: name, reason: reason.optional() });
/** zod schema of `lead.reassigned`: the lead moves to another owner. */
export const leadReassignedSchema = z.strictObject({ type: z.literal('lead.reassigned'), ...base, owner: name, reason: reason.optional() });
/** zod schema of `touch.logged`: one follow-up attempt was made. */
export const touchLoggedSchema = z.strictObject({
  type: z.literal('touch.logged'),
  ...base,
  channel: z.enum(TOUCH_CHANNELS),
  outcome: z.enum(TOUCH_OUTCOMES),
  by: name.optional(),
  note: note.optional(),
});
/** zod schema of `prospect.replied`: the prospect answered. */
export const prospectRepliedSchema = z.strictObject({ type: z.literal('prospect.replied'), ...base, channel: z.enum(TOUCH_CHANNELS).optional() });
/** zod schema of `meeting.booked`. */
export const meetingBookedSchema = z.strictObject({ type: z.literal('meeting.booked'), ...base, meetingAt: instantSchema.optional() });
/** zod schema of `lead.snoozed`: the prospect asked to be contacted later; the SLA clock pauses until then. */
export const leadSnoozedSchema = z
  .strictObject({ type: z.literal('lead.snoozed'), ...base, until: instantSchema, reason: reason.optional() })
  .refine((event) => event.until > event.at, { path: ['until'], message: 'must be after the snooze itself (at)' });
/** zod schema of `prospect.unsubscribed`: the prospect opted out of a channel (`all` when not said). */
export const prospectUnsubscribedSchema = z.strictObject({
  type: z.literal('prospect.unsubscribed'),
  ...base,
  channel: z.enum(OPT_OUT_CHANNELS).default('all'),
});
/** zod schema of `prospect.out_of_office`: an auto-reply with a return date; the cadence pauses until then. */
export const prospectOutOfOfficeSchema = z
  .strictObject({
    type: z.literal('prospect.out_of_office'),
    ...base,
    until: instantSchema,
    note: note.optional(),
  })
  .refine((event) => event.until > event.at, { path: ['until'], message: 'must be after the auto-reply itself (at)' });
/** zod schema of `lead.disqualified`. */
export const leadDisqualifiedSchema = z.strictObject({ type: z.literal('lead.disqualified'), ...base, reason });
/** zod schema of `lead.recycled`: sales hands the lead back to marketing with a reason. */
export const leadRecycledSchema = z.strictObject({ type: z.literal('lead.recycled'), ...base, reason });
/** zod schema of `activity.recorded`: engagement such as a pricing-page visit or a download. */
export const activityRecordedSchema = z.strictObject({
  type: z.literal('activity.recorded'),
  ...base,
  activity: name,
  score: z.number().finite().optional(),
  detail: note.optional(),
});
/** zod schema of `lead.converted`: the lead became an opportunity or a customer. */
export const leadConvertedSchema = z.strictObject({ type: z.literal('lead.converted'), ...base, opportunityId: name.optional() });

/**
 * zod schema of every event a caller may dispatch.
 *
 * @example
 * ```ts
 * import { leadEventSchema } from '@leadline/core';
 *
 * const event = leadEventSchema.parse({ type: 'touch.logged', id: 't1', at: '2026-03-02T09:03:00Z', channel: 'call', outcome: 'voicemail' });
 * ```
 */
export const leadEventSchema = z.discriminatedUnion('type', [
  leadQualifiedSchema,
  leadAssignedSchema,
  leadReassignedSchema,
  touchLoggedSchema,
  prospectRepliedSchema,
  meetingBookedSchema,
  leadSnoozedSchema,
  prospectUnsubscribedSchema,
  prospectOutOfOfficeSchema,
  leadDisqualifiedSchema,
  leadRecycledSchema,
  activityRecordedSchema,
  leadConvertedSchema,
]);

/** An event as a caller writes it (instants may be strings or Dates). */
export type LeadEventInput = z.input<typeof leadEventSchema>;
/** An event after validation: instants are epoch milliseconds. */
export type LeadEvent = z.output<typeof leadEventSchema>;
/** The type names of the events a caller may dispatch. */
export type LeadEventType = LeadEvent['type'];

/** Timer events: raised by the machine with a delay, stored as timer rows and fed back by the scheduler. */
export type TimerEvent =
  | { type: 'sla.warning'; id: string; at: number; sla: string }
  | { type: 'sla.breached'; id: string; at: number; sla: string }
  | { type: 'sla.escalated'; id: string; at: number; sla: string; step: number }
  | {
      type: 'cadence.step_due';
      id: string;
      at: number;
      step: number;
      /** The cadence enrolment the step belongs to (`cadenceRuns` when it was planned); absent on older timers. */
      run?: number;
      /** The contact's latest touch per channel on any of their leads, read by the engine as the step fires. */
      contactTouches?: Partial<Record<TouchChannel, number>>;
    }
  | { type: 'prospect.back'; id: string; at: number }
  | { type: 'snooze.ended'; id: string; at: number }
  | { type: 'recycle.recheck_due'; id: string; at: number }
  | { type: 'routing.retry_due'; id: string; at: number };

/** Internal events the engine creates itself: the intake of a lead and a merged duplicate. */
export type IntakeEvent = {
  type: 'lead.merged';
  id: string;
  at: number;
  source: string;
  campaign?: string | undefined;
  asset?: string | undefined;
};

/**
 * The engine found no rep for a lead that awaits an owner: why (every rep considered and why it was
 * skipped), when routing is tried again, and who hears of it.
 *
 * @example
 * ```ts
 * import { MINUTE, type UnroutedEvent } from '@leadline/core';
 *
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * const unrouted: UnroutedEvent = { type: 'lead.unrouted', id: 'form-1#unrouted', at, reason: 'pools full: everyone (ann (at capacity 3))', retryAt: at + 15 * MINUTE, notify: ['maria'], first: true };
 * ```
 */
export type UnroutedEvent = {
  type: 'lead.unrouted';
  id: string;
  at: number;
  reason: string;
  retryAt: number;
  /** Recipients of the notification (the team's managers); empty when an audience names them. */
  notify: string[];
  /** Whether this is the first failure of this wait (only the first one notifies). */
  first: boolean;
  audience?: `team:${string}` | undefined;
};

/**
 * A fact about the lead that changes nothing in its lifecycle but belongs in its history, such as a
 * notification delivered. The engine records it without a transition.
 */
export type HistoryNote = { type: 'notification.delivered' | 'notification.dead_lettered'; id: string; at: number; notes: string[] };

/** Every event the lead machine handles. */
export type MachineEvent = LeadEvent | TimerEvent | IntakeEvent | UnroutedEvent | HistoryNote;

/** The names of the timer events, so the engine can tell a timer from a caller's event. */
export const TIMER_EVENT_TYPES = [
  'sla.warning',
  'sla.breached',
  'sla.escalated',
  'cadence.step_due',
  'prospect.back',
  'snooze.ended',
  'recycle.recheck_due',
  'routing.retry_due',
] as const;
