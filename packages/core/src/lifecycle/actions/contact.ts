/**
 * What the prospect and the rep do with each other: touches (with speed to lead, logged late or out of
 * order), replies, meetings, opt-outs, out-of-office replies and the prospect's return, marketing
 * activity, and duplicate intakes merged into the lead. Each ends or starts SLAs through
 * `changeWithSlas`.
 *
 * @module
 */
import { optedOut } from '../../lead/consent.js';
import { activeSlas, type LeadContext } from '../../lead/context.js';
import type { MachineEvent } from '../../lead/events.js';
import type { LeadPolicies } from '../../policies/types.js';
import { formatDuration } from '../../time/duration.js';
import { formatInstant } from '../../time/instant.js';
import { eventTime, timerEvent } from '../event-time.js';
import { pauseSlas, resumeSlas } from '../sla-clock.js';
import { TIMER_IDS } from '../timer-ids.js';
import { eventOf, leadAction, note } from './lead-action.js';
import { changeWithSlas, syncSlaTimers } from './sla-changes.js';

/** How many of the latest activities a lead keeps for notifications. */
const RECENT_ACTIVITIES = 5;

/**
 * The lead's engagement after an `activity.recorded`: one more, the latest first in `recent`.
 *
 * @example
 * ```ts
 * import type { LeadContext } from '@leadline/core';
 * import { engagementAfter } from './contact.js';
 *
 * declare const context: LeadContext; // the lead's context in the machine
 * const at = Date.parse('2026-03-02T09:00:00Z');
 * engagementAfter(context, { type: 'activity.recorded', id: 'visit-1', at, activity: 'pricing_page_visit' }).count; // context.engagement.count + 1
 * ```
 */
export function engagementAfter(context: LeadContext, event: MachineEvent): LeadContext['engagement'] {
  const activity = eventOf(event, 'activity.recorded');
  const recent = [{ activity: activity.activity, at: activity.at }, ...(context.engagement.recent ?? [])].slice(0, RECENT_ACTIVITIES);
  return { count: context.engagement.count + 1, lastActivity: activity.activity, lastAt: activity.at, recent };
}

/**
 * The contact actions of the machine, over the SLA policy (a reply starts SLAs, a return resumes them).
 *
 * @example
 * ```ts
 * import type { LeadContext, LeadPolicies, MachineEvent } from '@leadline/core';
 * import { setup } from 'xstate';
 * import { contactActions } from './contact.js';
 *
 * declare const policies: LeadPolicies; // what createLeadMachine is given
 * setup({ types: { context: {} as LeadContext, events: {} as MachineEvent }, actions: { ...contactActions(policies) } });
 * ```
 */
