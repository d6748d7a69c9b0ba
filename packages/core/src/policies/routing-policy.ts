/**
 * The built-in routing policy: pools of reps chosen by rules on the lead (territory, segment, source),
 * a method per pool (round-robin, weighted, least loaded), capacity caps, availability (the rep's working
 * hours and time off), and the owner of an existing account (or of the person's open lead) first. Every
 * decision says why.
 *
 * @module
 */
import { z } from 'zod';
import type { LeadContext } from '../lead/context.js';
import { MAX_NAME_LENGTH } from '../limits.js';
import { isRepAvailable, type Rep } from '../team/rep.js';
import { parseConfig, singleLineSchema } from '../validation.js';
import type { RoutingContext, RoutingDecision, RoutingPolicy } from './types.js';

/** A rep id becomes a lead's owner in every store: one line, as the owner of an event is. */
const repIdSchema = singleLineSchema(MAX_NAME_LENGTH);

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));

const poolSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case, like emea_enterprise'),
  /** Which leads the pool takes; all given conditions must hold. No conditions: every lead. */
  when: z.strictObject({ territory: oneOrMany.optional(), segment: oneOrMany.optional(), source: oneOrMany.optional() }).default({}),
  /**
   * The pool's reps, by id; or `directory`: every rep in the directory whose territories, segments and
   * sources (where given) include the lead's.
   */
  reps: z.union([z.literal('directory'), z.array(repIdSchema).min(1, 'needs at least one rep')]),
  /** `spare_capacity`: the rep with the most room under their capacity (reps without one count as having none to spare). */
  method: z.enum(['round_robin', 'weighted', 'least_loaded', 'spare_capacity']).default('round_robin'),
});

/**
 * zod schema of the options of {@link routingPolicy}.
 *
 * @example
 * ```ts
 * import { routingPolicyConfigSchema } from '@leadline/core';
 *
 * routingPolicyConfigSchema.safeParse({ pools: [{ name: 'everyone', reps: 'directory' }] }).success; // true
 * ```
 */
export const routingPolicyConfigSchema = z
  .strictObject({
    /** Tried in order; the first pool whose conditions the lead meets and that has a rep free takes it. */
    pools: z.array(poolSchema).min(1, 'needs at least one pool'),
    /** The account's owner (or the owner of the person's open lead) gets the lead when free. */
    ownerFirst: z.boolean().default(true),
    /** Skip reps at their capacity of open leads. */
    respectCapacity: z.boolean().default(true),
    /** Prefer reps whose working hours are open now (`prefer`), take only them (`require`), or ignore hours. */
    workingHours: z.enum(['prefer', 'require', 'ignore']).default('prefer'),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.pools.forEach((pool, index) => {
      if (seen.has(pool.name)) ctx.addIssue({ code: 'custom', path: ['pools', index, 'name'], message: `"${pool.name}" is defined twice` });
      seen.add(pool.name);
    });
  });

/** Options of {@link routingPolicy}. */
export type RoutingPolicyConfig = z.input<typeof routingPolicyConfigSchema>;
type Pool = z.output<typeof poolSchema>;

/**
 * Open hours of a rep's working calendar, by calendar name (a business calendar satisfies it).
 *
 * @example
 * ```ts
 * import type { WorkingHours } from '@leadline/core';
 *
 * const hours: WorkingHours = { isOpen: (at) => new Date(at).getUTCHours() >= 9 };
 * ```
 */
export interface WorkingHours {
  isOpen(at: number): boolean;
}

const METHOD_WORDS = {
  round_robin: 'round-robin',
  weighted: 'weighted round-robin',
  least_loaded: 'least loaded',
  spare_capacity: 'most spare capacity',
} as const;

function covers(list: readonly string[], value: string | undefined): boolean {
  return list.length === 0 || (value !== undefined && list.includes(value));
}

function poolTakes(pool: Pool, lead: LeadContext): boolean {
  const { territory, segment, source } = pool.when;
  return (
    (!territory || (lead.territory !== undefined && territory.includes(lead.territory))) &&
    (!segment || (lead.segment !== undefined && segment.includes(lead.segment))) &&
    (!source || source.includes(lead.source))
  );
}

/**
 * Builds the routing policy. `calendars` gives the working hours of reps that name a calendar.
 *
 * @throws ConfigError when the options are invalid.
 * @example
 * ```ts
 * import { routingPolicy } from '@leadline/core';
 *
 * const routing = routingPolicy({
 *   pools: [
 *     { name: 'dach_enterprise', when: { territory: ['DE', 'AT', 'CH'], segment: 'enterprise' }, reps: ['ann', 'bob'], method: 'weighted' },
 *     { name: 'everyone_else', reps: 'directory', method: 'round_robin' },
 *   ],
 * });
 * ```
 */
