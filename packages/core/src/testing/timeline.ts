/**
 * A timeline DSL for tests and simulations that reads like a playbook:
 *
 * ```ts
 * import { firstTouchSla } from '@leadline/core';
 * import { createTimeline } from '@leadline/core/testing';
 *
 * const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: firstTouchSla({ within: '5m' }) } });
 * const lead = await t.capture({ source: 'demo_request' });   // captured Mon 09:00
 * await t.advance('5m');                                       // advance 5 minutes
 * await t.expectNote(lead, /first_touch SLA breached/);        // expect breach
 * ```
 *
 * Time is a {@link VirtualClock}; advancing jumps from one due timer to the next, firing each at its
 * exact due time, so a year of a lead's life runs in milliseconds.
 *
 * @module
 */
import { type CaptureResult, createEngine, type DispatchResult, type Engine, type EngineOptions } from '../engine/engine.js';
import type { LeadView } from '../engine/lead-view.js';
import type { CaptureInput } from '../lead/capture-input.js';
import type { LeadEventInput, TouchChannel, TouchOutcome } from '../lead/events.js';
import type { LifecycleState } from '../lead/states.js';
import { DAY, parseDuration } from '../time/duration.js';
import { VirtualClock } from './virtual-clock.js';

/** An event for {@link Timeline.send}: `id` and `at` may be left out. */
export type TimelineEvent = LeadEventInput extends infer E
  ? E extends LeadEventInput
    ? Omit<E, 'id' | 'at'> & { id?: string; at?: LeadEventInput['at'] }
    : never
  : never;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * Parses `'Mon 2026-03-02 09:00'`, `'2026-03-02 09:00'` or an ISO string (UTC) into epoch ms; the
 * weekday, when given, must match the date.
 */
