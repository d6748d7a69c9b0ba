import type { Notification } from '@leadline/core';
import { breachNotification as webhookBreach } from '../../webhook/test/notification.js';

/** The webhook tests' SLA breach about a lead from a demo request, addressed to the Slack channel. */
export function breachNotification(overrides: Partial<Notification> = {}): Notification {
  return webhookBreach({ idempotencyKey: 'lead-7:e4:0:slack', channel: 'slack', ...overrides });
}
