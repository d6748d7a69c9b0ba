/**
 * A month of leads on a virtual clock: leads arrive from several sources, four reps of different
 * habits react to the engine's notifications (some fast, some slow, some forgetful), prospects answer
 * or not, and the engine does the rest. Everything random comes from one seed, so a run is repeatable.
 *
 * @module
 */
import {
  type CaptureInput,
  createEngine,
  DAY,
  definePolicies,
  type Engine,
  EventRejectedError,
  type LeadEventInput,
  type LeadPolicies,
  type LeadView,
  MemoryRepDirectory,
  MemoryStore,
  MINUTE,
  type OutboxMessage,
  persistentCadence,
  recycleAndNurture,
  speedToLead,
  type TouchChannel,
  type TouchOutcome,
} from '@leadline/core';
import { type TimelineEvent, VirtualClock } from '@leadline/core/testing';
import { SeededRandom } from './random.js';

const OFFICE = ['08:00-18:00'];

/**
 * The policies of the simulated company, built from the playbook presets: speed-to-lead SLAs per
 * source, a persistent 7-touch cadence inside office hours in the lead's time zone, recycling with
 * re-checks at 3, 6 and 12 months; trade-show leads qualified centrally; routing round-robin over the
 * team, within each rep's capacity.
 *
 * @example
 * ```ts
 * import { createEngine } from '@leadline/core';
 * import { demoPolicies, demoTeam } from './simulate-month.js';
 *
 * const engine = createEngine({ policies: demoPolicies, reps: demoTeam() });
 * ```
 */
export const demoPolicies: LeadPolicies = (() => {
  const { calendars: _calendars, ...policies } = definePolicies({
    ...speedToLead(),
    ...persistentCadence({ sendWindow: { timeZone: 'Europe/Berlin', weekly: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE } } }),
    ...recycleAndNurture(),
    qualification: { sources: ['event'] },
    routing: { pools: [{ name: 'inside_sales', reps: 'directory', method: 'round_robin' }] },
  });
  return policies;
})();

/**
 * The simulated team: four reps under two managers, each with a capacity of open leads.
 *
 * @example
 * ```ts
 * import { demoTeam } from './simulate-month.js';
 *
 * const reps = demoTeam();
 * ```
 */
export function demoTeam(): MemoryRepDirectory {
  return new MemoryRepDirectory({
    default: [
      { id: 'ann', manager: 'maria', capacity: 25 },
      { id: 'bob', manager: 'maria', capacity: 25 },
      { id: 'cho', manager: 'mike', capacity: 25 },
      { id: 'dev', manager: 'mike', capacity: 25 },
    ],
  });
}

/** How a rep works: how soon they call a new lead, and how often they act on a "touch due" reminder. */
interface RepHabits {
  contactRate: number;
  meanFirstTouchMinutes: number;
  followThrough: number;
}

const REPS: Record<string, RepHabits> = {
  ann: { contactRate: 0.97, meanFirstTouchMinutes: 4, followThrough: 0.9 },
  bob: { contactRate: 0.9, meanFirstTouchMinutes: 25, followThrough: 0.75 },
  cho: { contactRate: 0.8, meanFirstTouchMinutes: 150, followThrough: 0.55 },
  dev: { contactRate: 0.6, meanFirstTouchMinutes: 900, followThrough: 0.35 },
};

const SOURCES = [
  ['demo_request', 10],
  ['contact_request', 5],
  ['content_download', 15],
  ['chat', 5],
  ['event', 8],
  ['outbound_reply', 4],
  ['referral', 3],
] as const;

const CAMPAIGNS: Record<string, string> = {
  demo_request: 'spring-demo-push',
  contact_request: 'website',
  content_download: 'whitepaper-state-of-sales',
  chat: 'website',
  event: 'saastr-booth',
  outbound_reply: 'q1-outbound',
  referral: 'partner-program',
};

const OUTCOMES: Record<TouchChannel, readonly (readonly [TouchOutcome, number])[]> = {
  call: [
    ['connected', 25],
    ['voicemail', 40],
    ['no_answer', 35],
  ],
  email: [
    ['sent', 82],
    ['replied', 12],
    ['bounced', 6],
  ],
  social: [
    ['sent', 88],
    ['replied', 12],
  ],
  sms: [
    ['sent', 85],
    ['replied', 15],
  ],
  task: [['sent', 100]],
};

