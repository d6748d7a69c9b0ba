/**
 * The event stream both sides of the engine benchmark run: every lead is captured, assigned, touched,
 * engaged and converted, with instants one minute apart, so the SLA and cadence timers are scheduled
 * and cancelled along the way.
 */
import type { CaptureInput, LeadEventInput } from '@leadline/core';

export interface LeadScript {
  capture: CaptureInput & { leadId: string };
  events: (LeadEventInput & { at: number })[];
}

const START = Date.parse('2026-03-02T09:00:00Z');

export function eventStream(leads: number): LeadScript[] {
  const scripts: LeadScript[] = [];
  for (let index = 0; index < leads; index++) {
    const leadId = `lead-${index}`;
    const at = START + index * 1000;
    const minute = (n: number) => at + n * 60_000;
    scripts.push({
      capture: {
        id: `${leadId}/intake`,
        leadId,
        at,
        source: index % 3 === 0 ? 'demo_request' : 'content_download',
        contact: { email: `p${index}@example.com` },
      },
      events: [
        { type: 'lead.assigned', id: `${leadId}/1`, at: minute(1), owner: `rep-${index % 7}` },
        { type: 'touch.logged', id: `${leadId}/2`, at: minute(3), channel: 'call', outcome: 'voicemail' },
        { type: 'activity.recorded', id: `${leadId}/3`, at: minute(4), activity: 'pricing_page_visit' },
        { type: 'touch.logged', id: `${leadId}/4`, at: minute(6), channel: 'email', outcome: 'sent' },
        { type: 'prospect.replied', id: `${leadId}/5`, at: minute(9), channel: 'email' },
        { type: 'meeting.booked', id: `${leadId}/6`, at: minute(12) },
        { type: 'lead.converted', id: `${leadId}/7`, at: minute(20) },
      ],
    });
  }
  return scripts;
}

/** Events per lead, the capture included. */
export function eventsIn(scripts: LeadScript[]): number {
  return scripts.reduce((sum, script) => sum + 1 + script.events.length, 0);
}
