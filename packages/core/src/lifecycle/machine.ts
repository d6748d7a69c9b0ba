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
import { assign, cancel, enqueueActions, raise, setup } from 'xstate';
import type { ParsedCaptureInput } from '../lead/capture-input.js';
import { activeSla, type LeadContext } from '../lead/context.js';
import type { LeadEvent, MachineEvent } from '../lead/events.js';
import type { LeadPolicies } from '../policies/types.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import { advanceCadence, exhaustCadence, pauseCadence, resumeCadence, startCadence, stopCadence } from './cadence-progress.js';
import { breachSla, closeSla, endSla, pauseSla, resumeSla, startSla } from './sla-clock.js';

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
}

/** The kinds of notification the lifecycle produces (delivered through the outbox). */
export type NotificationKind = 'lead.assigned' | 'lead.reassigned' | 'sla.breached' | 'touch.due' | 'lead.reengaged';

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
}

/** Timer ids: one per region, so that re-raising a timer replaces it. */
export const TIMER_IDS = { sla: 'sla', cadence: 'cadence', snooze: 'snooze', recheck: 'recycle' } as const;

type Event = MachineEvent | { type: 'xstate.init'; input: LeadMachineInput };

/** The time of the event being handled: its own `at`, or the intake time for the initial transition. */
function eventTime(event: Event): number {
  return 'at' in event ? event.at : event.input.lead.at;
}

function initialContext({ leadId, tenantId, lead }: LeadMachineInput, policies: LeadPolicies): LeadContext {
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
  };
  if (lead.campaign !== undefined) context.campaign = lead.campaign;
  if (lead.asset !== undefined) context.asset = lead.asset;
  if (lead.form !== undefined) context.form = lead.form;
  if (lead.segment !== undefined) context.segment = lead.segment;
  if (lead.score !== undefined) context.score = lead.score;
  if (lead.attributes !== undefined) context.attributes = { ...lead.attributes };
  context.slas = startSla(context, policies.sla, lead.at);
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

/** Narrows the machine's event union inside named actions, where XState cannot know the event. */
function as<T extends MachineEvent['type']>(event: MachineEvent, _type: T): Extract<MachineEvent, { type: T }> {
  return event as Extract<MachineEvent, { type: T }>;
}

