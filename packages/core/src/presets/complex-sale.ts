/**
 * The complex-sale playbook: every inquiry is qualified centrally within 2 hours; sales-ready leads go
 * to a rep who must follow up within 8 hours; untouched after 24 hours the rep's manager is notified;
 * untouched after 48 hours the lead is reassigned to the rep with the most spare capacity (never back to
 * the rep who let it wait).
 *
 * @module
 */
import type { BusinessCalendarConfig } from '../calendar/calendar-config.js';
import type { NotificationRoute } from '../notify/routes.js';
import type { PolicyInput } from '../policies/define-policies.js';
import type { PolicyConfig } from '../policies/policy-config.js';

const OFFICE = ['09:00-17:00'];

/**
 * Options of {@link complexSale}.
 *
 * @example
 * ```ts
 * import type { ComplexSaleOptions } from '@leadline/core';
 *
 * const options: ComplexSaleOptions = { calendar: { timeZone: 'America/New_York', weekly: { mon: ['08:00-18:00'] } }, time: 'business' };
 * ```
 */
export interface ComplexSaleOptions {
  /** The sales team's hours; Monday to Friday 09:00-17:00 in Europe/Berlin by default. */
  calendar?: BusinessCalendarConfig;
  /** Count the targets in the calendar's business hours (default) or in calendar time. */
  time?: 'business' | 'calendar';
}

/**
 * While a lead is in central qualification it has no owner, so the qualification SLA's warning and
 * breach are for the qualification team; once a rep owns the lead (the follow-up SLA), they are the
 * rep's again. The `default` channel is the one notifier, or the notifier named `default`.
 */
function toQualification(): NotificationRoute[] {
  return [{ channel: 'default', unowned: 'team:qualification' }];
}

/**
 * Calendars, qualification, SLA and routing sections of the complex-sale playbook, and the routes that
 * send the qualification SLA's warning and breach to the qualification team. Reps come from the
 * engine's rep directory (give them a `capacity` and a `manager`); the engine needs an audience
 * `qualification` (its `audiences` option), or `createEngine` throws a `ConfigError`.
 *
 * @example
 * ```ts
 * import { complexSale, createEngine, definePolicies, MemoryRepDirectory, persistentCadence, recycleAndNurture } from '@leadline/core';
 *
 * const { calendars, ...policies } = definePolicies({ ...complexSale(), ...persistentCadence(), ...recycleAndNurture() });
 * const reps = [{ id: 'ann', capacity: 30, manager: 'maria' }, { id: 'bob', capacity: 20, manager: 'maria' }];
 * const engine = createEngine({ policies, reps: new MemoryRepDirectory({ default: reps }), audiences: { qualification: ['qa-desk@example.com'] } });
 * ```
 */
export function complexSale({
  calendar = { timeZone: 'Europe/Berlin', weekly: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE } },
  time = 'business',
}: ComplexSaleOptions = {}): Pick<PolicyConfig, 'calendars' | 'qualification' | 'sla' | 'routing'> & Required<Pick<PolicyInput, 'notificationRoutes'>> {
  const clock = time === 'business' ? 'sales' : 'calendar';
  return {
    calendars: { sales: calendar },
    qualification: {},
    sla: {
      slas: [
        { name: 'qualification', startsOn: 'captured', endsOn: ['lead.qualified'], within: '2h', clock, warnAt: '75%' },
        {
          name: 'follow_up',
          startsOn: 'assigned',
          endsOn: ['touch.logged'],
          within: '8h',
          clock,
          escalations: [
            { after: '24h', action: 'notify_manager' },
            { after: '48h', action: 'reassign', avoidLast: 2 },
          ],
        },
      ],
    },
    routing: { pools: [{ name: 'sales', reps: 'directory', method: 'spare_capacity' }] },
    notificationRoutes: { 'sla.warning': toQualification(), 'sla.breached': toQualification() },
  };
}
