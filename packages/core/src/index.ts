/**
 * `@leadline/core`: the lead lifecycle machine, its policies, the durable engine and the in-memory store:
 * what an application that embeds Leadline uses. A storage or notification adapter is written against
 * `@leadline/core/adapter-kit`; tests use `@leadline/core/testing`.
 *
 * @example
 * ```ts
 * import { createEngine, firstTouchSla, fixedCadence, nurtureRecycle, leastLoadedRouting } from '@leadline/core';
 * ```
 *
 * @module
 */

export { type Account, type AccountInput, accountSchema, companyDomainOf } from './accounts/account.js';
export type { AccountDirectory } from './accounts/account-directory.js';
export { MemoryAccountDirectory } from './accounts/memory-account-directory.js';
export { alwaysOpen, type BusinessCalendar, calendarFrom, defineCalendar, isBusinessCalendar, type OpenWeek } from './calendar/business-calendar.js';
export { addBusinessTime, businessTimeBetween, isOpen, MAX_CLOSED_DAYS, nextOpenInstant } from './calendar/business-time.js';
export { type BusinessCalendarConfig, businessCalendarConfigSchema, type ParsedCalendarConfig } from './calendar/calendar-config.js';
export type { OpenDay } from './calendar/open-day.js';
export { type Clock, systemClock } from './clock.js';
export { dailyDigests } from './delivery/daily-digest.js';
export { createDispatcher, type Dispatcher, type DispatcherOptions, type DispatchRound } from './delivery/dispatcher.js';
export { defaultTemplate, type NotificationTemplate, type TemplateInput, templatesWith } from './delivery/templates.js';
export { type CaptureResult, createEngine, type DispatchResult, type Engine, type EngineOptions } from './engine/engine.js';
export type { Deadline, ExplainedEntry, LeadView } from './engine/lead-view.js';
export {
  AssignmentConflictError,
  ConcurrencyError,
  ConfigError,
  DuplicateEventError,
  describeProblems,
  EventRejectedError,
  LeadlineError,
  LeadNotFoundError,
  MalformedRowError,
  type Problem,
  RunawayTransitionError,
  TimerDeadLetteredError,
  ValidationError,
  VersionConflictError,
} from './errors.js';
export { type CaptureInput, captureInputSchema, contactKeysOf, dedupeKeyOf, type ParsedCaptureInput } from './lead/capture-input.js';
export { type ConsentFlags, consentBlock, OPT_OUT_CHANNELS, optedOut } from './lead/consent.js';
export {
  activeSlas,
  type CadenceRecord,
  ESCALATION_ACTIONS,
  type EscalationAction,
  type LeadContext,
  type SlaEscalation,
  type SlaOutcome,
  type SlaRecord,
  type SlaTrigger,
} from './lead/context.js';
export {
  type HistoryNote,
  type IntakeEvent,
  type LeadEvent,
  type LeadEventInput,
  type LeadEventType,
  leadEventSchema,
  type MachineEvent,
  type TimerEvent,
  TOUCH_CHANNELS,
  TOUCH_OUTCOMES,
  type TouchChannel,
  type TouchOutcome,
  type UnroutedEvent,
} from './lead/events.js';
export type { LeadBrief } from './lead/lead-brief.js';
export { NOTIFICATION_KINDS, type NotificationKind } from './lead/notification-kind.js';
export { isPhoneRegion, normalizePhone, phoneRegionSchema } from './lead/phone.js';
export { LIFECYCLE_STATES, type LifecycleState, lifecycleOf, TERMINAL_STATES } from './lead/states.js';
export type { LeadMachineInput } from './lifecycle/initial-context.js';
export { createLeadMachine, type LeadMachine, MAX_MICROSTEPS } from './lifecycle/machine.js';
export type { NotifyParams, TeamRequest } from './lifecycle/requests.js';
export {
  EARLIEST_INSTANT,
  LATEST_INSTANT,
  MAX_ATTRIBUTE_KEY_LENGTH,
  MAX_ATTRIBUTES,
  MAX_ATTRIBUTES_JSON_LENGTH,
  MAX_CADENCE_STEPS,
  MAX_DURATION_MS,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_SOURCE_LENGTH,
  MAX_TENANT_ID_LENGTH,
  MAX_TEXT_LENGTH,
  RESERVED_KEYS,
} from './limits.js';
export { escapeHtml, html, rawHtml, SafeHtml } from './notify/escape.js';
export type { DeliveryResult, Notification, Notifier } from './notify/notifier.js';
export {
  DEFAULT_ROUTE,
  type NotificationAudience,
  type NotificationAudiences,
  type NotificationRoute,
  type NotificationRoutes,
  type NotificationRoutesConfig,
  notificationAudiences,
  notificationAudiencesSchema,
  notificationRoutes,
  notificationRoutesSchema,
  type TeamAudience,
  UNOWNED_AUDIENCE,
} from './notify/routes.js';
export { CADENCE_STOPS, type CadencePolicyConfig, cadencePolicy, cadencePolicyConfigSchema } from './policies/cadence-policy.js';
export { calendarClock } from './policies/calendar-clock.js';
export { calendarTime } from './policies/calendar-time.js';
export { type CentralQualificationConfig, centralQualification, centralQualificationConfigSchema } from './policies/central-qualification.js';
export { type DefinedPolicies, definePolicies, type PolicyInput } from './policies/define-policies.js';
export { type FirstTouchSlaConfig, firstTouchSla, firstTouchSlaConfigSchema } from './policies/first-touch-sla.js';
export { type FixedCadenceConfig, fixedCadence, fixedCadenceConfigSchema } from './policies/fixed-cadence.js';
export {
  type ConditionOperators,
  type ConditionValue,
  type FieldCondition,
  type LeadCondition,
  type LeadConditionClause,
  type LeadConditionInput,
  leadCondition,
  leadConditionSchema,
  matchesCondition,
} from './policies/lead-condition.js';
export { type LeastLoadedRoutingConfig, leastLoadedRouting, leastLoadedRoutingConfigSchema } from './policies/least-loaded-routing.js';
export { type NurtureRecycleConfig, nurtureRecycle, nurtureRecycleConfigSchema } from './policies/nurture-recycle.js';
export { type PolicyConfig, policyConfigSchema } from './policies/policy-config.js';
export { policyJsonSchema } from './policies/policy-json-schema.js';
export { type RecyclePolicyConfig, recyclePolicy, recyclePolicyConfigSchema, recycleReasonRefusal } from './policies/recycle-policy.js';
export { type RoutingPolicyConfig, routingPolicy, routingPolicyConfigSchema, type WorkingHours } from './policies/routing-policy.js';
export { type SlaPolicyConfig, slaPolicy, slaPolicyConfigSchema } from './policies/sla-policy.js';
export {
  type CadencePlan,
  type CadencePolicy,
  type CadenceStop,
  DEFAULT_MISSED_STEPS,
  type LeadPolicies,
  type MissedStepRule,
  type NoRoute,
  type QualificationPolicy,
  type RecyclePolicy,
  type RoutingContext,
  type RoutingDecision,
  type RoutingPolicy,
  type SlaPolicy,
  type WorkingClock,
} from './policies/types.js';
export { type ComplexSaleOptions, complexSale } from './presets/complex-sale.js';
export { type PersistentCadenceOptions, persistentCadence } from './presets/persistent-cadence.js';
export { recycleAndNurture } from './presets/recycle-and-nurture.js';
export { type SpeedToLeadOptions, speedToLead } from './presets/speed-to-lead.js';
export { type LeadSummary, summarizeBy, summarizeLeads } from './reports/lead-summary.js';
export { formatSummaryTable } from './reports/summary-table.js';
export type {
  ClaimedMessage,
  ClaimedTimer,
  CommitUnit,
  ContactTouch,
  ContactTouches,
  HistoryEntry,
  LeadQuery,
  LeadStore,
  MaybePromise,
  OutboxMessage,
  OutboxRecord,
  OwnerLoad,
  StoreCapabilities,
  StoredLead,
  TimerDeadLetter,
  TimerRow,
} from './store/lead-store.js';
export { MemoryStore } from './store/memory-store.js';
export { MemoryRepDirectory } from './team/memory-rep-directory.js';
export { isRepAvailable, type Rep, type RepInput, repSchema } from './team/rep.js';
export type { RepDirectory } from './team/rep-directory.js';
export type { Backoff } from './time/backoff.js';
export { DAY, formatDuration, HOUR, MINUTE, parseDuration, WEEK } from './time/duration.js';
export { formatInstant, type InstantInput, instantSchema } from './time/instant.js';
