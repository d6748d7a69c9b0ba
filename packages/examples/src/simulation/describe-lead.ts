/**
 * A lead's history in plain words, one line per event, for people reading a terminal.
 *
 * @module
 */
import type { LeadView } from '@leadline/core';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const EVENT_WORDS: Record<string, string> = {
  'lead.captured': 'captured',
  'lead.qualified': 'qualified',
  'lead.assigned': 'assigned',
  'lead.reassigned': 'reassigned',
  'touch.logged': 'touch',
  'prospect.replied': 'reply',
  'meeting.booked': 'meeting',
  'lead.snoozed': 'snoozed',
  'snooze.ended': 'snooze over',
  'lead.disqualified': 'disqualified',
  'lead.recycled': 'handed back',
  'activity.recorded': 'activity',
  'lead.converted': 'converted',
  'lead.merged': 'duplicate',
  'sla.warning': 'SLA at risk',
  'sla.breached': 'SLA breach',
  'sla.escalated': 'escalation',
  'prospect.unsubscribed': 'unsubscribed',
  'prospect.out_of_office': 'out of office',
  'prospect.back': 'back',
  'cadence.step_due': 'touch due',
  'recycle.recheck_due': 're-check',
};

/** `Mon 03-02 09:14` in UTC. */
function when(iso: string): string {
  const date = new Date(iso);
  return `${WEEKDAYS[date.getUTCDay()]} ${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/**
 * Describes a lead: a heading with where it came from and where it stands, then its history.
 *
 * @example
 * ```ts
 * import { createEngine } from '@leadline/core';
 * import { describeLead } from './describe-lead.js';
 *
 * const engine = createEngine();
 * const { leadId } = await engine.capture({ id: 'form-7', at: '2026-03-02T09:00:00Z', source: 'webinar', contact: { name: 'Ada Lovelace' } });
 * console.log(describeLead(await engine.get(leadId)));
 * ```
 */
export function describeLead(view: LeadView): string {
  const { lead } = view;
  const heading = `${view.leadId}: ${lead.contact.name ?? 'unknown'} (${lead.contact.company ?? 'no company'}), from ${lead.source}${lead.campaign ? ` / ${lead.campaign}` : ''}; now ${view.state}${view.owner ? `, owner ${view.owner}` : ''}`;
  const width = Math.max(...view.history.map((entry) => (EVENT_WORDS[entry.event] ?? entry.event).length));
  const lines = view.history.map((entry) => {
    const move = entry.from !== null && entry.from !== entry.to ? `  [${entry.from} -> ${entry.to}]` : entry.from === null ? `  [${entry.to}]` : '';
    return `  ${when(entry.at)}  ${(EVENT_WORDS[entry.event] ?? entry.event).padEnd(width)}  ${entry.notes.join('; ')}${move}`;
  });
  return [heading, ...lines].join('\n');
}
