/** Summary statistics for benchmark samples: pure functions, no I/O. */

/** The p-th percentile (0..100) by linear interpolation between closest ranks; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100 || Number.isNaN(p)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  return samples.reduce((s, x) => s + x, 0) / samples.length;
}

export function max(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((m, x) => (x > m ? x : m), -Infinity);
}

export function min(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((m, x) => (x < m ? x : m), Infinity);
}

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  return { n: samples.length, min: min(samples), median: median(samples), p95: percentile(samples, 95), max: max(samples), mean: mean(samples) };
}

/** Round for display and JSON: 3 significant decimals is plenty for ms and percentages. */
export function round(x: number, decimals = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
