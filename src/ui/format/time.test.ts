import { describe, expect, it } from 'vitest';
import { formatAge, formatClock, formatCountdown, formatDuration } from './time.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('time formatting (now is always given)', () => {
  it('ages and durations', () => {
    expect(formatAge(NOW - 4_000, NOW)).toBe('4s');
    expect(formatAge(NOW - 180_000, NOW)).toBe('3m');
    expect(formatAge(NOW - 2 * 3_600_000, NOW)).toBe('2h');
    expect(formatAge(undefined, NOW)).toBe('—');
    expect(formatDuration(3_725_000)).toBe('1h 2m');
    expect(formatDuration(undefined)).toBe('—');
  });

  it('counts down to a run, then says it is late', () => {
    expect(formatCountdown(NOW + 42_000, NOW)).toBe('in 42s');
    expect(formatCountdown(NOW + 300, NOW)).toBe('due now');
    expect(formatCountdown(NOW - 12_000, NOW)).toBe('late 12s');
  });

  it('shows the clock in UTC when asked', () => {
    expect(formatClock(NOW + 61_000, true)).toBe('12:01:01');
  });
});
