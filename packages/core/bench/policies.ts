/** The policy set both sides of the engine benchmark run: a first-touch SLA, a three-step cadence, recycling. */
import {
  definePolicies,
  firstTouchSla,
  fixedCadence,
  type LeadPolicies,
  nurtureRecycle,
  persistentCadence,
  recycleAndNurture,
  speedToLead,
} from '@leadline/core';

export const minimalPolicies: LeadPolicies = {
  sla: firstTouchSla({ within: '1h', bySource: { demo_request: '5m' } }),
  cadence: fixedCadence({
    steps: [
      { channel: 'call', after: '0m' },
      { channel: 'email', after: '1d' },
      { channel: 'call', after: '3d' },
    ],
  }),
  recycle: nurtureRecycle({ recheckAfter: '90d' }),
};

/** The playbook presets an embedding app would start from: speed to lead, a persistent cadence, recycling. */
const { calendars: _calendars, ...presets } = definePolicies({ ...speedToLead(), ...persistentCadence(), ...recycleAndNurture() });
export const presetPolicies: LeadPolicies = presets;
