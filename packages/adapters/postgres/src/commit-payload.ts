/**
 * What one `CommitUnit` becomes on its way to `commit_units()`: checked, and flattened to the JSON the
 * function reads; and what the function answers for it.
 *
 * @module
 */
import { type CommitUnit, type Problem, TOUCH_CHANNELS, ValidationError } from '@leadline/core/adapter-kit';

/**
 * What `commit_units()` answers for one unit: written, refused for its version, refused for an event
 * id applied before (to `leadId`), or refused because the owner routing chose holds more open leads
 * than routing saw (`assignmentConflict`: how many, besides this lead).
 *
 * @example
 * ```ts
 * import type { CommitOutcome } from './commit-payload.js';
 *
 * const outcome: CommitOutcome = { conflict: 3 };
 * ```
 */
export type CommitOutcome = { ok: true } | { conflict: number } | { duplicate: string; leadId: string } | { assignmentConflict: number };

/**
 * A unit ready to send: its JSON, and what is needed to explain a refusal.
 *
 * @example
 * ```ts
 * import type { CommitUnit } from '@leadline/core';
 * import { type EncodedUnit, encodeUnit } from './commit-payload.js';
 *
 * declare const unit: CommitUnit; // what the engine asks the store to commit
 * const encoded: EncodedUnit = encodeUnit(unit);
 * ```
 */
export interface EncodedUnit {
  json: string;
  tenantId: string;
  leadId: string;
  expectedVersion: number;
  eventIds: string[];
}

/** The fields of an outbox message that have columns; everything else goes to `details`. */
const MESSAGE_COLUMNS = new Set(['id', 'tenantId', 'leadId', 'kind', 'to', 'summary', 'createdAt']);

const CHANNELS: ReadonlySet<unknown> = new Set(TOUCH_CHANNELS);

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a unit and turns it into the JSON `commit_units()` reads. Every row of the unit must belong to
 * its lead: a unit cannot write into another lead, or another tenant.
 *
 * @throws ValidationError naming each problem; nothing is sent.
 * @example
 * ```ts
 * import type { CommitUnit } from '@leadline/core';
 * import type { Database } from '@leadline/postgres';
 * import { encodeUnit } from './commit-payload.js';
 *
 * declare const db: Database;
 * declare const unit: CommitUnit;
 * const { json } = encodeUnit(unit);
 * await db.query('SELECT leadline.commit_units($1::jsonb)', [`[${json}]`]);
 * ```
 */
export function encodeUnit(unit: CommitUnit): EncodedUnit {
  const { lead } = unit;
  const problems: Problem[] = [];
  const check = (ok: boolean, path: (string | number)[], message: string) => {
    if (!ok) problems.push({ path, message, code: 'invalid_commit' });
  };
  const instant = (value: unknown, path: (string | number)[]) => check(Number.isSafeInteger(value), path, 'must be an integer instant (epoch ms)');
  const ours = (row: { tenantId: string; leadId: string }, path: (string | number)[]) =>
    check(row.tenantId === lead.tenantId && row.leadId === lead.leadId, path, `must belong to lead "${lead.leadId}" of tenant "${lead.tenantId}"`);

  check(typeof lead.tenantId === 'string' && lead.tenantId.length > 0, ['lead', 'tenantId'], 'must be a non-empty string');
  check(typeof lead.leadId === 'string' && lead.leadId.length > 0, ['lead', 'leadId'], 'must be a non-empty string');
  check(Number.isSafeInteger(unit.expectedVersion) && unit.expectedVersion >= 0, ['expectedVersion'], 'must be an integer >= 0');
  check(isPlainObject(lead.snapshot), ['lead', 'snapshot'], 'must be a JSON object');
  instant(lead.updatedAt, ['lead', 'updatedAt']);
  unit.timers.upsert.forEach((timer, index) => {
    ours(timer, ['timers', 'upsert', index]);
    instant(timer.dueAt, ['timers', 'upsert', index, 'dueAt']);
    check(isPlainObject(timer.event) && typeof timer.event.type === 'string', ['timers', 'upsert', index, 'event'], 'must be an event with a type');
  });
  unit.outbox.forEach((message, index) => {
    ours(message, ['outbox', index]);
    instant(message.createdAt, ['outbox', index, 'createdAt']);
  });
  unit.history.forEach((entry, index) => {
    ours(entry, ['history', index]);
    instant(entry.at, ['history', index, 'at']);
  });
  const keys = (value: unknown) => Array.isArray(value) && value.every((key) => typeof key === 'string' && key.length > 0);
  check(lead.contactKeys === undefined || keys(lead.contactKeys), ['lead', 'contactKeys'], 'must be a list of non-empty strings');
  (unit.contactTouches ?? []).forEach((touch, index) => {
    check(keys(touch.keys), ['contactTouches', index, 'keys'], 'must be a list of non-empty strings');
    check(CHANNELS.has(touch.channel), ['contactTouches', index, 'channel'], `must be one of ${TOUCH_CHANNELS.join(', ')}`);
    instant(touch.at, ['contactTouches', index, 'at']);
  });
  if (unit.routedTo !== undefined) {
    const { owner, openBefore } = unit.routedTo;
    check(typeof owner === 'string' && owner.length > 0, ['routedTo', 'owner'], 'must be a non-empty string');
    check(Number.isSafeInteger(openBefore) && openBefore >= 0, ['routedTo', 'openBefore'], 'must be an integer >= 0');
  }
  if (problems.length > 0) throw new ValidationError('commit unit', problems);

  // A timer raised twice in one unit: the last one wins, as it would one commit after another.
  const upserts = new Map(unit.timers.upsert.map((timer) => [timer.timerId, timer]));
  const json = JSON.stringify({
    tenantId: lead.tenantId,
    leadId: lead.leadId,
    expectedVersion: unit.expectedVersion,
    lead: {
      version: lead.version,
      eventCount: lead.eventCount,
      state: lead.state,
      open: lead.open,
      overdue: lead.overdue,
      owner: lead.owner,
      contactKeys: lead.contactKeys,
      snapshot: lead.snapshot,
      updatedAt: lead.updatedAt,
    },
    eventIds: unit.eventIds,
    fired: unit.firedTimers,
    cancel: unit.timers.cancel,
    upsert: [...upserts.values()].map(({ timerId, dueAt, eventId, event }) => ({ timerId, dueAt, eventId, event })),
    outbox: unit.outbox.map((message) => {
      const details: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(message)) if (!MESSAGE_COLUMNS.has(key)) details[key] = value;
      return { id: message.id, kind: message.kind, to: message.to, summary: message.summary, createdAt: message.createdAt, details };
    }),
    history: unit.history.map(({ seq, eventId, type, at, from, to, notes }) => ({ seq, eventId, type, at, from, to, notes })),
    contactTouches: (unit.contactTouches ?? []).map(({ keys, channel, at }) => ({ keys, channel, at })),
    // Absent (not null) when routing did not choose the owner in this commit.
    routedTo: unit.routedTo === undefined ? undefined : { owner: unit.routedTo.owner, openBefore: unit.routedTo.openBefore },
  });
  return { json, tenantId: lead.tenantId, leadId: lead.leadId, expectedVersion: unit.expectedVersion, eventIds: unit.eventIds };
}
