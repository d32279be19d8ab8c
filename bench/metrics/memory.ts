/**
 * Metric 5 — memory over a simulated day: RSS after 86,400 refreshes (ManualClock, the real
 * pipeline code over fakes whose offsets grow; see memoryChild.ts) against RSS after 1,000,
 * each read after forced gc, in a child process per run; the median growth over the runs.
 */
import { runChild } from '../lib/child.js';
import { measured, type MetricResult } from '../lib/result.js';
import { median, round } from '../lib/stats.js';

interface Reading {
  cycle: number;
  rssMb: number;
  heapUsedMb: number;
}

interface ChildOutput {
  cycles: number;
  readings: Reading[];
  events: number;
  topics: number;
}

export async function memory(runs: number, cycles = 86_400): Promise<MetricResult> {
  const growth: number[] = [];
  const heapGrowth: number[] = [];
  const curves: string[] = [];
  for (let i = 0; i < runs; i++) {
    const out = await runChild<ChildOutput>('bench/metrics/memoryChild.ts', [String(cycles)], { nodeArgs: ['--expose-gc'], env: { NODE_ENV: undefined } });
    const first = out.readings.find((r) => r.cycle === 1_000)!;
    const last = out.readings.find((r) => r.cycle === cycles)!;
    growth.push(last.rssMb - first.rssMb);
    heapGrowth.push(last.heapUsedMb - first.heapUsedMb);
    curves.push(out.readings.map((r) => `${r.cycle / 1000}k:${round(r.rssMb, 1)}`).join(' '));
  }
  // Diagnostic: the same run with V8's young generation fixed at its full size from the start.
  // If RSS then stays flat, the growth above is the young generation sizing itself up, not retained data.
  const fixed = await runChild<ChildOutput>('bench/metrics/memoryChild.ts', [String(cycles)], { nodeArgs: ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'], env: { NODE_ENV: undefined } });
  const fixedGrowth = fixed.readings.find((r) => r.cycle === cycles)!.rssMb - fixed.readings.find((r) => r.cycle === 1_000)!.rssMb;
  return measured(
    `5 RSS growth, 1,000 → ${cycles.toLocaleString('en')} refreshes`,
    round(median(growth), 2),
    'MB',
    { op: '<=', value: 10 },
    `median of ${runs} child runs (node --expose-gc, gc before each reading); RSS growth per run ${growth.map((g) => round(g, 2)).join(', ')} MB; JS heap growth ${heapGrowth.map((g) => round(g, 3)).join(', ')} MB; RSS MB by refresh count: ${curves[0]}; diagnostic run with the young generation fixed at 16 MB semi-spaces: RSS growth ${round(fixedGrowth, 2)} MB`,
    { rssGrowthMb: growth.map((g) => round(g, 3)), heapGrowthMb: heapGrowth.map((g) => round(g, 3)), curves, fixedSemiSpaceRssGrowthMb: round(fixedGrowth, 3) },
  );
}
