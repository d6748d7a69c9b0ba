/**
 * The lead lifecycle as an XState v5 machine. While a lead is open three regions run side by side:
 * `stage` (new -> qualifying -> qualified -> assigned -> working), `sla` (the speed-to-lead clock) and
 * `cadence` (the planned touches). Snoozed, recycled, converted and disqualified leave the open state,
 * which cancels every timer the regions hold.
 *
 * The machine never waits itself: deadlines are delayed `raise` actions with an id, which the engine
 * turns into durable timer rows (and `cancel` actions into deletions). `note` actions explain each
 * decision in the lead's history; `notify` actions become outbox messages.
 *
 * @module
 */
import { and, assign, cancel, enqueueActions, raise, setup } from 'xstate';
import type { ParsedCaptureInput } from '../lead/capture-input.js';
import { optedOut } from '../lead/consent.js';
import type { SlaTrigger } from '../lead/context.js';
import { activeSlas, type EscalationAction, type LeadContext, type SlaEscalation, type SlaRecord } from '../lead/context.js';
import type { LeadEvent, MachineEvent } from '../lead/events.js';
import type { NotificationKind } from '../lead/notification-kind.js';
import { type CadenceStop, DEFAULT_MISSED_STEPS, type LeadPolicies } from '../policies/types.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import {
  advanceCadence,
  exhaustCadence,
  extendCadence,
  forgetMissedSteps,
  missedStepsAt,
  pauseCadence,
  postponeStep,
  resumeCadence,
  startCadence,
  stopCadence,
} from './cadence-progress.js';
import { contactCooldown, describeContactCooldown } from './contact-cooldown.js';
import { handedBack } from './recycling.js';
import {
  closeSlas,
  fireSlaTimer,
  meetSlas,
  pauseSlas,
  resumeSlas,
  type SlaTimerEvent,
  slaTimerChanges,
  slaTimerOf,
  startSlas,
  worstSlaStanding,
} from './sla-clock.js';

/**
 * What the machine starts from: the validated intake and the ids the engine chose.
 *
 * @example
 * ```ts
 * const input: LeadMachineInput = { leadId: 'lead-1', tenantId: 'default', lead: captureInputSchema.parse(raw) };
 * ```
 */
export interface LeadMachineInput {
  leadId: string;
  tenantId: string;
  lead: ParsedCaptureInput;
  /** What intake found out: the company's account, an owner the lead should go to. */
  found?: Pick<LeadContext, 'account' | 'ownerHint'>;
}

/**
 * A notification the machine asks for; the engine stores it in the outbox with the commit.
 *
 * @example
 * ```ts
 * const params: NotifyParams = { kind: 'sla.breached', to: ['rep-1'], summary: 'first-touch SLA breached' };
 * ```
 */
export interface NotifyParams {
  kind: NotificationKind;
  /** Recipients (rep ids); empty when the lead has no owner, so the embedding app routes it. */
  to: string[];
  summary: string;
  /**
   * `manager`: the engine sends it to the manager of each rep in `to` (from the rep directory);
   * `team:<name>`: to a named audience of the engine (a qualification team, a queue, a role).
   */
  audience?: 'owner' | 'manager' | `team:${string}`;
}

/**
 * A request the machine leaves for the engine, which has the team at hand: reassign the lead (never to
 * the reps in `avoid`), or mark a rep unavailable.
 *
 * @example
 * ```ts
 * const request: TeamRequest = { kind: 'reassign', avoid: ['ann'], reason: 'follow_up SLA escalation' };
 * ```
 */
export type TeamRequest = { kind: 'reassign'; avoid: string[]; reason: string } | { kind: 'mark_unavailable'; rep: string; reason: string };

/** How many of the latest activities a lead keeps for notifications. */
const RECENT_ACTIVITIES = 5;

/** Timer ids of the cadence, snooze, re-check, out-of-office and re-routing timers (SLA timers are `sla:<name>`, one per SLA). */
export const TIMER_IDS = { cadence: 'cadence', snooze: 'snooze', recheck: 'recycle', away: 'away', route: 'route' } as const;

type Event = MachineEvent | { type: 'xstate.init'; input: LeadMachineInput };

/**
 * How many microsteps one event may take before the runner gives up (`RunawayTransitionError`). The
 * longest legitimate chain is a handful of eventless steps (qualifying, the SLA region, an exhausted
 * cadence recycling the lead); a hundred leaves room and still stops a cycle at once.
 *
 * @example
 * ```ts
 * catch (error) { if (error instanceof RunawayTransitionError) console.log(error.maxMicrosteps === MAX_MICROSTEPS); }
 * ```
 */
export const MAX_MICROSTEPS = 100;

/**
 * The time of the event being handled: its own `at`, or the intake time for the initial transition.
 * Timer events carry the instant they were due (see {@link timerEvent}), so the machine also runs in a
 * plain XState actor, where delayed events come back exactly as they were raised.
 */
function eventTime(event: Event): number {
  if ('at' in event && typeof event.at === 'number') return event.at;
  if ('input' in event && event.input !== undefined) return event.input.lead.at;
  throw new TypeError(`event ${event.type} has no time: every lead event carries its instant in \`at\``);
}

/** A timer's event, stamped with the instant it is due (never before the event that raises it). */
function timerEvent<E extends { type: string }>(event: E, dueAt: number, at: number): E & { at: number } {
  return { ...event, at: Math.max(dueAt, at) };
}

function initialContext({ leadId, tenantId, lead, found }: LeadMachineInput, policies: LeadPolicies): LeadContext {
  const context: LeadContext = {
    leadId,
    tenantId,
    capturedAt: lead.at,
    source: lead.source,
    priority: lead.priority,
    contact: { ...lead.contact },
    doNotCall: lead.doNotCall,
    doNotEmail: lead.doNotEmail,
    previousOwners: [],
    qualified: false,
    touches: 0,
    slas: [],
    recycle: { count: 0, reengaged: 0 },
    engagement: { count: 0 },
    merges: 0,
    cadenceRuns: 0,
  };
  if (lead.campaign !== undefined) context.campaign = lead.campaign;
  if (lead.asset !== undefined) context.asset = lead.asset;
  if (lead.form !== undefined) context.form = lead.form;
  if (lead.segment !== undefined) context.segment = lead.segment;
  if (lead.territory !== undefined) context.territory = lead.territory;
  if (found?.account !== undefined) context.account = found.account;
  if (found?.ownerHint !== undefined) context.ownerHint = found.ownerHint;
  if (lead.score !== undefined) context.score = lead.score;
  if (lead.attributes !== undefined) context.attributes = { ...lead.attributes };
  context.slas = startSlas(context, policies.sla, 'captured', lead.at);
  return context;
}

/**
 * A `note` or `notify` action enqueued from a named action. XState cannot type actions that refer to
 * their siblings in `setup()`, so these two are built here once, with their params checked.
 */
