/**
 * `@leadline/core/testing`: run lead timelines on a virtual clock.
 *
 * @example
 * ```ts
 * import { createTimeline, VirtualClock } from '@leadline/core/testing';
 * ```
 *
 * @module
 */
export { describeLeadStore, type LeadStoreSuiteOptions } from './lead-store-conformance.js';
export { describeNotifier, type NotifierHarness, sampleNotification } from './notifier-conformance.js';
export { createTimeline, Timeline, type TimelineEvent, type TimelineOptions } from './timeline.js';
export { VirtualClock } from './virtual-clock.js';
