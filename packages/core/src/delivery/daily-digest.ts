/**
 * The daily digest: one message per rep with their open leads, the overdue ones first, each with its
 * deadline and next step, so nothing waits unseen.
 *
 * @module
 */
import type { LeadContext } from '../lead/context.js';
import { briefOf } from '../lead/lead-brief.js';
import { html, rawHtml } from '../notify/escape.js';
import type { LeadBrief, Notification } from '../notify/notifier.js';
import type { LeadStore } from '../store/lead-store.js';
import { formatInstant } from '../time/instant.js';

function line(lead: LeadBrief): string {
  const who = [lead.name ?? lead.email ?? lead.leadId, lead.company].filter(Boolean).join(', ');
  const sla = lead.sla ? `; ${lead.sla.label}: ${lead.sla.timeLeft.startsWith('overdue') ? lead.sla.timeLeft : `${lead.sla.timeLeft} left`}` : '';
  const next = lead.nextStep ? `; next: ${lead.nextStep.label}, due ${lead.nextStep.dueAt}` : '';
  return `${who} (${lead.source}, ${lead.state})${sla}${next}`;
}

/**
 * The digests of a tenant at `at`: one per owner of open leads, to that owner, on `channel`. The
 * idempotency key names the owner and the day, so a digest sent twice the same day is recognisable.
 *
 * @example
 * ```ts
 * import { createEngine, dailyDigests } from '@leadline/core';
 * import { smtpNotifier } from '@leadline/smtp';
 *
 * const engine = createEngine();
 * const email = smtpNotifier({ transport: 'smtp://localhost:25', from: 'leads@example.com' });
 * for (const digest of await dailyDigests(engine.store, 'default', Date.now(), 'email')) await email.deliver(digest);
 * ```
 */
export async function dailyDigests(store: LeadStore, tenantId: string, at: number, channel: string): Promise<Notification[]> {
  const byOwner = new Map<string, LeadBrief[]>();
  for (const stored of await store.listLeads({ tenantId })) {
    if (!stored.open || stored.owner === undefined) continue;
    const context = (stored.snapshot as { context: LeadContext }).context;
    const briefs = byOwner.get(stored.owner) ?? [];
    briefs.push(briefOf(context, stored.state, at));
    byOwner.set(stored.owner, briefs);
  }
  const day = formatInstant(at).slice(0, 10);
  const digests: Notification[] = [];
  for (const [owner, leads] of [...byOwner].sort(([a], [b]) => a.localeCompare(b))) {
    const overdue = (lead: LeadBrief) => (lead.sla?.timeLeft.startsWith('overdue') ? 0 : 1);
    leads.sort((a, b) => overdue(a) - overdue(b) || a.leadId.localeCompare(b.leadId));
    const late = leads.filter((lead) => overdue(lead) === 0).length;
    const subject = `Your leads on ${day}: ${leads.length} open, ${late} overdue`;
    digests.push({
      idempotencyKey: `digest:${tenantId}:${owner}:${day}`,
      kind: 'daily.digest',
      channel,
      to: [owner],
      subject,
      text: [subject, '', ...leads.map((lead) => `- ${line(lead)}`)].join('\n'),
      html: html`<h2>${subject}</h2><ul>${rawHtml(leads.map((lead) => html`<li>${line(lead)}</li>`).join(''))}</ul>`,
      leads,
      createdAt: formatInstant(at),
    });
  }
  return digests;
}
