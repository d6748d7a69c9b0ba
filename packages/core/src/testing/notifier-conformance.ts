/**
 * The `Notifier` conformance suite: what every notification adapter must do, checked against the
 * receiver the adapter's test starts (a local HTTP or SMTP server). Failure modes the harness cannot
 * produce are reported as skipped, by name.
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Notification, Notifier } from '../notify/notifier.js';

/**
 * A notifier wired to a receiver the test controls.
 *
 * @example
 * ```ts
 * import type { Notifier } from '@leadline/core';
 * import type { NotifierHarness } from '@leadline/core/testing';
 *
 * // A notifier that keeps what it delivers in memory: the receiver is the array.
 * const received: { idempotencyKey: string }[] = [];
 * const notifier: Notifier = {
 *   channel: 'log',
 *   deliver: async ({ idempotencyKey }) => {
 *     if (!received.some((entry) => entry.idempotencyKey === idempotencyKey)) received.push({ idempotencyKey });
 *     return { status: 'delivered' };
 *   },
 * };
 * const harness: NotifierHarness = { notifier, received: async () => received };
 * ```
 */
export interface NotifierHarness {
  notifier: Notifier;
  /** What the receiver got so far, in order. */
  received(): Promise<{ idempotencyKey: string }[]>;
  /** Makes the receiver refuse the next delivery: `transient` (worth a retry) or `permanent`. */
  failNext?(mode: 'transient' | 'permanent'): void;
  close?(): Promise<void>;
}

/**
 * A notification to deliver in the suite, with a lead name that must never be taken as markup.
 *
 * @example
 * ```ts
 * import { sampleNotification } from '@leadline/core/testing';
 *
 * const notification = sampleNotification('email');
 * ```
 */
export function sampleNotification(channel: string, key = `lead-1:e1:0:${channel}`): Notification {
  return {
    idempotencyKey: key,
    kind: 'sla.breached',
    channel,
    to: ['ann'],
    subject: 'SLA breached: <script>alert(1)</script>',
    text: 'first_touch SLA breached for lead lead-1',
    html: '<p>first_touch SLA breached for &lt;script&gt;alert(1)&lt;/script&gt;</p>',
    lead: {
      leadId: 'lead-1',
      name: '<script>alert(1)</script>',
      source: 'demo_request',
      state: 'assigned',
      activities: [{ activity: 'pricing_page_visit', at: '2026-03-02T09:00Z' }],
    },
    createdAt: '2026-03-02T09:05Z',
  };
}

/**
 * Declares the conformance suite for a notifier.
 *
 * @example
 * ```ts
 * // test/log-notifier.test.ts
 * import type { Notifier } from '@leadline/core';
 * import { describeNotifier } from '@leadline/core/testing';
 *
 * describeNotifier('log', {
 *   create: async () => {
 *     const received: { idempotencyKey: string }[] = [];
 *     const notifier: Notifier = {
 *       channel: 'log',
 *       deliver: async ({ idempotencyKey }) => {
 *         if (!received.some((entry) => entry.idempotencyKey === idempotencyKey)) received.push({ idempotencyKey });
 *         return { status: 'delivered' };
 *       },
 *     };
 *     return { notifier, received: async () => received };
 *   },
 * });
 * ```
 */
export function describeNotifier(
  name: string,
  options: { create(): Promise<NotifierHarness> /** The harness can make its receiver refuse (`failNext`). */; failures?: boolean },
): void {
  const withHarness = (test: (harness: NotifierHarness) => Promise<void>) => async () => {
    const harness = await options.create();
    try {
      await test(harness);
    } finally {
      await harness.close?.();
    }
  };

  describe(`Notifier conformance: ${name}`, () => {
    it(
      'delivers, and the receiver gets the idempotency key',
      withHarness(async ({ notifier, received }) => {
        const result = await notifier.deliver(sampleNotification(notifier.channel));
        expect(result).toEqual(expect.objectContaining({ status: 'delivered' }));
        expect((await received()).map((delivery) => delivery.idempotencyKey)).toEqual([`lead-1:e1:0:${notifier.channel}`]);
      }),
    );

    it(
      'delivers a redelivery with the same key, so receivers can dedupe',
      withHarness(async ({ notifier, received }) => {
        const notification = sampleNotification(notifier.channel, 'lead-1:e2:0:again');
        await notifier.deliver(notification);
        await notifier.deliver(notification);
        expect((await received()).map((delivery) => delivery.idempotencyKey)).toEqual(['lead-1:e2:0:again', 'lead-1:e2:0:again']);
      }),
    );

    // A harness that cannot make its receiver refuse has these reported as skipped, by name.
    const withFailures = it.skipIf(!options.failures);
    withFailures(
      'reports a transient refusal as worth a retry, without throwing',
      withHarness(async ({ notifier, failNext }) => {
        expect(failNext).toBeDefined();
        failNext?.('transient');
        expect((await notifier.deliver(sampleNotification(notifier.channel))).status).toBe('retry');
      }),
    );

    withFailures(
      'reports a permanent refusal as failed, without throwing',
      withHarness(async ({ notifier, failNext }) => {
        expect(failNext).toBeDefined();
        failNext?.('permanent');
        expect((await notifier.deliver(sampleNotification(notifier.channel))).status).toBe('failed');
      }),
    );
  });
}
