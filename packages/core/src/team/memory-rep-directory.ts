/**
 * `MemoryRepDirectory`: the in-memory default `RepDirectory`, validated at construction.
 *
 * @module
 */
import { z } from 'zod';
import { parseInput } from '../validation.js';
import { type Rep, type RepInput, repSchema } from './rep.js';
import type { RepDirectory } from './rep-directory.js';

const teamsSchema = z.record(
  z.string().min(1),
  z.array(repSchema).superRefine((reps, ctx) => {
    const seen = new Set<string>();
    reps.forEach((rep, index) => {
      if (seen.has(rep.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `rep "${rep.id}" is listed twice` });
      seen.add(rep.id);
    });
  }),
);

/**
 * Reps per tenant, in memory.
 *
 * @throws ValidationError when a rep is invalid or listed twice.
 * @example
 * ```ts
 * import { MemoryRepDirectory } from '@leadline/core';
 *
 * const reps = new MemoryRepDirectory({ default: [{ id: 'ann', manager: 'maria', capacity: 20 }, { id: 'bob', manager: 'maria' }] });
 * reps.setAvailable('default', 'bob', false);
 * ```
 */
export class MemoryRepDirectory implements RepDirectory {
  private readonly teams: Map<string, Rep[]>;

  constructor(teams: Record<string, RepInput[]> = {}) {
    const parsed = parseInput(teamsSchema, teams, 'rep directory');
    this.teams = new Map(Object.entries(parsed));
  }

  reps(tenantId: string): readonly Rep[] {
    return this.teams.get(tenantId) ?? [];
  }

  setAvailable(tenantId: string, repId: string, available: boolean): void {
    const team = this.teams.get(tenantId) ?? [];
    this.teams.set(
      tenantId,
      team.map((rep) => (rep.id === repId ? { ...rep, available } : rep)),
    );
  }
}
