import { describe, expect, it } from 'vitest';
import { max, mean, median, percentile, summarize } from '../../bench/lib/stats.js';

describe('bench statistics', () => {
  it('percentile interpolates between closest ranks', () => {
    const xs = [10, 20, 30, 40, 50];
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 25)).toBe(20);
    expect(percentile(xs, 95)).toBeCloseTo(48, 10);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it('does not depend on input order and does not reorder the input', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(percentile(xs, 50)).toBe(3);
    expect(xs).toEqual([5, 1, 4, 2, 3]);
  });

  it('median of even and odd counts; NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(percentile([7], 95)).toBe(7);
  });

  it('rejects a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });

  it('summarize gives n, min, median, p95, max, mean', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(xs)).toEqual({ n: 100, min: 1, median: 50.5, p95: 95.05, max: 100, mean: 50.5 });
    expect(max([-3, -1, -2])).toBe(-1);
    expect(mean([1, 2, 6])).toBe(3);
  });
});