/** Owner and assignment reason, from `lead.assigned` or `lead.reassigned`. */
function ownerOf(event: MachineEvent): Extract<LeadEvent, { type: 'lead.assigned' | 'lead.reassigned' }> {
  return event as Extract<LeadEvent, { type: 'lead.assigned' | 'lead.reassigned' }>;
}

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
  } as const;
  const { sla: slaPolicy, cadence: cadencePolicy, recycle: recyclePolicy, qualification } = policies;
  const ownerOnly = (context: LeadContext) => (context.owner ? [context.owner] : []);
  const engagementAfter = (context: LeadContext, event: MachineEvent) => {
    const activity = as(event, 'activity.recorded');
    return { count: context.engagement.count + 1, lastActivity: activity.activity, lastAt: activity.at };
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
        const { owner, reason } = ownerOf(event);
        enqueue.assign({ owner });
        enqueue(noteAction({ text: `assigned to ${owner}${reason ? ` (${reason})` : ''}` }));
        enqueue(notifyAction({ kind: 'lead.assigned', to: [owner], summary: `new ${context.source} lead ${context.leadId}` }));
      }),
      changeOwner: enqueueActions(({ event, context, enqueue }) => {
        const { owner, reason } = ownerOf(event);
        const previous = context.owner;
        enqueue.assign({ owner, previousOwners: previous ? [...context.previousOwners, previous] : context.previousOwners });
        enqueue(noteAction({ text: `reassigned from ${previous ?? 'nobody'} to ${owner}${reason ? ` (${reason})` : ''}` }));
        enqueue(notifyAction({ kind: 'lead.reassigned', to: [owner], summary: `lead ${context.leadId} reassigned to you` }));
      }),
      handBack: enqueueActions(({ event, context, enqueue }) => {
        const { reason, at } = as(event, 'lead.recycled');
        enqueue.assign({ recycle: { ...context.recycle, count: context.recycle.count + 1, reason }, slas: closeSla(context, at) });
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
        enqueue.assign({ recycle: recheckAt === undefined ? { ...recycle, recycledAt: at } : { ...recycle, recycledAt: at, recheckAt } });
        enqueue(noteAction({ text: recheckAt === undefined ? 'nurtured until new intent' : `nurtured; re-check ${formatInstant(recheckAt)}` }));
      }),
      reengage: enqueueActions(({ event, context, enqueue }, params: { why: string }) => {
        const at = (event as { at: number }).at;
        const { owner, cadence, recheckAt, ...rest } = { ...context, recheckAt: context.recycle.recheckAt };
        const { recheckAt: _done, ...recycle } = context.recycle;
        const next: LeadContext = {
          ...rest,
          previousOwners: owner ? [...context.previousOwners, owner] : context.previousOwners,
          qualified: false,
          recycle: { ...recycle, reengaged: recycle.reengaged + 1 },
        };
        next.slas = startSla(next, slaPolicy, at);
        enqueue.assign(() => next);
        const sla = activeSla(next);
        enqueue(noteAction({ text: `re-engaged: ${params.why}${sla ? `; ${sla.label}, due ${formatInstant(sla.dueAt)}` : ''}` }));
        enqueue(notifyAction({ kind: 'lead.reengaged', to: owner ? [owner] : [], summary: `lead ${context.leadId} re-engaged: ${params.why}` }));
      }),
      resume: enqueueActions(({ event, context, enqueue }, params: { why: string }) => {
        const at = (event as { at: number }).at;
        const pausedMs = at - (context.snoozedAt ?? at);
        const { snoozedAt, snoozedUntil, ...rest } = context;
        const next: LeadContext = { ...rest };
        next.slas = resumeSla(context, at);
        const cadence = resumeCadence(context.cadence, at, pausedMs);
        if (cadence) next.cadence = cadence;
        enqueue.assign(() => next);
        const sla = activeSla(next);
        enqueue(
          noteAction({
            text: `resumed (${params.why}) after ${formatDuration(pausedMs)}${sla && sla.breachedAt === undefined ? `; ${sla.name} SLA now due ${formatInstant(sla.dueAt)}` : ''}`,
          }),
        );
      }),
      touchDue: enqueueActions(({ context, enqueue }) => {
        const cadence = context.cadence;
        if (!cadence || !cadencePolicy) return;
        const step = cadencePolicy.step(context, cadence.nextStep, cadence.startedAt + cadence.shiftMs);
        if (!step) return;
        enqueue(noteAction({ text: `touch due: ${step.label}${context.owner ? `; reminder to ${context.owner}` : ''}` }));
        enqueue(notifyAction({ kind: 'touch.due', to: ownerOnly(context), summary: `${step.channel} due for lead ${context.leadId} (${step.label})` }));
        enqueue.assign({ cadence: advanceCadence(context, cadencePolicy, cadence) });
      }),
      recordTouch: enqueueActions(({ event, context, enqueue }) => {
        const touch = as(event, 'touch.logged');
        const speed = context.touches === 0 ? `; speed to lead ${formatDuration(touch.at - context.capturedAt)}` : '';
        enqueue(noteAction({ text: `${touch.channel} touch #${context.touches + 1}: ${touch.outcome.replace('_', ' ')}${speed}` }));
        enqueue.assign({ touches: context.touches + 1, firstTouchAt: context.firstTouchAt ?? touch.at, lastTouchAt: touch.at });
      }),
      recordReply: enqueueActions(({ event, context, enqueue }) => {
        const reply = as(event, 'prospect.replied');
        enqueue.assign({ repliedAt: context.repliedAt ?? reply.at });
        enqueue(noteAction({ text: `prospect replied${reply.channel ? ` by ${reply.channel}` : ''}` }));
      }),
      recordMeeting: enqueueActions(({ event, enqueue }) => {
        const meeting = as(event, 'meeting.booked');
        enqueue.assign({ meetingAt: meeting.meetingAt ?? meeting.at });
        enqueue(noteAction({ text: `meeting booked${meeting.meetingAt ? ` for ${formatInstant(meeting.meetingAt)}` : ''}` }));
      }),
      stopCadence: enqueueActions(({ context, enqueue }, params: { reason: string }) => {
        enqueue.assign({ cadence: stopCadence(context.cadence, params.reason) });
        enqueue(noteAction({ text: `cadence stopped: ${params.reason}` }));
      }),
    },
    delays: {
      slaDeadline: ({ context, event }) => Math.max(0, (activeSla(context)?.dueAt ?? eventTime(event)) - eventTime(event)),
      cadenceStep: ({ context, event }) => Math.max(0, (context.cadence?.nextDueAt ?? eventTime(event)) - eventTime(event)),
      snoozeEnd: ({ context, event }) => Math.max(0, (context.snoozedUntil ?? eventTime(event)) - eventTime(event)),
      recheck: ({ context, event }) => Math.max(0, (context.recycle.recheckAt ?? eventTime(event)) - eventTime(event)),
    },
    guards: {
      needsQualification: ({ context }) => !context.qualified && (qualification?.required(context) ?? false),
      hasRunningSla: ({ context }) => {
        const sla = activeSla(context);
        return sla !== undefined && sla.breachedAt === undefined;
      },
      hasCadence: () => cadencePolicy !== undefined,
      cadenceAtEnd: ({ context }) => context.cadence !== undefined && context.cadence.nextStep >= (cadencePolicy?.length ?? 0),
      recycleLimitReached: ({ context }) => context.recycle.count >= (recyclePolicy?.maxRecycles ?? Number.POSITIVE_INFINITY),
      recycleOnExhausted: () => cadencePolicy?.onExhausted === 'recycle',
      isIntent: ({ context, event }) =>
        event.type === 'activity.recorded' && (recyclePolicy?.isIntent({ activity: event.activity, score: event.score }, context) ?? false),
    },
  }).createMachine({
    id: 'lead',
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
        on: {
          'lead.snoozed': {
            target: 'snoozed',
            actions: [
              assign({
                snoozedAt: ({ event }) => event.at,
                snoozedUntil: ({ event }) => event.until,
                slas: ({ context, event }) => pauseSla(context, event.at),
                cadence: ({ context, event }) => pauseCadence(context.cadence, event.at),
              }),
              {
                type: 'note',
                params: ({ context, event }) => {
                  const sla = activeSla(context);
                  const paused = sla?.remainingMs !== undefined ? `; ${sla.name} SLA paused with ${formatDuration(sla.remainingMs)} left` : '';
                  return { text: `snoozed until ${formatInstant(event.until)}${event.reason ? ` (${event.reason})` : ''}${paused}` };
                },
              },
            ],
          },
          'lead.recycled': [
            {
              guard: 'recycleLimitReached',
              target: 'disqualified',
              actions: [
                assign({ disqualifiedReason: ({ event }) => `max_recycles:${event.reason}`, slas: ({ context, event }) => closeSla(context, event.at) }),
                {
                  type: 'note',
                  params: ({ context, event }) => ({
                    text: `closed: already recycled ${context.recycle.count} times (max ${recyclePolicy?.maxRecycles}); last reason ${event.reason}`,
                  }),
                },
              ],
            },
            { target: 'recycled', actions: 'handBack' },
          ],
          'lead.disqualified': {
            target: 'disqualified',
            actions: [
              assign({ disqualifiedReason: ({ event }) => event.reason, slas: ({ context, event }) => closeSla(context, event.at) }),
              { type: 'note', params: ({ event }) => ({ text: `disqualified: ${event.reason}` }) },
            ],
          },
          'lead.converted': {
            target: 'converted',
            actions: [
              assign({ convertedAt: ({ event }) => event.at, slas: ({ context, event }) => closeSla(context, event.at) }),
              { type: 'note', params: ({ event }) => ({ text: `converted${event.opportunityId ? ` to opportunity ${event.opportunityId}` : ''}` }) },
            ],
          },
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
                on: { ...prospectContact, 'lead.assigned': { target: 'assigned', actions: 'takeOwner' } },
              },
              qualifying: {
                on: {
                  ...prospectContact,
                  'lead.qualified': {
                    target: 'qualified',
                    actions: [
                      assign({ qualified: true }),
                      {
                        type: 'note',
                        params: ({ event }) => ({ text: `qualified${event.by ? ` by ${event.by}` : ''}${event.note ? `: ${event.note}` : ''}` }),
                      },
                    ],
                  },
                },
              },
              qualified: {
                tags: ['awaiting-owner'],
                on: { ...prospectContact, 'lead.assigned': { target: 'assigned', actions: 'takeOwner' } },
              },
              assigned: {
                on: { ...prospectContact, 'touch.logged': { target: 'working', actions: 'recordTouch' }, 'lead.reassigned': { actions: 'changeOwner' } },
              },
              working: {
                on: { ...prospectContact, 'lead.reassigned': { actions: 'changeOwner' } },
              },
            },
          },
          sla: {
            initial: 'starting',
            states: {
              starting: { always: [{ guard: 'hasRunningSla', target: 'running' }, { target: 'none' }] },
              none: {},
              running: {
                entry: raise(({ context }) => ({ type: 'sla.breached', sla: activeSla(context)?.name ?? 'sla' }) as never, {
                  id: TIMER_IDS.sla,
                  delay: 'slaDeadline',
                }),
                exit: cancel(TIMER_IDS.sla),
                on: {
                  'touch.logged': {
                    target: 'met',
                    actions: [
                      {
                        type: 'note',
                        params: ({ context, event }) => {
                          const sla = activeSla(context);
                          return {
                            text: `${sla?.name} SLA met in ${formatDuration(event.at - (sla?.startedAt ?? event.at) - (sla?.pausedMs ?? 0))} (${sla?.label})`,
                          };
                        },
                      },
                      assign({ slas: ({ context, event }) => endSla(context, event.at) }),
                    ],
                  },
                  'sla.breached': {
                    target: 'breached',
                    actions: [
                      assign({ slas: ({ context, event }) => breachSla(context, event.at) }),
                      {
                        type: 'note',
                        params: ({ context, event }) => ({
                          text: `${event.sla} SLA breached at ${formatInstant(event.at)} (${activeSla(context)?.label}, no touch yet)${context.owner ? `; ${context.owner} notified` : '; no owner yet'}`,
                        }),
                      },
                      {
                        type: 'notify',
                        params: ({ context, event }) => ({
                          kind: 'sla.breached',
                          to: ownerOnly(context),
                          summary: `${event.sla} SLA breached for lead ${context.leadId}`,
                        }),
                      },
                    ],
                  },
                },
              },
              breached: {
                on: {
                  'touch.logged': {
                    target: 'met',
                    actions: [
                      {
                        type: 'note',
                        params: ({ context, event }) => ({
                          text: `${activeSla(context)?.name} SLA met late, ${formatDuration(event.at - (activeSla(context)?.dueAt ?? event.at))} after the deadline`,
                        }),
                      },
                      assign({ slas: ({ context, event }) => endSla(context, event.at) }),
                    ],
                  },
                },
              },
              met: {},
            },
          },
          cadence: {
            initial: 'idle',
            states: {
              idle: {
                on: {
                  'lead.assigned': {
                    guard: 'hasCadence',
                    target: 'active',
                    actions: [
                      assign({ cadence: ({ context, event }) => (cadencePolicy ? startCadence(context, cadencePolicy, event.at) : undefined) }),
                      {
                        type: 'note',
                        params: ({ context }) => ({
                          text: `cadence ${cadencePolicy?.name} started: ${cadencePolicy?.length} steps, first (${context.cadence?.nextChannel}) due ${formatInstant(context.cadence?.nextDueAt ?? 0)}`,
                        }),
                      },
                    ],
                  },
                },
              },
              active: {
                entry: raise(({ context }) => ({ type: 'cadence.step_due', step: context.cadence?.nextStep ?? 0 }) as never, {
                  id: TIMER_IDS.cadence,
                  delay: 'cadenceStep',
                }),
                exit: cancel(TIMER_IDS.cadence),
                on: {
                  'cadence.step_due': [
                    {
                      guard: 'cadenceAtEnd',
                      target: 'exhausted',
                      actions: [
                        assign({ cadence: ({ context }) => exhaustCadence(context.cadence) }),
                        { type: 'note', params: ({ context }) => ({ text: `cadence ended: ${context.cadence?.stepsDue} steps came due, no reply` }) },
                      ],
                    },
                    { target: 'active', reenter: true, actions: 'touchDue' },
                  ],
                  'prospect.replied': { target: 'stopped', actions: { type: 'stopCadence', params: { reason: 'prospect replied' } } },
                  'meeting.booked': { target: 'stopped', actions: { type: 'stopCadence', params: { reason: 'meeting booked' } } },
                },
              },
              exhausted: {
                always: {
                  guard: 'recycleOnExhausted',
                  target: '#lead.recycled',
                  actions: [
                    assign({
                      recycle: ({ context }) => ({ ...context.recycle, count: context.recycle.count + 1, reason: 'no_response' }),
                      slas: ({ context, event }) => closeSla(context, eventTime(event)),
                    }),
                    { type: 'note', params: { text: 'recycled: no_response after the whole cadence' } },
                    'startNurture',
                  ],
                },
              },
              stopped: {},
            },
          },
          hist: { type: 'history', history: 'deep' },
        },
      },
      snoozed: {
        entry: raise({ type: 'snooze.ended' } as never, { id: TIMER_IDS.snooze, delay: 'snoozeEnd' }),
        exit: cancel(TIMER_IDS.snooze),
        on: {
          'snooze.ended': { target: '#lead.open.hist', actions: { type: 'resume', params: { why: 'snooze ended' } } },
          'prospect.replied': { target: '#lead.open.hist', actions: { type: 'resume', params: { why: 'prospect replied' } } },
          'lead.disqualified': {
            target: 'disqualified',
            actions: [
              assign({ disqualifiedReason: ({ event }) => event.reason, slas: ({ context, event }) => closeSla(context, event.at) }),
              { type: 'note', params: ({ event }) => ({ text: `disqualified while snoozed: ${event.reason}` }) },
            ],
          },
          'lead.converted': {
            target: 'converted',
            actions: [
              assign({ convertedAt: ({ event }) => event.at, slas: ({ context, event }) => closeSla(context, event.at) }),
              { type: 'note', params: { text: 'converted while snoozed' } },
            ],
          },
          'lead.recycled': [
            {
              guard: 'recycleLimitReached',
              target: 'disqualified',
              actions: [
                assign({ disqualifiedReason: ({ event }) => `max_recycles:${event.reason}`, slas: ({ context, event }) => closeSla(context, event.at) }),
                {
                  type: 'note',
                  params: ({ context }) => ({ text: `closed: already recycled ${context.recycle.count} times (max ${recyclePolicy?.maxRecycles})` }),
                },
              ],
            },
            { target: 'recycled', actions: 'handBack' },
          ],
        },
      },
      recycled: {
        tags: ['nurture'],
        entry: raise({ type: 'recycle.recheck_due' } as never, { id: TIMER_IDS.recheck, delay: 'recheck' }),
        exit: cancel(TIMER_IDS.recheck),
        on: {
          'recycle.recheck_due': { target: 'open', actions: { type: 'reengage', params: { why: 're-check date reached' } } },
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
          'lead.disqualified': {
            target: 'disqualified',
            actions: [
              assign({ disqualifiedReason: ({ event }) => event.reason }),
              { type: 'note', params: ({ event }) => ({ text: `disqualified from nurture: ${event.reason}` }) },
            ],
          },
          'lead.converted': {
            target: 'converted',
            actions: [assign({ convertedAt: ({ event }) => event.at }), { type: 'note', params: { text: 'converted from nurture' } }],
          },
        },
      },
      converted: { type: 'final', tags: ['terminal'] },
      disqualified: { type: 'final', tags: ['terminal'] },
    },
  });
}

/** The machine type for a policy set. */
export type LeadMachine = ReturnType<typeof createLeadMachine>;