function parseStart(start: string | number | Date): number {
  if (typeof start !== 'string') return typeof start === 'number' ? start : start.getTime();
  const match = /^(?:([A-Za-z]{3})\s+)?(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?Z?$/.exec(start.trim());
  if (!match) {
    const parsed = Date.parse(start);
    if (Number.isNaN(parsed)) throw new RangeError(`"${start}" is not a start time; write it like 'Mon 2026-03-02 09:00'`);
    return parsed;
  }
  const at = Date.parse(`${match[2]}T${match[3]}:00Z`);
  const weekday = match[1]?.toLowerCase();
  if (weekday && WEEKDAYS[new Date(at).getUTCDay()] !== weekday) {
    throw new RangeError(`${match[2]} is a ${WEEKDAYS[new Date(at).getUTCDay()]}, not a ${weekday}`);
  }
  return at;
}

/**
 * Options of {@link createTimeline}: the engine's options (without the clock, which is virtual) and
 * where the timeline starts.
 *
 * @example
 * ```ts
 * import { firstTouchSla } from '@leadline/core';
 * import type { TimelineOptions } from '@leadline/core/testing';
 *
 * const options: TimelineOptions = { start: 'Mon 2026-03-02 09:00', policies: { sla: firstTouchSla({ within: '5m' }) } };
 * ```
 */
export interface TimelineOptions extends Omit<EngineOptions, 'clock'> {
  /** The first instant of the timeline (UTC): `'Mon 2026-03-02 09:00'`, an ISO string, a Date or ms. */
  start: string | number | Date;
}

/**
 * A lead's life on a virtual clock, one step at a time.
 *
 * @example
 * ```ts
 * import { firstTouchSla } from '@leadline/core';
 * import { createTimeline } from '@leadline/core/testing';
 *
 * const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: firstTouchSla({ within: '5m' }) } });
 * const lead = await t.capture({ source: 'demo_request' });
 * await t.advance('3m');
 * await t.touch(lead, 'call', 'connected');
 * await t.expectState(lead, 'working');
 * ```
 */
export class Timeline {
  readonly clock: VirtualClock;
  readonly engine: Engine;
  private counter = 0;

  constructor(options: TimelineOptions) {
    const { start, ...engineOptions } = options;
    this.clock = new VirtualClock(parseStart(start));
    let leads = 0;
    this.engine = createEngine({ newLeadId: () => `lead-${++leads}`, ...engineOptions, clock: this.clock });
  }

  /** The current virtual instant (epoch ms). */
  get now(): number {
    return this.clock.now();
  }

  private nextId(kind: string): string {
    return `${kind}#${++this.counter}`;
  }

  /** Captures a lead now. Fields left out get test defaults (an intake id, a contact). Returns the lead id. */
  async capture(input: Partial<CaptureInput> & { source: string }): Promise<string> {
    const result = await this.captureResult(input);
    return result.leadId;
  }

  /** Like {@link Timeline.capture}, returning the whole {@link CaptureResult}. */
  captureResult(input: Partial<CaptureInput> & { source: string }): Promise<CaptureResult> {
    return this.engine.capture({ id: this.nextId('intake'), at: this.now, contact: {}, ...input });
  }

  /** Sends an event to a lead now; `id` and `at` are filled in when left out. */
  send(leadId: string, event: TimelineEvent): Promise<DispatchResult> {
    return this.engine.dispatch(leadId, { id: this.nextId(event.type), at: this.now, ...event } as LeadEventInput);
  }

  /** Logs a touch now. */
  touch(leadId: string, channel: TouchChannel, outcome: TouchOutcome): Promise<DispatchResult> {
    return this.send(leadId, { type: 'touch.logged', channel, outcome });
  }

  /**
   * Moves time forward by `duration`, firing every timer that comes due on the way at its due time,
   * in order. Returns how many fired.
   */
  async advance(duration: string | number): Promise<number> {
    return this.advanceTo(this.now + parseDuration(duration));
  }

  /** Moves time forward to the next `'Mon 09:00'`-style weekday and time (UTC), or to an instant. */
  async at(when: string | number | Date): Promise<number> {
    if (typeof when === 'string') {
      const match = /^([A-Za-z]{3})\s+(\d{2}):(\d{2})$/.exec(when.trim());
      if (match) {
        const weekday = WEEKDAYS.indexOf((match[1] as string).toLowerCase());
        if (weekday < 0) throw new RangeError(`"${match[1]}" is not a weekday; use Mon, Tue, ...`);
        const now = new Date(this.now);
        const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
        let target = midnight + ((weekday - now.getUTCDay() + 7) % 7) * DAY + Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000;
        if (target < this.now) target += 7 * DAY;
        return this.advanceTo(target);
      }
    }
    return this.advanceTo(parseStart(when));
  }

  /** Jumps from due timer to due timer until `target`, then sets the clock to it. */
  async advanceTo(target: number): Promise<number> {
    let fired = 0;
    for (;;) {
      const next = await this.engine.nextDueAt();
      if (next === undefined || next > target) break;
      this.clock.set(Math.max(this.now, next));
      fired += (await this.engine.runDue(this.now)).fired;
    }
    this.clock.set(Math.max(this.now, target));
    return fired;
  }

  /** The lead as the engine reports it. */
  lead(leadId: string): Promise<LeadView> {
    return this.engine.get(leadId);
  }

  /** Throws, with the lead's history in the message, unless the lead is in `state`. */
  async expectState(leadId: string, state: LifecycleState): Promise<void> {
    const view = await this.lead(leadId);
    if (view.state !== state)
      throw new Error(`expected ${leadId} to be ${state} at ${new Date(this.now).toISOString()}, but it is ${view.state}\n${this.describe(view)}`);
  }

  /** Throws unless some history note of the lead matches `pattern`. */
  async expectNote(leadId: string, pattern: RegExp): Promise<void> {
    const view = await this.lead(leadId);
    if (!view.history.some((entry) => entry.notes.some((note) => pattern.test(note)))) {
      throw new Error(`expected a note matching ${pattern} in the history of ${leadId}\n${this.describe(view)}`);
    }
  }

  /** Throws if any history note of the lead matches `pattern`. */
  async expectNoNote(leadId: string, pattern: RegExp): Promise<void> {
    const view = await this.lead(leadId);
    const found = view.history.find((entry) => entry.notes.some((note) => pattern.test(note)));
    if (found) throw new Error(`expected no note matching ${pattern} for ${leadId}, found: ${found.text}\n${this.describe(view)}`);
  }

  private describe(view: LeadView): string {
    return view.history.map((entry) => `  ${entry.text}`).join('\n');
  }
}

/**
 * Starts a timeline: an engine on a virtual clock (memory store unless one is given).
 *
 * @example
 * ```ts
 * import { firstTouchSla } from '@leadline/core';
 * import { createTimeline } from '@leadline/core/testing';
 *
 * const t = createTimeline({ start: 'Mon 2026-03-02 09:00', policies: { sla: firstTouchSla({ within: '5m' }) } });
 * ```
 */
export function createTimeline(options: TimelineOptions): Timeline {
  return new Timeline(options);
}
