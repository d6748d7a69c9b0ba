/**
 * `@leadline/core/adapter-kit`: what a storage or notification adapter is written against. The
 * `LeadStore` port and its records, the `Notifier` port and its messages, the errors a store throws, and
 * the helpers our own adapters share: the HTTP outcome mapping, HTML escaping, the retry backoff and the
 * lead's brief. An application that only runs the engine imports from `@leadline/core` instead; the
 * conformance suites an adapter runs are in `@leadline/core/testing`.
 *
 * @example
 * ```ts
 * import { type DeliveryResult, deliveryResultOf, type Notification, type Notifier } from '@leadline/core/adapter-kit';
 *
 * export function hookNotifier(url: string): Notifier {
 *   return {
 *     channel: 'hook',
 *     async deliver(notification: Notification): Promise<DeliveryResult> {
 *       const response = await fetch(url, { method: 'POST', body: JSON.stringify(notification) });
 *       return deliveryResultOf(response.status, response.headers.get('retry-after'), '', Date.now());
 *     },
 *   };
 * }
 * ```
 *
 * @module
 */

export {
  AssignmentConflictError,
  ConfigError,
  DuplicateEventError,
  LeadlineError,
  MalformedRowError,
  type Problem,
  ValidationError,
  VersionConflictError,
} from '../errors.js';
export { briefOf, type LeadBrief } from '../lead/lead-brief.js';
export { LIFECYCLE_STATES, type LifecycleState } from '../lead/states.js';
export { TOUCH_CHANNELS, type TouchChannel } from '../lead/touch.js';
export { escapeHtml, html, rawHtml, SafeHtml } from '../notify/escape.js';
export { deliveryResultOf, parseRetryAfter } from '../notify/http-outcome.js';
export type { DeliveryResult, Notification, Notifier } from '../notify/notifier.js';
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
} from '../store/lead-store.js';
export { LAST_OUTBOX_INSTANT } from '../store/lead-store.js';
export { type Backoff, retryDelay } from '../time/backoff.js';