/**
 * Options of {@link simulateMonth}.
 *
 * @example
 * ```ts
 * import { simulateMonth } from './simulate-month.js';
 *
 * const month = await simulateMonth({ seed: 7, leads: 50, days: 30 });
 * ```
 */
export interface MonthOptions {
  seed?: number;
  leads?: number;
  days?: number;
  start?: string;
}

/**
 * What a simulated month leaves behind.
 *
 * @example
 * ```ts
 * import { simulateMonth } from './simulate-month.js';
 *
 * const { views, refused } = await simulateMonth();
 * ```
 */
export interface SimulatedMonth {
  engine: Engine;
  /** Every lead at the end of the month, in order of arrival. */
  views: LeadView[];
  /** Events the engine refused because the lead had moved on (a rep calling a converted lead...). */
  refused: number;
  start: number;
  end: number;
}

interface Action {
  at: number;
  order: number;
  run: () => Promise<void>;
}

/**
 * Runs the month.
 *
 * @example
 * ```ts
 * import { simulateMonth } from './simulate-month.js';
 *
 * const month = await simulateMonth({ seed: 7 });
 * console.log(month.views.length); // 50
 * ```
 */
export async function simulateMonth({ seed = 7, leads = 50, days = 30, start = '2026-03-02T00:00:00Z' }: MonthOptions = {}): Promise<SimulatedMonth> {
  const random = new SeededRandom(seed);
  const startAt = Date.parse(start);
  const end = startAt + days * DAY;
  const clock = new VirtualClock(startAt);
  const engine = createEngine({ store: new MemoryStore(), clock, policies: demoPolicies, reps: demoTeam(), newLeadId: nextLeadId() });
  const actions: Action[] = [];
  const leadIds: string[] = [];
  let order = 0;
  let eventCounter = 0;
  let refused = 0;
  let outboxSeen = 0;

  const schedule = (at: number, run: () => Promise<void>) => {
    const action = { at, order: order++, run };
    const index = actions.findIndex((other) => other.at > at);
    actions.splice(index < 0 ? actions.length : index, 0, action);
  };
  const send = async (leadId: string, event: TimelineEvent) => {
    try {
      await engine.dispatch(leadId, { ...event, id: `sim-${++eventCounter}`, at: clock.now() } as LeadEventInput);
      return true;
    } catch (error) {
      if (!(error instanceof EventRejectedError)) throw error;
      refused++;
      return false;
    }
  };

  /** A prospect who answered: books a meeting, asks for later, is not ready, or is not a fit. */
  const prospectAnswers = (leadId: string, at: number) => {
    const answer = random.pick([
      ['meeting', 45],
      ['later', 20],
      ['not_ready', 20],
      ['no_fit', 15],
    ] as const);
    const when = at + random.between(30, 24 * 60) * MINUTE;
    if (answer === 'meeting') {
      schedule(when, async () => {
        if (!(await send(leadId, { type: 'meeting.booked', meetingAt: clock.now() + random.between(1, 4) * DAY }))) return;
        const decided = clock.now() + random.between(3, 10) * DAY;
        if (random.chance(0.55)) schedule(decided, async () => void (await send(leadId, { type: 'lead.converted', opportunityId: `opp-${leadId}` })));
        else schedule(decided, () => recycle(leadId, random.chance(0.5) ? 'no_budget' : 'timing'));
      });
    } else if (answer === 'later') {
      schedule(
        when,
        async () =>
          void (await send(leadId, { type: 'lead.snoozed', until: clock.now() + random.between(5, 12) * DAY, reason: 'call me after the trade show' })),
      );
    } else if (answer === 'not_ready') {
      schedule(when, () => recycle(leadId, 'not_ready'));
    } else {
      schedule(when, async () => void (await send(leadId, { type: 'lead.disqualified', reason: 'not a fit' })));
    }
  };

  /** Sales hands the lead back; some nurtured leads come back with a pricing-page visit. */
  const recycle = async (leadId: string, reason: string) => {
    if (!(await send(leadId, { type: 'lead.recycled', reason }))) return;
    if (random.chance(0.35)) {
      schedule(clock.now() + random.between(4, 20) * DAY, async () => void (await send(leadId, { type: 'activity.recorded', activity: 'pricing_page_visit' })));
    }
  };

  const touch = async (leadId: string, channel: TouchChannel) => {
    const outcome = random.pick(OUTCOMES[channel]);
    if (!(await send(leadId, { type: 'touch.logged', channel, outcome }))) return;
    if (outcome === 'replied') await send(leadId, { type: 'prospect.replied', channel });
    if (outcome === 'connected' || outcome === 'replied') prospectAnswers(leadId, clock.now());
  };

  /** Reps read their notifications: a new lead gets a first call, a reminder usually a touch. */
  const react = async () => {
    const messages: OutboxMessage[] = (await engine.store.pendingOutbox(engine.tenantId, Number.MAX_SAFE_INTEGER)).slice(outboxSeen);
    outboxSeen += messages.length;
    for (const message of messages) {
      const rep = message.to[0] === undefined ? undefined : REPS[message.to[0]];
      if (!rep) continue;
      if (message.kind === 'lead.assigned' && random.chance(rep.contactRate)) {
        schedule(clock.now() + Math.max(1, random.wait(rep.meanFirstTouchMinutes)) * MINUTE, () =>
          touch(message.leadId, random.chance(0.7) ? 'call' : 'email'),
        );
      }
      if (message.kind === 'touch.due' && random.chance(rep.followThrough)) {
        const channel = (['call', 'email', 'social'] as const)[random.between(0, 2)] as TouchChannel;
        schedule(clock.now() + random.between(5, 240) * MINUTE, () => touch(message.leadId, channel));
      }
    }
  };

  // Leads arrive on weekdays in office hours over the first three weeks.
  for (let index = 0; index < leads; index++) {
    let day = random.between(0, 20);
    while ([0, 6].includes(new Date(startAt + day * DAY).getUTCDay())) day = (day + 1) % 21;
    const at = startAt + day * DAY + random.between(8 * 60, 18 * 60) * MINUTE;
    const source = random.pick(SOURCES);
    const person = index + 1;
    const input: CaptureInput = {
      id: `form-${person}`,
      at,
      source,
      campaign: CAMPAIGNS[source],
      priority: source === 'demo_request' ? 'high' : 'normal',
      contact: { name: `Prospect ${person}`, email: `prospect${person}@example.com`, company: `Company ${(person % 17) + 1}` },
      doNotCall: random.chance(0.05),
    };
    if (source === 'content_download') input.asset = 'State of Sales 2026 (PDF)';
    schedule(at, async () => {
      const { leadId, outcome } = await engine.capture({ ...input, at: clock.now() });
      if (outcome !== 'created') return;
      leadIds.push(leadId);
      // A central team qualifies trade-show leads within a couple of hours.
      if (source === 'event') {
        const qualifies = random.chance(0.8);
        schedule(
          clock.now() + random.between(20, 180) * MINUTE,
          async () =>
            void (await send(
              leadId,
              qualifies ? { type: 'lead.qualified', by: 'central-team' } : { type: 'lead.disqualified', reason: 'student, no buying intent' },
            )),
        );
      }
    });
  }

  // The month: jump to whichever comes first, the next timer or the next simulated action.
  for (;;) {
    const nextTimer = (await engine.nextDueAt()) ?? Number.POSITIVE_INFINITY;
    const nextAction = actions[0]?.at ?? Number.POSITIVE_INFINITY;
    const next = Math.min(nextTimer, nextAction);
    if (next > end) break;
    clock.set(Math.max(clock.now(), next));
    if (nextTimer <= nextAction) await engine.runDue(clock.now());
    else await (actions.shift() as Action).run();
    await react();
  }
  clock.set(end);

  const views = await Promise.all(leadIds.map((leadId) => engine.get(leadId)));
  return { engine, views, refused, start: startAt, end };
}

function nextLeadId(): () => string {
  let count = 0;
  return () => `lead-${String(++count).padStart(2, '0')}`;
}
