// Policy sets shared by the tests, so each test states only what differs.
import { centralQualification, firstTouchSla, fixedCadence, type LeadPolicies, leastLoadedRouting, nurtureRecycle } from '@leadline/core';

export const fiveMinuteSla = { sla: firstTouchSla({ within: '5m' }) } satisfies LeadPolicies;

export const fullPolicies = {
  sla: firstTouchSla({ within: '1h', bySource: { demo_request: '5m' } }),
  cadence: fixedCadence({
    steps: [
      { channel: 'call', after: '0m' },
      { channel: 'email', after: '1h' },
      { channel: 'call', after: '1d' },
      { channel: 'social', after: '3d' },
    ],
    closeAfter: '2d',
  }),
  recycle: nurtureRecycle({ recheckAfter: '90d', maxRecycles: 2, intentActivities: ['pricing_page_visit'] }),
  routing: leastLoadedRouting({ reps: ['ann', 'bob'] }),
} satisfies LeadPolicies;

export const qualifyingPolicies = { ...fullPolicies, qualification: centralQualification({ sources: ['event'] }) } satisfies LeadPolicies;
