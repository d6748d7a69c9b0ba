/**
 * The speed-to-lead playbook: hand-raisers (demo and contact requests, chat) are touched within 5
 * minutes, content downloads within an hour, nothing waits longer than 24 hours; the whole hand-over
 * (intake to an owner) finishes within 24 hours.
 *
 * @module
 */
import type { PolicyConfig } from '../policies/policy-config.js';

/**
 * Options of {@link speedToLead}.
 *
 * @example
 * ```ts
 * import type { SpeedToLeadOptions } from '@leadline/core';
 *
 * const options: SpeedToLeadOptions = { handRaisers: ['demo_request', 'trial_signup'], clock: 'emea' };
 * ```
 */
export interface SpeedToLeadOptions {
  /** Sources that get the 5-minute target. */
  handRaisers?: string[];
  /** Sources that get the 1-hour target. */
  contentSources?: string[];
  /** `calendar` (default) or the name of a business calendar in the same config. */
  clock?: string;
}

/**
 * The SLA section of the speed-to-lead playbook.
 *
 * @example
 * ```ts
 * import { definePolicies, persistentCadence, speedToLead } from '@leadline/core';
 *
 * const { calendars, ...policies } = definePolicies({ ...speedToLead(), ...persistentCadence() });
 * ```
 */
export function speedToLead({
  handRaisers = ['demo_request', 'contact_request', 'chat'],
  contentSources = ['content_download', 'webinar'],
  clock = 'calendar',
}: SpeedToLeadOptions = {}): Pick<PolicyConfig, 'sla'> {
  return {
    sla: {
      slas: [
        {
          name: 'first_touch',
          startsOn: 'captured',
          endsOn: ['touch.logged'],
          within: '24h',
          targets: [
            { when: { source: handRaisers }, within: '5m' },
            { when: { source: contentSources }, within: '1h' },
          ],
          clock,
          warnAt: '80%',
          escalations: [{ after: '24h', action: 'notify_manager' }],
        },
        { name: 'hand_over', startsOn: 'captured', endsOn: ['lead.assigned'], within: '24h', clock },
      ],
    },
  };
}
