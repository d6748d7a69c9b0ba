import { deliveryResultOf, parseRetryAfter } from '@leadline/core/adapter-kit';
import { describe, expect, it } from 'vitest';

describe('HTTP outcomes of a delivery', () => {
  const now = Date.parse('2026-10-21T07:27:00Z');

  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [301, 'failed'],
    [400, 'failed'],
    [401, 'failed'],
    [404, 'failed'],
  ] as const)('HTTP %i is %s', (status, expected) => {
    expect(deliveryResultOf(status, null, '', now).status).toBe(expected);
  });

  it('honours Retry-After in seconds or as a date, and ignores nonsense', () => {
    expect(deliveryResultOf(429, '7', 'slow down', now)).toEqual({ status: 'retry', error: 'HTTP 429: slow down', retryAfterMs: 7000 });
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('reads a Retry-After of more seconds than a number holds as a whole, safe number of ms, for the dispatcher to cap', () => {
    for (const huge of ['99999999999999999999', '9'.repeat(400)]) {
      const ms = parseRetryAfter(huge, now);
      expect(Number.isSafeInteger(ms)).toBe(true);
      expect(ms).toBe(Number.MAX_SAFE_INTEGER);
    }
  });
});
