/**
 * What a lead's machine starts from: the validated intake, the ids the engine chose and what intake found
 * out, turned into the first context (with the SLAs that start at capture).
 *
 * @module
 */
import type { ParsedCaptureInput } from '../lead/capture-input.js';
import type { LeadContext } from '../lead/context.js';
import type { LeadPolicies } from '../policies/types.js';
import { startSlas } from './sla-clock.js';

/**
 * What the machine starts from: the validated intake and the ids the engine chose.
 *
 * @example
 * ```ts
 * import { captureInputSchema, type LeadMachineInput } from '@leadline/core';
 *
 * const lead = captureInputSchema.parse({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'demo_request', contact: { email: 'ada@example.com' } });
 * const input: LeadMachineInput = { leadId: 'lead-1', tenantId: 'default', lead };
 * ```
 */
export interface LeadMachineInput {
  leadId: string;
  tenantId: string;
  lead: ParsedCaptureInput;
  /** What intake found out: the company's account, an owner the lead should go to. */
  found?: Pick<LeadContext, 'account' | 'ownerHint'>;
}

/**
 * The context of a new lead: its intake fields copied (optional ones only when present, so a stored
 * context has no `undefined` keys), no owner and no touches yet, and the SLAs that start at capture.
 *
 * @example
 * ```ts
 * import { captureInputSchema, firstTouchSla } from '@leadline/core';
 * import { initialContext } from './initial-context.js';
 *
 * const lead = captureInputSchema.parse({ id: 'form-1', at: '2026-03-02T09:00:00Z', source: 'demo_request', contact: { email: 'ada@example.com' } });
 * const context = initialContext({ leadId: 'lead-1', tenantId: 'default', lead }, { sla: firstTouchSla({ within: '5m' }) });
 * context.slas[0]?.dueAt; // Date.parse('2026-03-02T09:05:00Z'): the first-touch SLA starts at capture
 * ```
 */
export function initialContext({ leadId, tenantId, lead, found }: LeadMachineInput, policies: LeadPolicies): LeadContext {
  const context: LeadContext = {
    leadId,
    tenantId,
    capturedAt: lead.at,
    source: lead.source,
    priority: lead.priority,
    contact: { ...lead.contact },
    doNotCall: lead.doNotCall,
    doNotEmail: lead.doNotEmail,
    previousOwners: [],
    qualified: false,
    touches: 0,
    slas: [],
    recycle: { count: 0, reengaged: 0 },
    engagement: { count: 0 },
    merges: 0,
    cadenceRuns: 0,
  };
  if (lead.campaign !== undefined) context.campaign = lead.campaign;
  if (lead.asset !== undefined) context.asset = lead.asset;
  if (lead.form !== undefined) context.form = lead.form;
  if (lead.segment !== undefined) context.segment = lead.segment;
  if (lead.territory !== undefined) context.territory = lead.territory;
  if (found?.account !== undefined) context.account = found.account;
  if (found?.ownerHint !== undefined) context.ownerHint = found.ownerHint;
  if (lead.score !== undefined) context.score = lead.score;
  if (lead.attributes !== undefined) context.attributes = { ...lead.attributes };
  context.slas = startSlas(context, policies.sla, 'captured', lead.at);
  return context;
}
