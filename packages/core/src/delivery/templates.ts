/**
 * Text and HTML for each kind of notification. The defaults say where the lead came from and what the
 * prospect did, so the first call is a good one; the embedding application may override any part of
 * any kind. Values are escaped in HTML.
 *
 * @module
 */

import type { NotificationKind } from '../lead/notification-kind.js';
import { html, rawHtml } from '../notify/escape.js';
import type { LeadBrief } from '../notify/notifier.js';

/**
 * What a template renders from.
 *
 * @example
 * ```ts
 * import type { TemplateInput } from '@leadline/core';
 *
 * const input: TemplateInput = {
 *   kind: 'lead.assigned',
 *   summary: 'new demo_request lead lead-7',
 *   to: ['ann'],
 *   lead: { leadId: 'lead-7', name: 'Ada Lovelace', source: 'demo_request', state: 'assigned', activities: [] },
 * };
 * ```
 */
export interface TemplateInput {
  kind: NotificationKind;
  summary: string;
  to: string[];
  lead: LeadBrief;
}

/**
 * The three parts of a notification.
 *
 * @example
 * ```ts
 * import { html, type NotificationTemplate } from '@leadline/core';
 *
 * const template: NotificationTemplate = { subject: (n) => `Lead ${n.lead.leadId}`, text: (n) => n.summary, html: (n) => html`<p>${n.summary}</p>` };
 * ```
 */
export interface NotificationTemplate {
  subject(input: TemplateInput): string;
  text(input: TemplateInput): string;
  /** Must escape lead-provided values (use the `html` tagged template). */
  html(input: TemplateInput): string;
}

const HEADLINES: Record<NotificationKind, string> = {
  'lead.assigned': 'New lead for you',
  'lead.reassigned': 'A lead was reassigned to you',
  'lead.unrouted': 'A lead is waiting for an owner',
  'sla.warning': 'SLA at risk',
  'sla.breached': 'SLA breached',
  'sla.escalated': 'Lead escalated',
  'touch.due': 'Touch due',
  'touch.missed': 'Follow-up steps missed',
  'lead.reengaged': 'Lead re-engaged',
  'daily.digest': 'Your leads today',
};

function who(lead: LeadBrief): string {
  return [lead.name ?? lead.email ?? lead.leadId, lead.company].filter(Boolean).join(', ');
}

/** The facts of the lead as lines of text: origin, deadline, next step, activities. */
function facts(lead: LeadBrief): string[] {
  const lines = [`Source: ${[lead.source, lead.campaign, lead.asset ?? lead.form].filter(Boolean).join(' / ')}`];
  if (lead.email) lines.push(`Email: ${lead.email}`);
  if (lead.phone) lines.push(`Phone: ${lead.phone}`);
  if (lead.sla) {
    const left = lead.sla.timeLeft.startsWith('overdue') ? lead.sla.timeLeft : `${lead.sla.timeLeft} left`;
    lines.push(`Deadline: ${lead.sla.label}, due ${lead.sla.dueAt} (${left})`);
  }
  if (lead.nextStep) lines.push(`Next step: ${lead.nextStep.label}, due ${lead.nextStep.dueAt}`);
  if (lead.activities.length > 0) lines.push(`Latest activity: ${lead.activities.map((activity) => `${activity.activity} (${activity.at})`).join('; ')}`);
  return lines;
}

/** The template every kind starts from. */
export const defaultTemplate: NotificationTemplate = {
  subject: ({ kind, lead }) => `${HEADLINES[kind]}: ${who(lead)}`,
  text: ({ kind, summary, lead }) => [`${HEADLINES[kind]}: ${who(lead)}`, summary, '', ...facts(lead)].join('\n'),
  html: ({ kind, summary, lead }) =>
    html`<h2>${HEADLINES[kind]}: ${who(lead)}</h2><p>${summary}</p><ul>${rawHtml(
      facts(lead)
        .map((line) => html`<li>${line}</li>`)
        .join(''),
    )}</ul>`,
};

/**
 * Templates per kind: the defaults, with the application's overrides (any part of any kind).
 *
 * @example
 * ```ts
 * import { type TemplateInput, templatesWith } from '@leadline/core';
 *
 * const render = templatesWith({ 'sla.breached': { subject: (n) => `Breach: ${n.lead.leadId}` } });
 * const input: TemplateInput = { kind: 'sla.breached', summary: 'first_touch SLA breached', to: ['ann'], lead: { leadId: 'lead-7', source: 'web', state: 'assigned', activities: [] } };
 * render('sla.breached').subject(input); // 'Breach: lead-7'
 * ```
 */
export function templatesWith(
  overrides: Partial<Record<NotificationKind, Partial<NotificationTemplate>>> = {},
): (kind: NotificationKind) => NotificationTemplate {
  return (kind) => ({ ...defaultTemplate, ...overrides[kind] });
}
