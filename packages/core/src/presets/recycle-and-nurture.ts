/**
 * The hand-back-and-recycle playbook: sales can always hand a lead back with a reason; it is nurtured,
 * re-checked at 3, 6 and 12 months, re-engaged on new intent, and recycled at most 3 times.
 *
 * @module
 */
import type { PolicyConfig } from '../policies/policy-config.js';

const QUARTERLY = ['90d', '180d', '365d'];

/**
 * The recycle section of the playbook. Reasons: `not_ready`, `no_budget`, `timing`, `no_response` (the
 * cadence's), re-checked at 3, 6 and 12 months; `wrong_contact` closes the lead.
 *
 * @example
 * ```ts
 * import { definePolicies, persistentCadence, recycleAndNurture, speedToLead } from '@leadline/core';
 *
 * const { calendars, ...policies } = definePolicies({ ...speedToLead(), ...persistentCadence(), ...recycleAndNurture() });
 * ```
 */
export function recycleAndNurture(): Pick<PolicyConfig, 'recycle'> {
  return {
    recycle: {
      reasons: {
        not_ready: { recheck: QUARTERLY },
        no_budget: { nurtureFor: '30d', recheck: QUARTERLY },
        timing: { recheck: QUARTERLY },
        no_response: { recheck: QUARTERLY },
        wrong_contact: { closes: true },
      },
      maxRecycles: 3,
      reengageOn: { activities: ['pricing_page_visit', 'demo_request'], minScore: 80 },
    },
  };
}