function noteAction(params: { text: string }): never {
  return { type: 'note', params } as never;
}
function notifyAction(params: NotifyParams): never {
  return { type: 'notify', params } as never;
}
function teamAction(params: TeamRequest): never {
  return { type: 'team', params } as never;
}

/** Something `enqueue` can raise and cancel with: the parts of XState's enqueuer the SLA timers use. */
interface TimerEnqueuer {
  raise(event: never, options: { id: string; delay: number }): void;
  cancel(id: string): void;
}

/** What `changeWithSlas` needs of XState's enqueuer: assign, raise, cancel. */
interface SlaEnqueuer extends TimerEnqueuer {
  assign(change: Partial<LeadContext>): void;
}

/** Raises and cancels the SLA timers that changed between two sets of SLAs. */
function syncSlaTimers(enqueue: TimerEnqueuer, before: readonly SlaRecord[], after: readonly SlaRecord[], at: number): void {
  const { raise, cancel } = slaTimerChanges(before, after);
  for (const id of cancel) enqueue.cancel(id);
  for (const timer of raise) enqueue.raise(timerEvent(timer.event, timer.dueAt, at) as never, { id: timer.id, delay: Math.max(0, timer.dueAt - at) });
}

/** Words for SLAs that were met, and for SLAs that started, as history notes. */
function slaNotes(met: readonly SlaRecord[], started: readonly SlaRecord[]): string[] {
  const notes = met.map((sla) => {
    const text =
      sla.outcome === 'met'
        ? `${sla.name} SLA met in ${formatDuration(sla.elapsedMs ?? 0)} (${sla.label})`
        : `${sla.name} SLA met late, ${formatDuration((sla.endedAt ?? 0) - sla.dueAt)} after the deadline`;
    return sla.withdrawnBreachAt === undefined ? text : `${text}; logged late, so the breach recorded at ${formatInstant(sla.withdrawnBreachAt)} is withdrawn`;
  });
  for (const sla of started)
    notes.push(sla.pausedAt === undefined ? `${sla.label}: due ${formatInstant(sla.dueAt)}` : `${sla.label}: paused until the prospect is back`);
  return notes;
}

/** Narrows the machine's event union inside named actions, where XState cannot know the event. */
function as<T extends MachineEvent['type']>(event: MachineEvent, _type: T): Extract<MachineEvent, { type: T }> {
  return event as Extract<MachineEvent, { type: T }>;
}

/** Owner and assignment reason, from `lead.assigned` or `lead.reassigned`. */
function ownerOf(event: MachineEvent): Extract<LeadEvent, { type: 'lead.assigned' | 'lead.reassigned' }> {
  return event as Extract<LeadEvent, { type: 'lead.assigned' | 'lead.reassigned' }>;
}

/** What an escalation step decides: its notes, and the notification or team request it asks for. */
interface EscalationStep {
  notes: string[];
  notify?: NotifyParams;
  team?: TeamRequest;
}

/**
 * Each escalation action, as a table keyed by `ESCALATION_ACTIONS`: a new kind of step is a line in that
 * list (with its words) and an entry here.
 */
const ESCALATION_STEPS: Record<EscalationAction, (step: { context: LeadContext; escalation: SlaEscalation; why: string }) => EscalationStep> = {
  notify_owner: ({ context, why }) => ({
    notes: [`${why}${context.owner ? `; ${context.owner} notified again` : ''}`],
    notify: { kind: 'sla.escalated', to: context.owner ? [context.owner] : [], summary: `lead ${context.leadId} is still waiting (${why})` },
  }),
  notify_manager: ({ context, why }) => ({
    notes: [`${why}${context.owner ? `; the manager of ${context.owner} notified` : ''}`],
    notify: {
      kind: 'sla.escalated',
      to: context.owner ? [context.owner] : [],
      audience: 'manager',
      summary: `lead ${context.leadId} of ${context.owner ?? 'nobody'} is still waiting (${why})`,
    },
  }),
  reassign: ({ context, escalation, why }) => {
    const recent = context.previousOwners.slice(-(escalation.avoidLast ?? 0));
    const avoid = context.owner ? [context.owner, ...recent] : recent;
    return {
      notes: [`${why}; to be reassigned, not to ${avoid.join(', ') || 'anyone in particular'}`],
      team: { kind: 'reassign', avoid: [...new Set(avoid)], reason: why },
    };
  },
  mark_unavailable: ({ context, why }) =>
    context.owner
      ? { notes: [`${why}; ${context.owner} marked unavailable`], team: { kind: 'mark_unavailable', rep: context.owner, reason: why } }
      : { notes: [`${why}; the lead has no owner to mark unavailable`] },
};

/**
 * Builds the lead lifecycle machine for a policy set.
 *
 * @example
 * ```ts
 * const machine = createLeadMachine({ sla: firstTouchSla({ within: '5m' }) });
 * const [snapshot, actions] = initialTransition(machine, { leadId: 'l1', tenantId: 'default', lead });
 * ```
 */
