/**
 * Funnel figures computed from leads as the engine reports them: share contacted, speed to lead,
 * SLA attainment, touches per lead, recycling and outcomes. Pure: give it leads, get numbers.
 *
 * @module
 */
import type { LeadView } from '../engine/lead-view.js';

/**
 * The figures for one group of leads (all of them, one source, one owner...).
 *
 * @example
 * ```ts
 * import { type LeadSummary, type LeadView, summarizeLeads } from '@leadline/core';
 *
 * declare const views: LeadView[]; // engine.get of each lead
 * const summary: LeadSummary = summarizeLeads(views);
 * console.log(summary.contactedShare, summary.speedToLead.medianMs);
 * ```
 */
export interface LeadSummary {
  leads: number;
  /** Leads touched at least once. */
  contacted: number;
  contactedShare: number;
  /** Capture to first touch, over contacted leads; `undefined` when none was contacted. */
  speedToLead: { medianMs: number | undefined; p90Ms: number | undefined };
  /** SLAs that ended (met, met late or breached) and how many of them breached. */
  slasEnded: number;
  slaBreaches: number;
  /** Share of ended SLAs met in time. */
  slaAttainment: number | undefined;
  touchesPerLead: number;
  /** Contacted leads that got exactly one touch: the "called once and forgotten" share. */
  touchedOnceShare: number | undefined;
  /** Leads handed back at least once, and how many of them came back to sales. */
  recycled: number;
  reengaged: number;
  converted: number;
  disqualified: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], share: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/**
 * Summarises a group of leads.
 *
 * @example
 * ```ts
 * import { createEngine, summarizeLeads } from '@leadline/core';
 *
 * const engine = createEngine();
 * const leads = await engine.store.listLeads({ tenantId: 'default' });
 * const views = await Promise.all(leads.map((lead) => engine.get(lead.leadId)));
 * const { contactedShare, speedToLead } = summarizeLeads(views);
 * ```
 */
export function summarizeLeads(leads: readonly LeadView[]): LeadSummary {
  const speeds: number[] = [];
  let touches = 0;
  let touchedOnce = 0;
  let slasEnded = 0;
  let slaBreaches = 0;
  let recycled = 0;
  let reengaged = 0;
  let converted = 0;
  let disqualified = 0;
  for (const { lead, state } of leads) {
    touches += lead.touches;
    if (lead.firstTouchAt !== undefined) speeds.push(lead.firstTouchAt - lead.capturedAt);
    if (lead.touches === 1) touchedOnce++;
    for (const sla of lead.slas) {
      if (sla.breachedAt !== undefined) slaBreaches++;
      if (sla.breachedAt !== undefined || sla.outcome === 'met' || sla.outcome === 'met_late') slasEnded++;
    }
    if (lead.recycle.count > 0) recycled++;
    if (lead.recycle.reengaged > 0) reengaged++;
    if (state === 'converted') converted++;
    if (state === 'disqualified') disqualified++;
  }
  speeds.sort((a, b) => a - b);
  const contacted = speeds.length;
  return {
    leads: leads.length,
    contacted,
    contactedShare: leads.length === 0 ? 0 : contacted / leads.length,
    speedToLead: { medianMs: percentile(speeds, 0.5), p90Ms: percentile(speeds, 0.9) },
    slasEnded,
    slaBreaches,
    slaAttainment: slasEnded === 0 ? undefined : (slasEnded - slaBreaches) / slasEnded,
    touchesPerLead: leads.length === 0 ? 0 : touches / leads.length,
    touchedOnceShare: contacted === 0 ? undefined : touchedOnce / contacted,
    recycled,
    reengaged,
    converted,
    disqualified,
  };
}

/**
 * Summarises leads per group, for example per source or per owner.
 *
 * @example
 * ```ts
 * import { type LeadView, summarizeBy } from '@leadline/core';
 *
 * declare const views: LeadView[]; // engine.get of each lead
 * const bySource = summarizeBy(views, (view) => view.lead.source);
 * ```
 */
export function summarizeBy(leads: readonly LeadView[], key: (lead: LeadView) => string): Map<string, LeadSummary> {
  const groups = new Map<string, LeadView[]>();
  for (const lead of leads) {
    const name = key(lead);
    const group = groups.get(name);
    if (group) group.push(lead);
    else groups.set(name, [lead]);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, group]) => [name, summarizeLeads(group)]));
}
