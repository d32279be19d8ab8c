/**
 * Metric 3 — start-up. (a) From the console process's start (a marker written just before
 * exec, in tmux) to the first screen whose header shows every source answered: ok, or not
 * configured in this build. (b) `sfpipe --version`, wall time of N runs.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveSources, SFPIPE_BIN, startConsole, waitForData } from '../lib/console.js';
import { measured, notMeasured, type MetricResult } from '../lib/result.js';
import { median, round, summarize } from '../lib/stats.js';
import type { Tmux } from '../lib/tmux.js';

export async function startupToData(tmux: Tmux, setup: { cwd: string; env: Record<string, string> }, runs: number): Promise<MetricResult> {
  const name = '3a start-up to first frame with data (harness, demo stack)';
  const goal = { op: '<=' as const, value: 1_000 };
  const times: number[] = [];
  const firstFrames: number[] = [];
  const perSource: Record<string, number[]> = {};
  let live: string[] = [];
  let lastScreen = '';
  for (let i = 0; i < runs; i++) {
    const c = await startConsole(tmux, `startup-${i}`, setup);
    try {
      const r = await waitForData(tmux, c, 15_000);
      lastScreen = r.screen;
      if (r.ms === undefined) return notMeasured(name, 'ms', goal, `run ${i + 1}: no frame with data within 15 s; screen header: ${r.screen.split('\n').slice(0, 2).join(' / ').trim().slice(0, 200)}`);
      times.push(r.ms);
      if (r.firstFrameMs !== undefined) firstFrames.push(r.firstFrameMs);
      for (const [src, ms] of Object.entries(r.sourceOkMs)) (perSource[src] ??= []).push(ms);
      live = liveSources(r.screen);
    } finally {
      tmux.sendKeys(c.name, 'q');
      await sleep(300);
      tmux.kill(c.name);
    }
    await sleep(500);
  }
  const s = summarize(times);
  const header = lastScreen.split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '';
  return measured(
    name,
    round(s.median, 1),
    'ms',
    goal,
    `median of ${runs} runs (min ${round(s.min, 1)}, max ${round(s.max, 1)} ms), tmux 200x50, screen polled every ~5-10 ms; first frame (header drawn) at median ${round(median(firstFrames), 0)} ms; ` +
      `each source first ok at median ${Object.entries(perSource).map(([src, v]) => `${src} ${round(median(v), 0)} ms`).join(', ')}; sources live in this build: ${live.join(', ') || 'none'}; header at detection: "${header.slice(0, 160)}"`,
    { runsMs: times.map((t) => round(t, 1)), firstFrameMs: firstFrames.map((t) => round(t, 1)), sourceOkMs: perSource, liveSources: live },
  );
}

/** Median wall time of `runs` runs of node with these arguments (one warm-up run first). */
function timeRuns(args: string[], runs: number): { times: number[]; out: string; error?: string } {
  const times: number[] = [];
  let out = '';
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) return { times, out, error: `exit ${r.status}: ${r.stderr.slice(0, 200)}` };
    out = r.stdout.trim();
    if (i > 0) times.push(ms); // the first run warms the file cache
  }
  return { times, out };
}

export function versionTime(runs: number): MetricResult {
  const goal = { op: '<=' as const, value: 200 };
  const v = timeRuns([SFPIPE_BIN, '--version'], runs);
  if (v.error) return notMeasured('3b sfpipe --version', 'ms', goal, v.error);
  // node itself, measured alongside: the machine's speed right now
  const base = timeRuns(['-e', '0'], runs);
  const s = summarize(v.times);
  const b = median(base.times);
  return measured(
    '3b sfpipe --version',
    round(s.median, 1),
    'ms',
    goal,
    `median wall time of ${runs} runs of node bin/sfpipe.js --version (min ${round(s.min, 1)}, max ${round(s.max, 1)} ms; printed ${v.out}); bare \`node -e 0\` ${round(b, 1)} ms at the same time, so sfpipe adds ${round(s.median - b, 1)} ms (${round(s.median / b, 2)}× node's own start)`,
    { runsMs: v.times.map((t) => round(t, 1)), nodeBaselineMs: round(b, 1), ratioToNode: round(s.median / b, 3) },
  );
}