export function contactActions({ sla: slaPolicy }: LeadPolicies) {
  return {
    recordTouch: leadAction(({ event, context, enqueue }) => {
      const touch = eventOf(event, 'touch.logged');
      // Touches may be logged late and out of order: the first and last touch go by their own times.
      const first = context.firstTouchAt === undefined || touch.at < context.firstTouchAt;
      const speed = first ? `; speed to lead ${formatDuration(touch.at - context.capturedAt)}` : '';
      const late = context.lastTouchAt !== undefined && touch.at < context.lastTouchAt ? ` (logged late, dated ${formatInstant(touch.at)})` : '';
      note(enqueue, `${touch.channel} touch #${context.touches + 1}: ${touch.outcome.replace('_', ' ')}${speed}${late}`);
      const change = {
        touches: context.touches + 1,
        firstTouchAt: first ? touch.at : context.firstTouchAt,
        lastTouchAt: Math.max(context.lastTouchAt ?? touch.at, touch.at),
      };
      const notes = changeWithSlas(enqueue, context, change, { eventType: 'touch.logged', starts: undefined, at: touch.at, policy: slaPolicy });
      for (const text of notes) note(enqueue, text);
    }),
    recordReply: leadAction(({ event, context, enqueue }) => {
      const reply = eventOf(event, 'prospect.replied');
      const change = { repliedAt: context.repliedAt ?? reply.at };
      const notes = changeWithSlas(enqueue, context, change, { eventType: 'prospect.replied', starts: 'replied', at: reply.at, policy: slaPolicy });
      note(enqueue, `prospect replied${reply.channel ? ` by ${reply.channel}` : ''}`);
      for (const text of notes) note(enqueue, text);
    }),
    recordMeeting: leadAction(({ event, context, enqueue }) => {
      const meeting = eventOf(event, 'meeting.booked');
      const change = { meetingAt: meeting.meetingAt ?? meeting.at };
      const notes = changeWithSlas(enqueue, context, change, { eventType: 'meeting.booked', starts: undefined, at: meeting.at, policy: slaPolicy });
      note(enqueue, `meeting booked${meeting.meetingAt ? ` for ${formatInstant(meeting.meetingAt)}` : ''}`);
      for (const text of notes) note(enqueue, text);
    }),
    recordOptOut: leadAction(({ context, event, enqueue }) => {
      const { channel } = eventOf(event, 'prospect.unsubscribed');
      enqueue.assign(optedOut(context, channel));
      note(enqueue, `prospect unsubscribed from ${channel === 'all' ? 'every channel' : channel}`);
    }),
    /** An auto-reply with a return date: the SLA clocks wait for the prospect, who comes back by timer. */
    recordOutOfOffice: leadAction(({ context, event, enqueue }) => {
      const away = eventOf(event, 'prospect.out_of_office');
      const slas = pauseSlas(context, away.at);
      enqueue.assign({ awayUntil: away.until, slas });
      syncSlaTimers(enqueue, context.slas, slas, away.at);
      enqueue.raise(timerEvent({ type: 'prospect.back' }, away.until, away.at) as never, { id: TIMER_IDS.away, delay: Math.max(0, away.until - away.at) });
      const paused = activeSlas({ ...context, slas })
        .filter((sla) => sla.pausedAt === away.at)
        .map((sla) => sla.name);
      note(
        enqueue,
        `prospect out of office until ${formatInstant(away.until)}${away.note ? ` (${away.note})` : ''}${paused.length > 0 ? `; ${paused.join(', ')} SLA paused` : ''}`,
      );
    }),
    prospectBack: leadAction(({ context, event, enqueue }) => {
      const at = eventTime(event);
      const slas = resumeSlas(context, slaPolicy, at);
      enqueue.assign({ awayUntil: undefined, slas });
      syncSlaTimers(enqueue, context.slas, slas, at);
      const due = activeSlas({ ...context, slas })
        .filter((sla) => sla.breachedAt === undefined)
        .map((sla) => `${sla.name} SLA now due ${formatInstant(sla.dueAt)}`);
      note(enqueue, ['prospect back in office', ...due].join('; '));
    }),
    /** Marketing activity on an open lead: engagement and score, for routing, SLA targets and the brief. */
    recordActivity: leadAction(({ context, event, enqueue }) => {
      const activity = eventOf(event, 'activity.recorded');
      enqueue.assign({ engagement: engagementAfter(context, event), score: activity.score ?? context.score });
      note(enqueue, `activity: ${activity.activity}${activity.score === undefined ? '' : ` (score ${activity.score})`}`);
    }),
    /** Activity on a nurtured lead: counted, and re-engages only when the recycle policy calls it intent. */
    recordEngagement: leadAction(({ context, event, enqueue }) => {
      enqueue.assign({ engagement: engagementAfter(context, event) });
    }),
    /** A duplicate intake folded into a nurtured lead, which it re-engages. */
    countMerge: leadAction(({ context, enqueue }) => {
      enqueue.assign({ merges: context.merges + 1 });
    }),
    recordMerge: leadAction(({ context, event, enqueue }) => {
      const merged = eventOf(event, 'lead.merged');
      enqueue.assign({ merges: context.merges + 1 });
      note(enqueue, `duplicate intake from ${merged.source}${merged.campaign ? ` (${merged.campaign})` : ''} merged into this lead`);
    }),
  };
}
