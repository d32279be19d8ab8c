import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatPercent, formatRate } from './numbers.js';

describe('number formatting', () => {
  it('groups counts, then goes compact so columns stay narrow; unknown is a dash, not zero', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatCount(123_456)).toBe('123k');
    expect(formatCount(4_500_000)).toBe('4.5M');
    expect(formatCount(undefined)).toBe('—');
  });

  it('formats rates, percentages and sizes', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(2.345)).toBe('2.3/s');
    expect(formatRate(1234)).toBe('1,234/s');
    expect(formatRate(undefined)).toBe('—');
    expect(formatPercent(3.21)).toBe('3.2%');
    expect(formatPercent(45.6)).toBe('46%');
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5GiB');
  });
});
