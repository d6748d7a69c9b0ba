/**
 * The Slack message for a notification: a `text` fallback (what push notifications and screen readers
 * show) and Block Kit `blocks` that put the lead's context in front of the rep: who, from where, how long
 * until the SLA runs out, what to do next and what the prospect just did.
 *
 * @module
 */
import type { LeadBrief, Notification } from '@leadline/core/adapter-kit';
import { escapeWithin } from './mrkdwn.js';

/**
 * A Block Kit text object.
 *
 * @example
 * ```ts
 * import type { SlackText } from '@leadline/slack';
 *
 * const text: SlackText = { type: 'mrkdwn', text: '*Source*\ndemo_request' };
 * ```
 */
export type SlackText = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };

/**
 * The Block Kit blocks this adapter sends.
 *
 * @example
 * ```ts
 * import type { SlackBlock } from '@leadline/slack';
 *
 * const block: SlackBlock = { type: 'header', text: { type: 'plain_text', text: 'SLA breached' } };
 * ```
 */
export type SlackBlock =
  | { type: 'header'; text: SlackText & { type: 'plain_text' } }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

/**
 * The body of an incoming-webhook POST.
 *
 * @example
 * ```ts
 * import type { SlackMessage } from '@leadline/slack';
 *
 * const message: SlackMessage = { text: 'SLA breached: Ada Lovelace', blocks: [] };
 * ```
 */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

// Slack's own limits (Block Kit reference); one text over its limit makes Slack refuse the whole message.
const HEADER_MAX = 150;
const FIELD_MAX = 2000;
const FALLBACK_MAX = 3000;
/** Enough to see what the prospect is doing without turning the message into a log (and far below a section's 3000). */
const MAX_ACTIVITIES = 5;

/**
 * Builds the Slack message for a notification. Every value that comes from the lead (and the subject and
 * text, which templates build from it) is escaped, so a lead cannot mention `@channel` or hide a link.
 *
 * @example
 * ```ts
 * import type { Notification } from '@leadline/core';
 * import { slackMessageOf } from '@leadline/slack';
 *
 * declare const notification: Notification; // as the dispatcher hands it over
 * const { text, blocks } = slackMessageOf(notification);
 * blocks[0]; // { type: 'header', text: { type: 'plain_text', text: 'SLA breached: Ada Lovelace', emoji: true } }
 * ```
 */
export function slackMessageOf(notification: Notification): SlackMessage {
  const { lead } = notification;
  if (!lead) return digestMessageOf(notification);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: escapeWithin(notification.subject, HEADER_MAX), emoji: true } },
    { type: 'section', fields: leadFields(lead) },
  ];
  const deadlines = deadlineLines(lead);
  if (deadlines.length > 0) blocks.push({ type: 'context', elements: deadlines.map((text) => ({ type: 'mrkdwn', text })) });
  if (lead.activities.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: activityList(lead) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer(lead, notification.idempotencyKey) }] });
  return { text: escapeWithin(notification.text, FALLBACK_MAX), blocks };
}

/** A daily digest: the header, then one line per lead (overdue ones first, as the digest orders them). */
function digestMessageOf(notification: Notification): SlackMessage {
  const leads = notification.leads ?? [];
  const lines = leads.map((lead) => {
    const who = escapeWithin([lead.name ?? lead.leadId, lead.company].filter(Boolean).join(', '), 200);
    const sla = lead.sla ? ` · ${escapeWithin(lead.sla.label, 200)}: ${escapeWithin(lead.sla.timeLeft, 100)}` : '';
    return `• *${who}* (${escapeWithin(lead.source, 100)}, ${escapeWithin(lead.state, 50)})${sla}`;
  });
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: escapeWithin(notification.subject, HEADER_MAX), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900) || 'No open leads.' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `ref ${escapeWithin(notification.idempotencyKey, 300)}` }] },
  ];
  return { text: escapeWithin(notification.text, FALLBACK_MAX), blocks };
}

function leadFields(lead: LeadBrief): SlackText[] {
  const fields: [string, string | undefined][] = [
    ['Name', lead.name ?? 'unknown'],
    ['Company', lead.company],
    ['Source', lead.source],
    ['Campaign', lead.campaign],
    ['Asset', lead.asset],
    ['Form', lead.form],
  ];
  return fields.flatMap(([label, value]) =>
    value ? [{ type: 'mrkdwn' as const, text: `*${label}*\n${escapeWithin(value, FIELD_MAX - label.length - 3)}` }] : [],
  );
}

function deadlineLines(lead: LeadBrief): string[] {
  const lines: string[] = [];
  if (lead.sla) {
    lines.push(`:alarm_clock: *${escapeWithin(lead.sla.label, 200)}* due ${slackDate(lead.sla.dueAt)}, time left: ${escapeWithin(lead.sla.timeLeft, 100)}`);
  }
  if (lead.nextStep) {
    lines.push(
      `:arrow_right: Next step: ${escapeWithin(lead.nextStep.label, 200)} (${escapeWithin(lead.nextStep.channel, 50)}) ${slackDate(lead.nextStep.dueAt)}`,
    );
  }
  return lines;
}

function activityList(lead: LeadBrief): string {
  const items = lead.activities.slice(0, MAX_ACTIVITIES).map((entry) => `• ${escapeWithin(entry.activity, 300)} · ${slackDate(entry.at)}`);
  const more = lead.activities.length - MAX_ACTIVITIES;
  if (more > 0) items.push(`_and ${more} earlier_`);
  return `*Latest activity*\n${items.join('\n')}`;
}

/** Lead, state, owner, and the idempotency key: Slack cannot dedupe, so a redelivery is recognisable by it. */
function footer(lead: LeadBrief, idempotencyKey: string): string {
  const parts = [`Lead ${escapeWithin(lead.leadId, 200)}`, escapeWithin(lead.state, 100)];
  if (lead.owner) parts.push(`owner ${escapeWithin(lead.owner, 200)}`);
  parts.push(`ref ${escapeWithin(idempotencyKey, 300)}`);
  return parts.join(' · ');
}

/**
 * Slack's date token shows the instant in each reader's own time zone; the ISO text is the fallback for
 * clients that cannot format it.
 */
function slackDate(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return escapeWithin(iso, 100);
  return `<!date^${Math.floor(at / 1000)}^{date_short_pretty} {time}|${new Date(at).toISOString()}>`;
}