export function createLeadMachine(policies: LeadPolicies = {}) {
  const prospectContact = {
    'touch.logged': { actions: 'recordTouch' },
    'prospect.replied': { actions: 'recordReply' },
    'meeting.booked': { actions: 'recordMeeting' },
    'prospect.unsubscribed': { actions: 'recordOptOut' },
    'prospect.out_of_office': { actions: 'recordOutOfOffice' },
    'prospect.back': { guard: 'awayIsOver', actions: 'prospectBack' },
  } as const;
  const { sla: slaPolicy, cadence: cadencePolicy, recycle: recyclePolicy, qualification } = policies;
  const missedRule = cadencePolicy?.missedSteps ?? DEFAULT_MISSED_STEPS;
  const recycleLimitReached = (context: LeadContext) => context.recycle.count >= (recyclePolicy?.maxRecycles ?? Number.POSITIVE_INFINITY);
  /**
   * A lead that awaits an owner: assigned, or left unrouted with the reason and a re-routing timer (the
   * engine routes it again after every event, the timer's included).
   */
  const awaitingOwner = {
    'lead.assigned': { target: 'assigned', actions: 'takeOwner' },
    'lead.unrouted': { actions: 'recordUnrouted' },
    'routing.retry_due': { actions: 'retryRouting' },
  } as const;
  /** The events that stop the cadence, each when the policy says so. */
  const stopOn = (stop: CadenceStop, reason: string) => ({
    guard: ({ event }: { event: MachineEvent }) =>
      (cadencePolicy?.stopsOn.includes(stop) ?? false) && (stop !== 'touch.bounced' || (event.type === 'touch.logged' && event.outcome === 'bounced')),
    target: 'stopped' as const,
    actions: { type: 'stopCadence' as const, params: { reason } },
  });
  const cadenceStops = {
    'prospect.replied': stopOn('prospect.replied', 'prospect replied'),
    'meeting.booked': stopOn('meeting.booked', 'meeting booked'),
    'prospect.unsubscribed': stopOn('prospect.unsubscribed', 'prospect unsubscribed'),
    'lead.qualified': stopOn('lead.qualified', 'lead qualified'),
    'touch.logged': stopOn('touch.bounced', 'a touch bounced'),
  } as const;
  const ownerOnly = (context: LeadContext) => (context.owner ? [context.owner] : []);
  /**
   * The SLA side of an event: meets the SLAs it ends, starts those it triggers, and returns the new
   * SLA list with the notes that explain it. The caller assigns it and syncs the timers.
   */
  const slaEffects = (context: LeadContext, eventType: string, trigger: SlaTrigger | undefined, at: number) => {
    const { slas: afterMeet, met } = meetSlas(context, eventType, at);
    const slas = trigger ? startSlas({ ...context, slas: afterMeet }, slaPolicy, trigger, at) : afterMeet;
    return { slas, notes: slaNotes(met, slas.slice(afterMeet.length)) };
  };
  /**
   * Why the step coming due must wait, and until when: the minimum gap after this lead's last touch, and
   * the contact's cooldown on the step's channel across all their leads (the engine puts the contact's
   * latest touches on the step's event). The later of the two wins.
   */
  const stepHold = (context: LeadContext, event: MachineEvent): { until: number; why: string } | undefined => {
    const cadence = context.cadence;
    if (!cadencePolicy || !cadence || cadence.nextIsEnd) return undefined;
    const at = eventTime(event as Event);
    const label = cadence.nextLabel ?? 'next step';
    let hold: { until: number; why: string } | undefined;
    if (cadencePolicy.minGapMs > 0 && context.lastTouchAt !== undefined && at < context.lastTouchAt + cadencePolicy.minGapMs) {
      const until = context.lastTouchAt + cadencePolicy.minGapMs;
      hold = {
        until,
        why: `${label} postponed to ${formatInstant(until)}: last touch ${formatInstant(context.lastTouchAt)}, minimum gap ${formatDuration(cadencePolicy.minGapMs)}`,
      };
    }
    const touches = event.type === 'cadence.step_due' ? event.contactTouches : undefined;
    const cooldown = contactCooldown(cadencePolicy, cadence.nextChannel, touches, at);
    if (cooldown && (!hold || cooldown.until > hold.until)) hold = { until: cooldown.until, why: describeContactCooldown(label, cooldown) };
    return hold;
  };
  /**
   * An event's change to the lead, with its SLA side applied in the same step: meets the SLAs it ends,
   * starts those it triggers, assigns both, raises and cancels the timers that changed. Returns the notes
   * that explain the SLAs, for after the event's own note.
   */
  const changeWithSlas = (
    enqueue: SlaEnqueuer,
    context: LeadContext,
    change: Partial<LeadContext>,
    eventType: string,
    trigger: SlaTrigger | undefined,
    at: number,
  ): string[] => {
    const { slas, notes } = slaEffects({ ...context, ...change }, eventType, trigger, at);
    enqueue.assign({ ...change, slas });
    syncSlaTimers(enqueue, context.slas, slas, at);
    return notes;
  };
  /** A hand-back: closes the lead when the policy says so or at the recycle limit, else nurtures it. */
  const handBack = {
    'lead.recycled': [
      { guard: 'recycleCloses', target: '#lead.disqualified', actions: 'closeByRecyclePolicy' },
      { guard: 'recycleLimitReached', target: '#lead.disqualified', actions: 'closeAtRecycleLimit' },
      { target: '#lead.recycled', actions: 'handBack' },
    ],
  } as const;
  /** The way out of the funnel, defined once for open, snoozed and nurtured leads; `where` is for the note. */
  const closing = (where: '' | ' while snoozed' | ' from nurture') =>
    ({
      'lead.disqualified': { target: '#lead.disqualified', actions: { type: 'disqualify', params: { where } } },
      'lead.converted': { target: '#lead.converted', actions: { type: 'convert', params: { where } } },
    }) as const;
  const engagementAfter = (context: LeadContext, event: MachineEvent) => {
    const activity = as(event, 'activity.recorded');
    const recent = [{ activity: activity.activity, at: activity.at }, ...(context.engagement.recent ?? [])].slice(0, RECENT_ACTIVITIES);
    return { count: context.engagement.count + 1, lastActivity: activity.activity, lastAt: activity.at, recent };
  };

  return setup({
    types: {
      context: {} as LeadContext,
      events: {} as MachineEvent,
      input: {} as LeadMachineInput,
    },
    actions: {
      /** Explains a decision in the history entry of the event being applied. */
      note: (_args, _params: { text: string }) => {},
      /** Asks for a notification; the engine puts it in the outbox. */
      notify: (_args, _params: NotifyParams) => {},
      takeOwner: enqueueActions(({ event, context, enqueue }) => {
        const { owner, reason, at } = ownerOf(event);
        const change = { owner, unrouted: undefined, cadence: forgetMissedSteps(context.cadence) };
        const notes = changeWithSlas(enqueue, context, change, 'lead.assigned', 'assigned', at);
        enqueue(noteAction({ text: `assigned to ${owner}${reason ? ` (${reason})` : ''}` }));
        for (const text of notes) enqueue(noteAction({ text }));
        enqueue(notifyAction({ kind: 'lead.assigned', to: [owner], summary: `new ${context.source} lead ${context.leadId}` }));
      }),
      changeOwner: enqueueActions(({ event, context, enqueue }) => {
        const { owner, reason, at } = ownerOf(event);
        const previous = context.owner;
        // The SLAs that came with the old owner's assignment end with it; the new owner gets fresh ones.
        const closed = closeSlas(context, at, (sla) => sla.startedBy === 'assigned');
        const next = { ...context, owner, slas: closed };
        const slas = startSlas(next, slaPolicy, 'assigned', at);
        enqueue.assign({
          owner,
          slas,
          previousOwners: previous ? [...context.previousOwners, previous] : context.previousOwners,
          cadence: forgetMissedSteps(context.cadence),
        });
        syncSlaTimers(enqueue, context.slas, slas, at);
        enqueue(noteAction({ text: `reassigned from ${previous ?? 'nobody'} to ${owner}${reason ? ` (${reason})` : ''}` }));
        for (const text of slaNotes([], slas.slice(closed.length))) enqueue(noteAction({ text }));
        enqueue(notifyAction({ kind: 'lead.reassigned', to: [owner], summary: `lead ${context.leadId} reassigned to you` }));
      }),
      // A reason the recycle policy treats as final (for example "do not contact") ends the lead.
      closeByRecyclePolicy: enqueueActions(({ event, context, enqueue }) => {
        const { reason, at } = as(event, 'lead.recycled');
        enqueue.assign({ disqualifiedReason: reason, slas: closeSlas(context, at) });
        enqueue(noteAction({ text: `closed: ${reason} ends the lead (recycle policy)` }));
      }),
      // A lead handed back more often than the policy allows is closed rather than nurtured forever.
      closeAtRecycleLimit: enqueueActions(({ event, context, enqueue }) => {
        const { reason, at } = as(event, 'lead.recycled');
        enqueue.assign({ disqualifiedReason: `max_recycles:${reason}`, slas: closeSlas(context, at) });
        enqueue(
          noteAction({
            text: `closed: already recycled ${context.recycle.count} times (max ${recyclePolicy?.maxRecycles}); last reason ${reason}`,
          }),
        );
      }),
      handBack: enqueueActions(({ event, context, enqueue }) => {
        const { reason, at } = as(event, 'lead.recycled');
        enqueue.assign({ recycle: handedBack(context.recycle, reason, at), slas: closeSlas(context, at) });
        enqueue(
          noteAction({ text: `handed back to marketing: ${reason} (recycle ${context.recycle.count + 1} of ${recyclePolicy?.maxRecycles ?? 'unlimited'})` }),
        );
        enqueue('startNurture' as never);
      }),
      startNurture: enqueueActions(({ event, context, enqueue }) => {
        const at = (event as { at: number }).at;
        const reason = context.recycle.reason ?? 'unspecified';
        const recheckAt = recyclePolicy?.recheckAt(context, reason, at);
        const { recheckAt: _old, ...recycle } = context.recycle;
        // Nurtured leads wait for nobody: a routing wait ends with the hand-back.
        enqueue.assign({
          recycle: recheckAt === undefined ? { ...recycle, recycledAt: at } : { ...recycle, recycledAt: at, recheckAt },
          unrouted: undefined,
        });
        enqueue(noteAction({ text: recheckAt === undefined ? 'nurtured until new intent' : `nurtured; re-check ${formatInstant(recheckAt)}` }));
      }),
      reengage: enqueueActions(({ event, context, enqueue }, params: { why: string }) => {
        const at = (event as { at: number }).at;
        // A new cycle: no owner, no cadence, and no routing wait carried over from before the hand-back.
        const { owner, cadence, recheckAt, unrouted, ...rest } = { ...context, recheckAt: context.recycle.recheckAt };
        const { recheckAt: _done, ...recycle } = context.recycle;
        const next: LeadContext = {
          ...rest,
          previousOwners: owner ? [...context.previousOwners, owner] : context.previousOwners,
          qualified: false,
          recycle: { ...recycle, reengaged: recycle.reengaged + 1 },
        };
        next.slas = startSlas(next, slaPolicy, 'captured', at);
        // The timers of the new SLAs are raised when the lead enters `open`.
        enqueue.assign(() => next);
        enqueue(noteAction({ text: [`re-engaged: ${params.why}`, ...slaNotes([], next.slas.slice(context.slas.length))].join('; ') }));
        enqueue(notifyAction({ kind: 'lead.reengaged', to: owner ? [owner] : [], summary: `lead ${context.leadId} re-engaged: ${params.why}` }));
      }),
      resume: enqueueActions(({ event, context, enqueue }, params: { why: string }) => {
        const at = (event as { at: number }).at;
        const pausedMs = at - (context.snoozedAt ?? at);
        const { snoozedAt, snoozedUntil, ...rest } = context;
        const next: LeadContext = { ...rest };
        // Still out of office: the SLAs and the cadence stay paused until the prospect is back.
        const away = context.awayUntil !== undefined && at < context.awayUntil;
        next.slas = away ? context.slas : resumeSlas(context, slaPolicy, at);
        const cadence = away ? context.cadence : resumeCadence(context.cadence, at);
        if (cadence) next.cadence = cadence;
        enqueue.assign(() => next);
        const due = activeSlas(next)
          .filter((sla) => sla.breachedAt === undefined)
          .map((sla) => `${sla.name} SLA now due ${formatInstant(sla.dueAt)}`);
        enqueue(noteAction({ text: [`resumed (${params.why}) after ${formatDuration(pausedMs)}`, ...due].join('; ') }));
      }),
      /** A step came due: remind the owner, plan the next step. */
      touchDue: enqueueActions(({ context, event, enqueue }) => {
        const cadence = context.cadence;
        if (!cadence || !cadencePolicy) return;
        const at = eventTime(event as Event);
        const label = cadence.nextLabel ?? `step ${cadence.nextStep + 1}`;
        const missed = missedStepsAt(context, at);
        enqueue(noteAction({ text: `touch due: ${label}${context.owner ? `; reminder to ${context.owner}` : ''}` }));
        enqueue(
          notifyAction({ kind: 'touch.due', to: ownerOnly(context), summary: `${cadence.nextChannel ?? 'touch'} due for lead ${context.leadId} (${label})` }),
        );
        if (missed === missedRule.escalateAfter) {
          const words = `${missed} cadence steps in a row came due with no touch`;
          enqueue(noteAction({ text: `${words}${context.owner ? `; the manager of ${context.owner} notified` : ''}` }));
          enqueue(notifyAction({ kind: 'touch.missed', to: ownerOnly(context), audience: 'manager', summary: `lead ${context.leadId}: ${words}` }));
        }
        const { cadence: next, skipped } = advanceCadence(context, cadencePolicy, cadence);
        enqueue.assign({ cadence: { ...next, lastDueAt: at, missed } });
        for (const text of skipped) enqueue(noteAction({ text }));
      }),
      /** Enrolls the lead in the cadence (again, when the policy allows re-enrollment). */
      enrollCadence: enqueueActions(({ context, event, enqueue }) => {
        if (!cadencePolicy) return;
        const at = eventTime(event as Event);
        const { cadence, skipped } = startCadence(context, cadencePolicy, at);
        enqueue.assign({ cadence, cadenceRuns: context.cadenceRuns + 1 });
        for (const text of skipped) enqueue(noteAction({ text }));
        const first = cadence.nextIsEnd ? 'no step the lead may get' : `first ${cadence.nextLabel}, due ${formatInstant(cadence.nextDueAt ?? at)}`;
        enqueue(
          noteAction({ text: `cadence ${cadencePolicy.name} ${context.cadenceRuns > 0 ? 're-enrolled' : 'started'}: ${cadencePolicy.length} steps, ${first}` }),
        );
      }),
      /** The next step would come too soon after the last touch: wait out the minimum gap. */
      postponeStep: enqueueActions(({ context, event, enqueue }) => {
        const cadence = context.cadence;
        const hold = stepHold(context, event);
        if (!cadence || !hold) return;
        enqueue.assign({ cadence: postponeStep(cadence, hold.until) });
        enqueue(noteAction({ text: hold.why }));
      }),
      /** The cadence's end came before the lead's minimum touches: one more step. */
      extendCadence: enqueueActions(({ context, event, enqueue }) => {
        const cadence = context.cadence;
        if (!cadence || !cadencePolicy) return;
        const next = extendCadence(context, cadencePolicy, cadence, eventTime(event as Event));
        enqueue.assign({ cadence: next });
        enqueue(
          noteAction({
            text: `cadence goes on: ${context.touches} of ${cadencePolicy.minTouches} minimum touches made; ${next.nextLabel} due ${formatInstant(next.nextDueAt ?? 0)}`,
          }),
        );
      }),
      pauseForOutOfOffice: enqueueActions(({ context, event, enqueue }) => {
        const away = as(event, 'prospect.out_of_office');
        enqueue.assign({ cadence: pauseCadence(context.cadence, away.at, away.until) });
        enqueue(noteAction({ text: `cadence paused until ${formatInstant(away.until)}` }));
      }),
      /** An auto-reply with a return date: the SLA clocks wait for the prospect, who comes back by timer. */
      recordOutOfOffice: enqueueActions(({ context, event, enqueue }) => {
        const away = as(event, 'prospect.out_of_office');
        const slas = pauseSlas(context, away.at);
        enqueue.assign({ awayUntil: away.until, slas });
        syncSlaTimers(enqueue, context.slas, slas, away.at);
        enqueue.raise(timerEvent({ type: 'prospect.back' }, away.until, away.at) as never, { id: TIMER_IDS.away, delay: Math.max(0, away.until - away.at) });
        const paused = activeSlas({ ...context, slas })
          .filter((sla) => sla.pausedAt === away.at)
          .map((sla) => sla.name);
        enqueue(
          noteAction({
            text: `prospect out of office until ${formatInstant(away.until)}${away.note ? ` (${away.note})` : ''}${paused.length > 0 ? `; ${paused.join(', ')} SLA paused` : ''}`,
          }),
        );
      }),
      prospectBack: enqueueActions(({ context, event, enqueue }) => {
        const at = eventTime(event as Event);
        const slas = resumeSlas(context, slaPolicy, at);
        enqueue.assign({ awayUntil: undefined, slas });
        syncSlaTimers(enqueue, context.slas, slas, at);
        const due = activeSlas({ ...context, slas })
          .filter((sla) => sla.breachedAt === undefined)
          .map((sla) => `${sla.name} SLA now due ${formatInstant(sla.dueAt)}`);
        enqueue(noteAction({ text: ['prospect back in office', ...due].join('; ') }));
      }),
      resumeCadence: enqueueActions(({ context, event, enqueue }, params: { why: string }) => {
        const at = eventTime(event as Event);
        const cadence = resumeCadence(context.cadence, at);
        enqueue.assign({ cadence });
        enqueue(noteAction({ text: `cadence resumed (${params.why}); ${cadence?.nextLabel ?? 'next step'} due ${formatInstant(cadence?.nextDueAt ?? at)}` }));
      }),
      recordOptOut: enqueueActions(({ context, event, enqueue }) => {
        const { channel } = as(event, 'prospect.unsubscribed');
        enqueue.assign(optedOut(context, channel));
        enqueue(noteAction({ text: `prospect unsubscribed from ${channel === 'all' ? 'every channel' : channel}` }));
      }),
      recordTouch: enqueueActions(({ event, context, enqueue }) => {
        const touch = as(event, 'touch.logged');
        // Touches may be logged late and out of order: the first and last touch go by their own times.
        const first = context.firstTouchAt === undefined || touch.at < context.firstTouchAt;
        const speed = first ? `; speed to lead ${formatDuration(touch.at - context.capturedAt)}` : '';
        const late = context.lastTouchAt !== undefined && touch.at < context.lastTouchAt ? ` (logged late, dated ${formatInstant(touch.at)})` : '';
        enqueue(noteAction({ text: `${touch.channel} touch #${context.touches + 1}: ${touch.outcome.replace('_', ' ')}${speed}${late}` }));
        const change = {
          touches: context.touches + 1,
          firstTouchAt: first ? touch.at : context.firstTouchAt,
          lastTouchAt: Math.max(context.lastTouchAt ?? touch.at, touch.at),
        };
        const notes = changeWithSlas(enqueue, context, change, 'touch.logged', undefined, touch.at);
        for (const text of notes) enqueue(noteAction({ text }));
      }),
      recordReply: enqueueActions(({ event, context, enqueue }) => {
        const reply = as(event, 'prospect.replied');
        const notes = changeWithSlas(enqueue, context, { repliedAt: context.repliedAt ?? reply.at }, 'prospect.replied', 'replied', reply.at);
        enqueue(noteAction({ text: `prospect replied${reply.channel ? ` by ${reply.channel}` : ''}` }));
        for (const text of notes) enqueue(noteAction({ text }));
      }),
      recordMeeting: enqueueActions(({ event, context, enqueue }) => {
        const meeting = as(event, 'meeting.booked');
        const notes = changeWithSlas(enqueue, context, { meetingAt: meeting.meetingAt ?? meeting.at }, 'meeting.booked', undefined, meeting.at);
        enqueue(noteAction({ text: `meeting booked${meeting.meetingAt ? ` for ${formatInstant(meeting.meetingAt)}` : ''}` }));
        for (const text of notes) enqueue(noteAction({ text }));
      }),
      markQualified: enqueueActions(({ event, context, enqueue }) => {
        const qualified = as(event, 'lead.qualified');
        const notes = changeWithSlas(enqueue, context, { qualified: true }, 'lead.qualified', 'qualified', qualified.at);
        enqueue(noteAction({ text: `qualified${qualified.by ? ` by ${qualified.by}` : ''}${qualified.note ? `: ${qualified.note}` : ''}` }));
        for (const text of notes) enqueue(noteAction({ text }));
      }),
      /** Raises the timers of every running SLA: on entering `open` (intake, re-engagement, end of a snooze). */
      armSlaTimers: enqueueActions(({ context, event, enqueue }) => {
        const at = eventTime(event as Event);
        syncSlaTimers(enqueue, [], context.slas, at);
        // Back from a snooze while the prospect was still away: the return date still counts.
        if (context.awayUntil !== undefined)
          enqueue.raise(timerEvent({ type: 'prospect.back' }, context.awayUntil, at) as never, {
            id: TIMER_IDS.away,
            delay: Math.max(0, context.awayUntil - at),
          });
      }),
      /** Cancels the timers of every running SLA: on leaving `open`. */
      disarmSlaTimers: enqueueActions(({ context, enqueue }) => {
        if (context.awayUntil !== undefined) enqueue.cancel(TIMER_IDS.away);
        for (const sla of activeSlas(context)) {
          const timer = slaTimerOf(sla);
          if (timer) enqueue.cancel(timer.id);
        }
      }),
      /** A fired SLA timer: a warning, a breach or an escalation step, then the SLA's next timer. */
      slaTimer: enqueueActions(({ context, event, enqueue }) => {
        const timer = event as unknown as SlaTimerEvent & { at: number };
        const { slas, sla, escalation } = fireSlaTimer(context, timer, timer.at);
        if (!sla) return;
        enqueue.assign({ slas });
        syncSlaTimers(enqueue, context.slas, slas, timer.at);
        const owner = context.owner;
        const to = owner ? [owner] : [];
        if (timer.type === 'sla.warning') {
          enqueue(noteAction({ text: `${sla.name} SLA at risk: due ${formatInstant(sla.dueAt)} (${sla.label})${owner ? `; ${owner} warned` : ''}` }));
          enqueue(notifyAction({ kind: 'sla.warning', to, summary: `${sla.name} SLA for lead ${context.leadId} is due ${formatInstant(sla.dueAt)}` }));
          return;
        }
        if (timer.type === 'sla.breached') {
          enqueue(
            noteAction({
              text: `${sla.name} SLA breached at ${formatInstant(timer.at)} (${sla.label}, not met)${owner ? `; ${owner} notified` : '; no owner yet'}`,
            }),
          );
          enqueue(notifyAction({ kind: 'sla.breached', to, summary: `${sla.name} SLA breached for lead ${context.leadId}` }));
          return;
        }
        if (!escalation) return;
        const why = `${sla.name} SLA escalation: ${escalation.label}`;
        const step = ESCALATION_STEPS[escalation.action]({ context, escalation, why });
        for (const text of step.notes) enqueue(noteAction({ text }));
        if (step.notify) enqueue(notifyAction(step.notify));
        if (step.team) enqueue(teamAction(step.team));
      }),
      /** No rep could take the lead: say why, tell the audience once, and try again at `retryAt`. */
      recordUnrouted: enqueueActions(({ context, event, enqueue }) => {
        const unrouted = as(event, 'lead.unrouted');
        // Always a change (the next try moves on), so the transition is taken and its timer raised.
        enqueue.assign({ unrouted: { since: context.unrouted?.since ?? unrouted.at, attempts: context.unrouted?.attempts ?? 1, retryAt: unrouted.retryAt } });
        enqueue(noteAction({ text: `no rep can take the lead: ${unrouted.reason}; routing again ${formatInstant(unrouted.retryAt)}` }));
        if (unrouted.first) {
          const to = unrouted.audience ? [] : unrouted.notify;
          enqueue(
            notifyAction({
              kind: 'lead.unrouted',
              to,
              ...(unrouted.audience ? { audience: unrouted.audience } : {}),
              summary: `lead ${context.leadId} has no owner: ${unrouted.reason}`,
            }),
          );
        }
        enqueue.raise(timerEvent({ type: 'routing.retry_due' }, unrouted.retryAt, unrouted.at) as never, {
          id: TIMER_IDS.route,
          delay: Math.max(0, unrouted.retryAt - unrouted.at),
        });
      }),
      /** The re-routing timer: the engine routes the lead again right after this event. */
      retryRouting: enqueueActions(({ context, enqueue }) => {
        const attempts = (context.unrouted?.attempts ?? 0) + 1;
        if (context.unrouted) enqueue.assign({ unrouted: { ...context.unrouted, attempts } });
        enqueue(noteAction({ text: `routing again (attempt ${attempts})` }));
      }),
      /** The owner let `endAfter` steps pass untouched: no more reminders; the lead is held or handed back. */
      endIgnoredCadence: enqueueActions(({ context, event, enqueue }) => {
        const at = eventTime(event as Event);
        const missed = missedStepsAt(context, at);
        const why = `${missedRule.reason}: ${missed} cadence steps in a row came due with no touch`;
        if (missedRule.endWith === 'recycle' && recycleLimitReached(context)) {
          enqueue.assign({ cadence: stopCadence(context.cadence, why), disqualifiedReason: `max_recycles:${missedRule.reason}`, slas: closeSlas(context, at) });
          enqueue(
            noteAction({ text: `cadence ended and lead closed: ${why}; already recycled ${context.recycle.count} times (max ${recyclePolicy?.maxRecycles})` }),
          );
        } else if (missedRule.endWith === 'recycle') {
          enqueue.assign({
            cadence: stopCadence(context.cadence, why),
            recycle: handedBack(context.recycle, missedRule.reason, at),
            slas: closeSlas(context, at),
          });
          enqueue(noteAction({ text: `cadence ended and lead handed back to marketing: ${why}` }));
          enqueue('startNurture' as never);
        } else {
          enqueue.assign({ cadence: stopCadence(context.cadence, why) });
          enqueue(noteAction({ text: `cadence ended, the lead stays with ${context.owner ?? 'nobody'}: ${why}` }));
        }
        enqueue(notifyAction({ kind: 'touch.missed', to: ownerOnly(context), audience: 'manager', summary: `lead ${context.leadId}: ${why}` }));
      }),
      /** The lead leaves the funnel for good; SLAs still running end (breached if they had). */
      disqualify: enqueueActions(({ context, event, enqueue }, params: { where: string }) => {
        const { reason, at } = as(event, 'lead.disqualified');
        enqueue.assign({ disqualifiedReason: reason, slas: closeSlas(context, at) });
        enqueue(noteAction({ text: `disqualified${params.where}: ${reason}` }));
      }),
      convert: enqueueActions(({ context, event, enqueue }, params: { where: string }) => {
        const { opportunityId, at } = as(event, 'lead.converted');
        enqueue.assign({ convertedAt: at, slas: closeSlas(context, at) });
        enqueue(noteAction({ text: `converted${params.where}${opportunityId ? ` to opportunity ${opportunityId}` : ''}` }));
      }),
      stopCadence: enqueueActions(({ context, enqueue }, params: { reason: string }) => {
        enqueue.assign({ cadence: stopCadence(context.cadence, params.reason) });
        enqueue(noteAction({ text: `cadence stopped: ${params.reason}` }));
      }),
    },
    delays: {
      cadenceStep: ({ context, event }) => Math.max(0, (context.cadence?.nextDueAt ?? eventTime(event)) - eventTime(event)),
      snoozeEnd: ({ context, event }) => Math.max(0, (context.snoozedUntil ?? eventTime(event)) - eventTime(event)),
    },
    guards: {
      needsQualification: ({ context }) => !context.qualified && (qualification?.required(context) ?? false),
      worstSlaIsBreached: ({ context }) => worstSlaStanding(context) === 'breached',
      worstSlaIsAtRisk: ({ context }) => worstSlaStanding(context) === 'at_risk',
      worstSlaIsClear: ({ context }) => worstSlaStanding(context) === 'clear',
      mayEnroll: ({ context }) => cadencePolicy !== undefined && (cadencePolicy.reenroll !== 'once' || context.cadenceRuns === 0),
      enrollsAtIntake: ({ context }) => cadencePolicy?.startsOn === 'captured' && (cadencePolicy.reenroll !== 'once' || context.cadenceRuns === 0),
      restartsOnAssignment: () => cadencePolicy?.reenroll === 'always',
      stepTooSoon: ({ context, event }) => stepHold(context, event) !== undefined,
      // A timer's event is taken only when what it was set for is due: a timer rescheduled while another
      // worker held its claim comes too early (or for a phase already past) and is dropped.
      cadenceStepIsDue: ({ context, event }) =>
        context.cadence?.status === 'active' &&
        context.cadence.nextDueAt !== undefined &&
        eventTime(event as Event) >= context.cadence.nextDueAt &&
        // A timer of an earlier enrolment (restarted meanwhile) names another run or step: not this one.
        (event.type !== 'cadence.step_due' || (event.step === context.cadence.nextStep && (event.run === undefined || event.run === context.cadenceRuns))),
      slaTimerIsCurrent: ({ context, event }) => {
        const fired = event as unknown as SlaTimerEvent & { at: number };
        const sla = context.slas.find((record) => record.name === fired.sla && record.outcome === undefined);
        const current = sla ? slaTimerOf(sla) : undefined;
        return (
          current !== undefined &&
          current.event.type === fired.type &&
          (fired.type !== 'sla.escalated' || (current.event.type === 'sla.escalated' && current.event.step === fired.step)) &&
          fired.at >= current.dueAt
        );
      },
      awayIsOver: ({ context, event }) => context.awayUntil !== undefined && eventTime(event as Event) >= context.awayUntil,
      snoozeIsOver: ({ context, event }) => context.snoozedUntil !== undefined && eventTime(event as Event) >= context.snoozedUntil,
      recheckIsDue: ({ context, event }) => context.recycle.recheckAt !== undefined && eventTime(event as Event) >= context.recycle.recheckAt,
      cadenceEnds: ({ context }) => context.cadence?.nextIsEnd === true && context.touches >= (cadencePolicy?.minTouches ?? 0),
      cadenceAtEnd: ({ context }) => context.cadence?.nextIsEnd === true,
      followUpIgnored: ({ context, event }) => missedStepsAt(context, eventTime(event as Event)) >= missedRule.endAfter,
      ignoredRecycles: () => missedRule.endWith === 'recycle',
      recycleLimitReached: ({ context }) => recycleLimitReached(context),
      recycleOnExhausted: () => cadencePolicy?.onExhausted === 'recycle',
      isIntent: ({ context, event }) =>
        event.type === 'activity.recorded' && (recyclePolicy?.isIntent({ activity: event.activity, score: event.score }, context, event.at) ?? false),
      recycleCloses: ({ event }) => event.type === 'lead.recycled' && (recyclePolicy?.closes?.(event.reason) ?? false),
    },
  }).createMachine({
    id: 'lead',
    // A cycle of eventless transitions must fail loudly, not grow memory until the process dies.
    options: { maxIterations: MAX_MICROSTEPS },
    context: ({ input }) => initialContext(input, policies),
    initial: 'open',
    on: {
      'lead.merged': {
        actions: [
          assign({ merges: ({ context }) => context.merges + 1 }),
          {
            type: 'note',
            params: ({ event }) => ({ text: `duplicate intake from ${event.source}${event.campaign ? ` (${event.campaign})` : ''} merged into this lead` }),
          },
        ],
      },
      'activity.recorded': {
        actions: [
          assign({ engagement: ({ context, event }) => engagementAfter(context, event), score: ({ context, event }) => event.score ?? context.score }),
          { type: 'note', params: ({ event }) => ({ text: `activity: ${event.activity}${event.score === undefined ? '' : ` (score ${event.score})`}` }) },
        ],
      },
    },
    states: {
      open: {
        type: 'parallel',
        tags: ['open'],
        entry: 'armSlaTimers',
        exit: 'disarmSlaTimers',
        on: {
          'lead.snoozed': {
            target: 'snoozed',
            actions: [
              assign({
                snoozedAt: ({ event }) => event.at,
                snoozedUntil: ({ event }) => event.until,
                slas: ({ context, event }) => pauseSlas(context, event.at),
                cadence: ({ context, event }) => pauseCadence(context.cadence, event.at),
              }),
              {
                type: 'note',
                params: ({ context, event }) => {
                  const paused = activeSlas(context)
                    .filter((sla) => sla.breachedAt === undefined)
                    // An SLA already paused (the prospect is out of office) has what was left when it paused.
                    .map((sla) => `${sla.name} SLA paused with ${formatDuration(sla.dueAt - (sla.pausedAt ?? event.at))} left`);
                  return { text: [`snoozed until ${formatInstant(event.until)}${event.reason ? ` (${event.reason})` : ''}`, ...paused].join('; ') };
                },
              },
            ],
          },
          ...handBack,
          ...closing(''),
        },
        states: {
          stage: {
            initial: 'new',
            states: {
              // Touches, replies and meetings are recorded here, in the stage region: XState runs a
              // parallel state's own handler only when no region handles the event, and the SLA and
              // cadence regions react to these events too.
              new: {
                tags: ['awaiting-owner'],
                always: { guard: 'needsQualification', target: 'qualifying' },
                exit: cancel(TIMER_IDS.route),
                on: { ...prospectContact, ...awaitingOwner },
              },
              qualifying: {
                on: {
                  ...prospectContact,
                  'lead.qualified': { target: 'qualified', actions: 'markQualified' },
                },
              },
              qualified: {
                tags: ['awaiting-owner'],
                exit: cancel(TIMER_IDS.route),
                on: { ...prospectContact, ...awaitingOwner },
              },
              assigned: {
                on: { ...prospectContact, 'touch.logged': { target: 'working', actions: 'recordTouch' }, 'lead.reassigned': { actions: 'changeOwner' } },
              },
              working: {
                on: { ...prospectContact, 'lead.reassigned': { actions: 'changeOwner' } },
              },
            },
          },
          // The SLAs themselves are data (context.slas), each with one timer `sla:<name>`; this region
          // shows where they stand together: clear, at risk (a warning fired) or breached.
          sla: {
            initial: 'clear',
            on: {
              'sla.warning': { guard: 'slaTimerIsCurrent', actions: 'slaTimer' },
              'sla.breached': { guard: 'slaTimerIsCurrent', actions: 'slaTimer' },
              'sla.escalated': { guard: 'slaTimerIsCurrent', actions: 'slaTimer' },
            },
            // One guard per state: the region is where the worst open SLA stands, so exactly one target
            // holds at a time and the eventless transitions come to rest after one step.
            states: {
              clear: {
                always: [
                  { guard: 'worstSlaIsBreached', target: 'breached' },
                  { guard: 'worstSlaIsAtRisk', target: 'at_risk' },
                ],
              },
              at_risk: {
                always: [
                  { guard: 'worstSlaIsBreached', target: 'breached' },
                  { guard: 'worstSlaIsClear', target: 'clear' },
                ],
              },
              breached: {
                always: [
                  { guard: 'worstSlaIsAtRisk', target: 'at_risk' },
                  { guard: 'worstSlaIsClear', target: 'clear' },
                ],
              },
            },
          },
          cadence: {
            initial: 'idle',
            states: {
              idle: {
                always: { guard: 'enrollsAtIntake', target: 'active', actions: 'enrollCadence' },
                on: {
                  'lead.assigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' },
                  'lead.reassigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' },
                },
              },
              active: {
                entry: raise(
                  ({ context, event }) =>
                    timerEvent(
                      // The enrolment it belongs to: a timer of an earlier enrolment names another run.
                      { type: 'cadence.step_due', step: context.cadence?.nextStep ?? 0, run: context.cadenceRuns },
                      context.cadence?.nextDueAt ?? eventTime(event as Event),
                      eventTime(event as Event),
                    ) as never,
                  {
                    id: TIMER_IDS.cadence,
                    delay: 'cadenceStep',
                  },
                ),
                exit: cancel(TIMER_IDS.cadence),
                on: {
                  'cadence.step_due': [
                    // An owner who ignores every reminder ends the cadence first: reminders never go on forever.
                    {
                      guard: and(['cadenceStepIsDue', 'followUpIgnored', 'ignoredRecycles', 'recycleLimitReached']),
                      target: '#lead.disqualified',
                      actions: 'endIgnoredCadence',
                    },
                    { guard: and(['cadenceStepIsDue', 'followUpIgnored', 'ignoredRecycles']), target: '#lead.recycled', actions: 'endIgnoredCadence' },
                    { guard: and(['cadenceStepIsDue', 'followUpIgnored']), target: 'stopped', actions: 'endIgnoredCadence' },
                    // A step timer that fires before its step is due (it was rescheduled while a worker held
                    // it) matches none of these: the engine drops it, and the current timer will come.
                    { guard: and(['cadenceStepIsDue', 'stepTooSoon']), target: 'active', reenter: true, actions: 'postponeStep' },
                    {
                      guard: and(['cadenceStepIsDue', 'cadenceEnds']),
                      target: 'exhausted',
                      actions: [
                        assign({ cadence: ({ context }) => exhaustCadence(context.cadence) }),
                        {
                          type: 'note',
                          params: ({ context }) => ({
                            text: `cadence ended: ${context.cadence?.stepsDue} steps came due, ${context.touches} touches, no reply`,
                          }),
                        },
                      ],
                    },
                    { guard: and(['cadenceStepIsDue', 'cadenceAtEnd']), target: 'active', reenter: true, actions: 'extendCadence' },
                    { guard: 'cadenceStepIsDue', target: 'active', reenter: true, actions: 'touchDue' },
                  ],
                  ...cadenceStops,
                  'prospect.out_of_office': { target: 'paused', actions: 'pauseForOutOfOffice' },
                  'lead.reassigned': { guard: 'restartsOnAssignment', target: 'active', reenter: true, actions: 'enrollCadence' },
                },
              },
              paused: {
                // The prospect's return (`prospect.back`) is timed by the stage region, which also resumes the SLAs.
                on: {
                  'prospect.back': { guard: 'awayIsOver', target: 'active', actions: { type: 'resumeCadence', params: { why: 'back in office' } } },
                  ...cadenceStops,
                },
              },
              exhausted: {
                always: {
                  guard: 'recycleOnExhausted',
                  target: '#lead.recycled',
                  actions: [
                    assign({
                      recycle: ({ context, event }) => handedBack(context.recycle, 'no_response', eventTime(event)),
                      slas: ({ context, event }) => closeSlas(context, eventTime(event)),
                    }),
                    { type: 'note', params: { text: 'recycled: no_response after the whole cadence' } },
                    'startNurture',
                  ],
                },
                on: { 'lead.reassigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' } },
              },
              stopped: {
                on: { 'lead.reassigned': { guard: 'mayEnroll', target: 'active', actions: 'enrollCadence' } },
              },
            },
          },
          hist: { type: 'history', history: 'deep' },
        },
      },
      snoozed: {
        entry: raise(
          ({ context, event }) => timerEvent({ type: 'snooze.ended' }, context.snoozedUntil ?? eventTime(event as Event), eventTime(event as Event)) as never,
          { id: TIMER_IDS.snooze, delay: 'snoozeEnd' },
        ),
        exit: cancel(TIMER_IDS.snooze),
        on: {
          'snooze.ended': { guard: 'snoozeIsOver', target: '#lead.open.hist', actions: { type: 'resume', params: { why: 'snooze ended' } } },
          'prospect.replied': { target: '#lead.open.hist', actions: { type: 'resume', params: { why: 'prospect replied' } } },
          ...handBack,
          ...closing(' while snoozed'),
        },
      },
      recycled: {
        tags: ['nurture'],
        // Only a re-check date makes a timer: a lead nurtured until new intent waits for an event.
        entry: enqueueActions(({ context, event, enqueue }) => {
          const recheckAt = context.recycle.recheckAt;
          if (recheckAt !== undefined)
            enqueue.raise(timerEvent({ type: 'recycle.recheck_due' }, recheckAt, eventTime(event as Event)) as never, {
              id: TIMER_IDS.recheck,
              delay: Math.max(0, recheckAt - eventTime(event as Event)),
            });
        }),
        exit: cancel(TIMER_IDS.recheck),
        on: {
          'recycle.recheck_due': { guard: 'recheckIsDue', target: 'open', actions: { type: 'reengage', params: { why: 're-check date reached' } } },
          'activity.recorded': [
            {
              guard: 'isIntent',
              target: 'open',
              actions: [
                assign({ engagement: ({ context, event }) => engagementAfter(context, event) }),
                { type: 'reengage', params: ({ event }) => ({ why: `new intent: ${event.activity}` }) },
              ],
            },
            {
              actions: [
                assign({ engagement: ({ context, event }) => engagementAfter(context, event) }),
                { type: 'note', params: ({ event }) => ({ text: `activity while nurtured: ${event.activity} (not enough intent to re-engage)` }) },
              ],
            },
          ],
          'lead.merged': {
            target: 'open',
            actions: [
              assign({ merges: ({ context }) => context.merges + 1 }),
              { type: 'reengage', params: ({ event }) => ({ why: `new inquiry from ${event.source}` }) },
            ],
          },
          ...closing(' from nurture'),
        },
      },
      converted: { type: 'final', tags: ['terminal'] },
      disqualified: { type: 'final', tags: ['terminal'] },
    },
  });
}

/** The machine type for a policy set. */
export type LeadMachine = ReturnType<typeof createLeadMachine>;
