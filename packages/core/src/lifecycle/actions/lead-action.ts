/**
 * How the lifecycle's actions are written outside `setup()`: each is a plain function of the context, the
 * event and a narrow enqueuer, turned into an XState action by {@link leadAction}. The enqueuer offers
 * what the actions need (assign, raise, cancel) and the three requests every action may leave: a history
 * note, a notification and a team request.
 *
 * @module
 */
import { type ActionFunction, enqueueActions } from 'xstate';
import type { LeadContext } from '../../lead/context.js';
import type { MachineEvent } from '../../lead/events.js';
import type { NotifyParams, TeamRequest } from '../requests.js';

/**
 * The parts of XState's enqueuer the lifecycle's actions use. Enqueued actions are referred to by name
 * (`note`, `notify`, `team`, `startNurture`), which XState cannot type outside `setup()`; the helpers
 * below build them once, with their params checked.
 */
export interface LeadEnqueue {
  (action: never): void;
  assign(change: Partial<LeadContext> | (() => LeadContext)): void;
  raise(event: never, options: { id: string; delay: number }): void;
  cancel(id: string): void;
}

/** What a lifecycle action is given. */
export interface LeadActionArgs {
  context: LeadContext;
  event: MachineEvent;
  enqueue: LeadEnqueue;
}

/**
 * An XState action from a plain function. Its type names no actions, guards or delays of the machine
 * (`never`), so it fits any `setup()` whatever those are.
 *
 * @example
 * ```ts
 * import { leadAction, note } from './lead-action.js';
 *
 * const recordDoNotCall = leadAction(({ enqueue }) => {
 *   enqueue.assign({ doNotCall: true });
 *   note(enqueue, 'prospect asked not to be called');
 * });
 * ```
 */
export function leadAction<P extends Record<string, unknown> | undefined = undefined>(
  run: (args: LeadActionArgs, params: P) => void,
): ActionFunction<LeadContext, MachineEvent, MachineEvent, P, never, never, never, never, never> {
  return enqueueActions<LeadContext, MachineEvent, P, MachineEvent, never, never, never, never, never>(({ context, event, enqueue }, params) =>
    run({ context, event, enqueue: enqueue as unknown as LeadEnqueue }, params),
  );
}

/** Explains a decision in the history entry of the event being applied. */
export function note(enqueue: LeadEnqueue, text: string): void {
  enqueue({ type: 'note', params: { text } } as never);
}

/** Asks for a notification; the engine puts it in the outbox. */
export function notify(enqueue: LeadEnqueue, params: NotifyParams): void {
  enqueue({ type: 'notify', params } as never);
}

/** Leaves a team request (reassign, mark unavailable) for the engine. */
export function teamRequest(enqueue: LeadEnqueue, params: TeamRequest): void {
  enqueue({ type: 'team', params } as never);
}

/** Narrows the machine's event union inside an action, where XState cannot know the event. */
export function eventOf<T extends MachineEvent['type']>(event: MachineEvent, _type: T): Extract<MachineEvent, { type: T }> {
  return event as Extract<MachineEvent, { type: T }>;
}

/** The lead's owner as a recipient list: empty when it has none, so the embedding app routes it. */
export function ownerOnly(context: LeadContext): string[] {
  return context.owner ? [context.owner] : [];
}
