/**
 * Metric 5 — memory over a simulated day: RSS after 86,400 refreshes against RSS after 1,000,
 * each read after forced gc, in a child process per run (memoryChild.ts): the real pipeline
 * code over fakes whose offsets grow, under a ManualClock, with the console's <App> drawing
 * every refresh through Ink's real renderer (NODE_ENV=production, as bin/sfpipe.js runs it).
 * The value is the median growth over the runs. A diagnostic run without the UI shows what
 * the pipeline alone does, and one more with V8's young generation fixed at its full size
 * shows how much of that is the young generation sizing itself up rather than retained data.
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
  frames: number;
  readings: Reading[];
  events: number;
  topics: number;
}

const growthOf = (out: ChildOutput, cycles: number, key: 'rssMb' | 'heapUsedMb') => out.readings.find((r) => r.cycle === cycles)![key] - out.readings.find((r) => r.cycle === 1_000)![key];
const curveOf = (out: ChildOutput) => out.readings.map((r) => `${r.cycle / 1000}k:${round(r.rssMb, 1)}`).join(' ');

export async function memory(runs: number, cycles = 86_400): Promise<MetricResult> {
  const growth: number[] = [];
  const heapGrowth: number[] = [];
  const curves: string[] = [];
  let frames = 0;
  for (let i = 0; i < runs; i++) {
    const out = await runChild<ChildOutput>('bench/metrics/memoryChild.ts', [String(cycles), 'ui'], { nodeArgs: ['--expose-gc'], env: { NODE_ENV: 'production' } });
    growth.push(growthOf(out, cycles, 'rssMb'));
    heapGrowth.push(growthOf(out, cycles, 'heapUsedMb'));
    curves.push(curveOf(out));
    frames = out.frames;
  }
  const pipelineOnly = await runChild<ChildOutput>('bench/metrics/memoryChild.ts', [String(cycles)], { nodeArgs: ['--expose-gc'], env: { NODE_ENV: 'production' } });
  const fixed = await runChild<ChildOutput>('bench/metrics/memoryChild.ts', [String(cycles)], { nodeArgs: ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'], env: { NODE_ENV: 'production' } });
  const pipelineGrowth = growthOf(pipelineOnly, cycles, 'rssMb');
  const fixedGrowth = growthOf(fixed, cycles, 'rssMb');
  return measured(
    `5 RSS growth, 1,000 → ${cycles.toLocaleString('en')} refreshes`,
    round(median(growth), 2),
    'MB',
    { op: '<=', value: 10 },
    `median of ${runs} child runs of the pipeline with the console drawing every refresh (${frames.toLocaleString('en')} frames written in the last run; node --expose-gc, gc before each reading); ` +
      `RSS growth per run ${growth.map((g) => round(g, 2)).join(', ')} MB; JS heap growth ${heapGrowth.map((g) => round(g, 3)).join(', ')} MB; RSS MB by refresh count: ${curves[0]}. ` +
      `Diagnostics: the pipeline without the UI ${round(pipelineGrowth, 2)} MB (${curveOf(pipelineOnly)}; heap ${round(growthOf(pipelineOnly, cycles, 'heapUsedMb'), 3)} MB), ` +
      `and so with the young generation fixed at 16 MB semi-spaces ${round(fixedGrowth, 2)} MB: what the pipeline alone grows is V8's young generation sizing up, which the drawing console has done before its 1,000th refresh`,
    { rssGrowthMb: growth.map((g) => round(g, 3)), heapGrowthMb: heapGrowth.map((g) => round(g, 3)), curves, frames, pipelineOnlyRssGrowthMb: round(pipelineGrowth, 3), fixedSemiSpaceRssGrowthMb: round(fixedGrowth, 3) },
  );
}
