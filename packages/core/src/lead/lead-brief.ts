/**
 * The lead's context for a notification, as it stood when the decision was made: where the lead came
 * from, what the prospect did, the SLA that runs out first and the next cadence step.
 *
 * @module
 */

import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import type { LeadContext } from './context.js';

/**
 * What the rep needs for a good first call: where the lead came from and what the prospect did.
 *
 * @example
 * ```ts
 * import type { LeadBrief } from '@leadline/core';
 *
 * const brief: LeadBrief = { leadId: 'lead-7', name: 'Ada Lovelace', source: 'demo_request', state: 'assigned', activities: [] };
 * ```
 */
export interface LeadBrief {
  leadId: string;
  name?: string;
  email?: string;
  phone?: string;
  company?: string;
  source: string;
  campaign?: string;
  asset?: string;
  form?: string;
  owner?: string;
  state: string;
  /** The latest activities, newest first (downloads, visits...). */
  activities: { activity: string; at: string }[];
  /** The SLA that runs out first, with the time left when the message was made. */
  sla?: { name: string; label: string; dueAt: string; timeLeft: string };
  /** The next cadence step. */
  nextStep?: { channel: string; dueAt: string; label: string };
}

/**
 * Builds the brief of a lead at `at`.
 *
 * @example
 * ```ts
 * import { createEngine } from '@leadline/core';
 * import { briefOf } from '@leadline/core/adapter-kit';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'web', contact: { name: 'Ada Lovelace' } });
 * const view = await engine.get(leadId);
 * const brief = briefOf(view.lead, view.state, Date.now());
 * ```
 */
export function briefOf(lead: LeadContext, state: string, at: number): LeadBrief {
  const brief: LeadBrief = {
    leadId: lead.leadId,
    source: lead.source,
    state,
    activities: (lead.engagement.recent ?? []).map((activity) => ({ activity: activity.activity, at: formatInstant(activity.at) })),
  };
  const { name, email, phone, company } = lead.contact;
  if (name !== undefined) brief.name = name;
  if (email !== undefined) brief.email = email;
  if (phone !== undefined) brief.phone = phone;
  if (company !== undefined) brief.company = company;
  if (lead.campaign !== undefined) brief.campaign = lead.campaign;
  if (lead.asset !== undefined) brief.asset = lead.asset;
  if (lead.form !== undefined) brief.form = lead.form;
  if (lead.owner !== undefined) brief.owner = lead.owner;
  const first = lead.slas.filter((sla) => sla.outcome === undefined).sort((a, b) => a.dueAt - b.dueAt)[0];
  if (first) {
    const left = first.dueAt - at;
    brief.sla = {
      name: first.name,
      label: first.label,
      dueAt: formatInstant(first.dueAt),
      timeLeft: left >= 0 ? formatDuration(left) : `overdue by ${formatDuration(-left)}`,
    };
  }
  const cadence = lead.cadence;
  if (cadence?.nextDueAt !== undefined && cadence.nextChannel !== undefined && !cadence.nextIsEnd) {
    brief.nextStep = { channel: cadence.nextChannel, dueAt: formatInstant(cadence.nextDueAt), label: cadence.nextLabel ?? cadence.nextChannel };
  }
  return brief;
}
