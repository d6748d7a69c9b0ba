import { formatDuration, parseDuration } from '@leadline/core';
import { describe, expect, it } from 'vitest';

describe('durations', () => {
  it('parses the short forms of playbooks', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('250ms')).toBe(250);
  });

  it.each(['', '5', 'm5', '5 minutes', '1h-30m'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(RangeError);
  });

  it('formats the two largest units', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 60_000)).toBe('3d 4h');
    expect(formatDuration(42_000)).toBe('42s');
  });
});
