import type { Notification } from '@leadline/core';

/** An SLA breach about a lead from a demo request, as core's templates would hand it over. */
export function breachNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: 'lead-7:e4:0:slack',
    kind: 'sla.breached',
    channel: 'slack',
    to: ['maria'],
    subject: 'SLA breached: Ada Lovelace (demo_request)',
    text: 'first_touch SLA breached at 2026-03-02T09:05Z for Ada Lovelace',
    html: '<p>first_touch SLA breached at 2026-03-02T09:05Z for Ada Lovelace</p>',
    lead: {
      leadId: 'lead-7',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      source: 'demo_request',
      campaign: 'spring-launch',
      state: 'assigned',
      owner: 'ann',
      activities: [{ activity: 'downloaded pricing.pdf', at: '2026-03-02T08:55:00Z' }],
      sla: { name: 'first_touch', label: 'first touch', dueAt: '2026-03-02T09:05:00Z', timeLeft: '0m' },
    },
    createdAt: '2026-03-02T09:05:00Z',
    ...overrides,
  };
}