export function routingPolicy(config: RoutingPolicyConfig, calendars: Readonly<Record<string, WorkingHours>> = {}): RoutingPolicy {
  const { pools, ownerFirst, respectCapacity, workingHours } = parseConfig(routingPolicyConfigSchema, config, 'routing policy config');

  /** Why a rep cannot take the lead now, or `undefined` when they can. */
  const blocked = (rep: Rep, context: RoutingContext): string | undefined => {
    if (context.exclude.includes(rep.id)) return 'excluded';
    if (!isRepAvailable(rep, context.at)) return rep.available ? 'time off' : 'unavailable';
    const open = context.loads.get(rep.id)?.open ?? 0;
    if (respectCapacity && rep.capacity !== undefined && open >= rep.capacity) return `at capacity ${rep.capacity}`;
    return undefined;
  };
  const working = (rep: Rep, at: number) => !rep.calendar || calendars[rep.calendar]?.isOpen(at) !== false;

  const profile = (id: string, reps: readonly Rep[]): Rep =>
    reps.find((rep) => rep.id === id) ?? { id, available: true, weight: 1, territories: [], segments: [], sources: [], timeOff: [] };

  const choose = (pool: Pool, lead: LeadContext, context: RoutingContext): { decision?: RoutingDecision; skipped: string[] } => {
    const members =
      pool.reps === 'directory'
        ? context.reps.filter((rep) => covers(rep.territories, lead.territory) && covers(rep.segments, lead.segment) && covers(rep.sources, lead.source))
        : pool.reps.map((id) => profile(id, context.reps));
    const skipped: string[] = [];
    // Reps the engine excluded (the rep who breached) are named only when nobody is left, to explain it.
    const excluded: string[] = [];
    let free = members.filter((rep) => {
      const why = blocked(rep, context);
      if (why === 'excluded') excluded.push(`${rep.id} (excluded)`);
      else if (why) skipped.push(`${rep.id} (${why})`);
      return why === undefined;
    });
    if (workingHours !== 'ignore') {
      const atWork = free.filter((rep) => working(rep, context.at));
      if (workingHours === 'require') {
        for (const rep of free) if (!atWork.includes(rep)) skipped.push(`${rep.id} (off hours)`);
        free = atWork;
      } else if (atWork.length > 0) free = atWork;
    }
    let best: Rep | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const rep of free) {
      const load = context.loads.get(rep.id);
      const open = load?.open ?? 0;
      const score =
        pool.method === 'least_loaded'
          ? open
          : pool.method === 'spare_capacity'
            ? -((rep.capacity ?? open) - open)
            : pool.method === 'weighted'
              ? (load?.assigned ?? 0) / rep.weight
              : (load?.assigned ?? 0);
      if (score < bestScore) {
        best = rep;
        bestScore = score;
      }
    }
    if (!best) return { skipped: members.length === 0 ? ['no rep in the pool'] : [...skipped, ...excluded] };
    const load = context.loads.get(best.id) ?? { open: 0, assigned: 0 };
    const capacity = best.capacity === undefined ? '' : ` of ${best.capacity}`;
    const why = `${pool.name}, ${METHOD_WORDS[pool.method]}: ${load.open}${capacity} open, ${load.assigned} assigned before${skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''}`;
    return { decision: { owner: best.id, reason: why }, skipped };
  };

  return {
    name: 'routing',
    route(lead, context) {
      const hint = lead.ownerHint;
      if (ownerFirst && hint) {
        const why = blocked(profile(hint.owner, context.reps), context);
        if (!why) return { owner: hint.owner, reason: `${hint.reason} gets the lead` };
      }
      const passed: string[] = [];
      for (const pool of pools) {
        if (!poolTakes(pool, lead)) continue;
        const { decision, skipped } = choose(pool, lead, context);
        if (decision) {
          const note = hint && ownerFirst ? `${hint.reason} (${hint.owner}) cannot take it; ` : '';
          return { owner: decision.owner, reason: `${note}${passed.length > 0 ? `pools full: ${passed.join(', ')}; ` : ''}${decision.reason}` };
        }
        passed.push(`${pool.name}${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}`);
      }
      const hinted = ownerFirst && hint ? `${hint.reason} (${hint.owner}) cannot take it; ` : '';
      return { reason: `${hinted}${passed.length > 0 ? `pools full: ${passed.join(', ')}` : 'no pool takes this lead'}` };
    },
  };
}
