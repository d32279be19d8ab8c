import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatRate } from './format.js';

describe('format', () => {
  it('durations read like a person says them', () => {
    expect([850, 45_000, 180_000, 190_000, 900_000, 3_600_000, 3_900_000, 90_000_000].map(formatDuration)).toEqual([
      '0s', '45s', '3m', '3m 10s', '15m', '1h', '1h 5m', '1d 1h',
    ]);
    expect(formatDuration(-5)).toBe('0s');
  });

  it('counts and rates', () => {
    expect(formatCount(1204)).toBe('1,204');
    expect([0, 0.5, 9.876, 12.34, 40, 1234.5].map(formatRate)).toEqual(['0', '0.5', '9.88', '12.3', '40', '1,235']);
  });
});
