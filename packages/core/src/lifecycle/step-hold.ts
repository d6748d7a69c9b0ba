/**
 * When a cadence step coming due must wait: the minimum gap after the lead's last touch, and the
 * contact's cooldown on the step's channel across all their leads.
 *
 * @module
 */
import type { LeadContext } from '../lead/context.js';
import type { MachineEvent } from '../lead/events.js';
import type { CadencePolicy } from '../policies/types.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from '../time/instant.js';
import { contactCooldown, describeContactCooldown } from './contact-cooldown.js';
import { eventTime } from './event-time.js';

/**
 * Why the step coming due must wait, and until when: the minimum gap after this lead's last touch, and
 * the contact's cooldown on the step's channel across all their leads (the engine puts the contact's
 * latest touches on the step's event). The later of the two wins.
 *
 * @example
 * ```ts
 * import type { CadencePolicy, LeadContext, MachineEvent } from '@leadline/core';
 * import { stepHold } from './step-hold.js';
 *
 * declare const policy: CadencePolicy; // the machine's cadence policy
 * declare const context: LeadContext; // a lead on the cadence
 * declare const event: MachineEvent; // the cadence.step_due timer of its next step
 * stepHold(policy, context, event)?.until; // when the step may go out, or undefined when it may now
 * ```
 */
export function stepHold(policy: CadencePolicy | undefined, context: LeadContext, event: MachineEvent): { until: number; why: string } | undefined {
  const cadence = context.cadence;
  if (!policy || !cadence || cadence.nextIsEnd) return undefined;
  const at = eventTime(event);
  const label = cadence.nextLabel ?? 'next step';
  let hold: { until: number; why: string } | undefined;
  if (policy.minGapMs > 0 && context.lastTouchAt !== undefined && at < context.lastTouchAt + policy.minGapMs) {
    const until = context.lastTouchAt + policy.minGapMs;
    hold = {
      until,
      why: `${label} postponed to ${formatInstant(until)}: last touch ${formatInstant(context.lastTouchAt)}, minimum gap ${formatDuration(policy.minGapMs)}`,
    };
  }
  const touches = event.type === 'cadence.step_due' ? event.contactTouches : undefined;
  const cooldown = contactCooldown(policy, cadence.nextChannel, touches, at);
  if (cooldown && (!hold || cooldown.until > hold.until)) hold = { until: cooldown.until, why: describeContactCooldown(label, cooldown) };
  return hold;
}
