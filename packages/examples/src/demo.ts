/**
 * `pnpm demo`: 50 seeded leads from seven sources through 30 simulated days on the memory store.
 * Prints two leads' timelines in plain words and the month's funnel figures. Deterministic: the same
 * seed prints the same month (time taken goes to stderr).
 */
import { formatSummaryTable, summarizeBy, summarizeLeads } from '@leadline/core';
import { describeLead } from './simulation/describe-lead.js';
import { simulateMonth } from './simulation/simulate-month.js';

const seed = Number(process.env.LEADLINE_SEED ?? 7);
const started = performance.now();
const month = await simulateMonth({ seed, leads: 50, days: 30 });
const elapsed = performance.now() - started;

const { views } = month;
const converted = views.find((view) => view.state === 'converted' && view.lead.touches >= 2) ?? views[0];
const dropped = views.find((view) => view.lead.slas.some((sla) => sla.breachedAt !== undefined) && view.lead.recycle.count > 0) ?? views[1];
const sources = new Set(views.map((view) => view.lead.source));

const out: string[] = [];
out.push(
  `Leadline demo: ${views.length} leads from ${sources.size} sources, 30 simulated days from ${new Date(month.start).toISOString().slice(0, 10)} (seed ${seed}), memory store`,
);
out.push('');
for (const [title, view] of [
  ['A lead that converted', converted],
  ['A lead that breached its SLA and went back to marketing', dropped],
] as const) {
  if (!view) continue;
  out.push(`${title}:`);
  out.push(describeLead(view));
  out.push('');
}
out.push('Funnel after 30 days (speed = capture to first touch; SLA met = SLAs met in time of those that ended):');
out.push(formatSummaryTable([['all leads', summarizeLeads(views)], ...summarizeBy(views, (view) => `  ${view.lead.source}`)]));
out.push('');
out.push('By owner:');
out.push(formatSummaryTable(summarizeBy(views, (view) => `  ${view.owner ?? '(unassigned)'}`)));
out.push('');
out.push(`Events refused because the lead had moved on (a rep calling a converted lead): ${month.refused}`);
process.stdout.write(`${out.join('\n')}\n`);
process.stderr.write(`(simulated in ${Math.round(elapsed)} ms)\n`);
