/**
 * Lead summaries as a plain-text table, for terminals, logs and the demo.
 *
 * @module
 */
import { formatDuration } from '../time/duration.js';
import type { LeadSummary } from './lead-summary.js';

const COLUMNS = [
  'leads',
  'contacted',
  'speed median',
  'speed p90',
  'SLA breaches',
  'SLA met',
  'touches/lead',
  'touched once',
  'recycled',
  're-engaged',
  'converted',
  'disqualified',
];

function share(value: number | undefined): string {
  return value === undefined ? '-' : `${Math.round(value * 100)}%`;
}

function cells(summary: LeadSummary): string[] {
  return [
    String(summary.leads),
    share(summary.contactedShare),
    summary.speedToLead.medianMs === undefined ? '-' : formatDuration(summary.speedToLead.medianMs),
    summary.speedToLead.p90Ms === undefined ? '-' : formatDuration(summary.speedToLead.p90Ms),
    String(summary.slaBreaches),
    share(summary.slaAttainment),
    summary.touchesPerLead.toFixed(1),
    share(summary.touchedOnceShare),
    String(summary.recycled),
    String(summary.reengaged),
    String(summary.converted),
    String(summary.disqualified),
  ];
}

/**
 * Renders named summaries as an aligned table, one row per group.
 *
 * @example
 * ```ts
 * import { formatSummaryTable, type LeadView, summarizeBy, summarizeLeads } from '@leadline/core';
 *
 * declare const views: LeadView[]; // engine.get of each lead
 * console.log(formatSummaryTable([['all leads', summarizeLeads(views)], ...summarizeBy(views, (v) => v.lead.source)]));
 * ```
 */
export function formatSummaryTable(rows: Iterable<readonly [string, LeadSummary]>): string {
  const table = [['', ...COLUMNS], ...[...rows].map(([name, summary]) => [name, ...cells(summary)])];
  const widths = COLUMNS.map((_, index) => Math.max(...table.map((row) => (row[index + 1] as string).length)));
  const nameWidth = Math.max(...table.map((row) => (row[0] as string).length));
  return table
    .map((row) => [(row[0] as string).padEnd(nameWidth), ...row.slice(1).map((cell, index) => cell.padStart(widths[index] as number))].join('  '))
    .join('\n');
}
