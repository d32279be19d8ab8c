/**
 * Metric 1 — idle CPU of the console: the built console in tmux (200×50) against the harness
 * at the default refresh; once its first frame with data is up and it has settled, user+sys
 * from /proc/<pid>/stat over the window, as a percent of one core. Per-10 s slices are kept
 * to show whether the cost is steady.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveSources, startConsole, waitForData } from '../lib/console.js';
import { clockTicksPerSecond, cpuPercent, readProcStat, type ProcStat } from '../lib/procStat.js';
import { measured, notMeasured, type MetricResult } from '../lib/result.js';
import { max, median, round } from '../lib/stats.js';
import type { Tmux } from '../lib/tmux.js';

export interface IdleCpuOptions {
  label: string;
  name: string;
  goalPercent: number;
  windowSeconds: number;
  settleSeconds: number;
  scale: string;
}

export async function idleCpu(tmux: Tmux, setup: { cwd: string; env: Record<string, string> }, o: IdleCpuOptions): Promise<MetricResult> {
  const goal = { op: '<=' as const, value: o.goalPercent };
  const c = await startConsole(tmux, `idle-${o.label}`, setup);
  try {
    const ready = await waitForData(tmux, c, 60_000, 50);
    if (ready.ms === undefined) return notMeasured(o.name, '% of one core', goal, `the console showed no data within 60 s; header: ${ready.screen.split('\n')[0]?.trim().slice(0, 160)}`);
    await sleep(o.settleSeconds * 1000);
    const slices: number[] = [];
    const sliceSeconds = Math.min(10, o.windowSeconds);
    // what the console writes to its terminal over the window: frames are bracketed by synchronized-update marks
    const written = join(setup.cwd, `${c.name}.out`);
    tmux.pipe(c.name, written);
    const first: ProcStat = readProcStat(c.pid);
    const t0 = process.hrtime.bigint();
    let prev = first;
    let prevT = t0;
    while (Number(process.hrtime.bigint() - t0) / 1e9 < o.windowSeconds - 0.001) {
      await sleep(sliceSeconds * 1000);
      const now = readProcStat(c.pid);
      const t = process.hrtime.bigint();
      slices.push(cpuPercent(prev, now, Number(t - prevT) / 1e9));
      prev = now;
      prevT = t;
    }
    tmux.unpipe(c.name);
    const wall = Number(prevT - t0) / 1e9;
    let bytes = 0;
    let frames = 0;
    try {
      const out = readFileSync(written);
      bytes = out.length;
      frames = out.toString('latin1').split('\x1b[?2026h').length - 1;
      rmSync(written, { force: true });
    } catch {
      /* nothing written */
    }
    const cpuMs = ((prev.utime + prev.stime - first.utime - first.stime) * 1000) / clockTicksPerSecond();
    const total = cpuPercent(first, prev, wall);
    const screen = tmux.capture(c.name);
    const live = liveSources(screen);
    const rssMb = (prev.rssPages * 4096) / 1024 / 1024;
    return measured(
      o.name,
      round(total, 2),
      '% of one core',
      goal,
      `${o.scale}; ${round(wall, 1)} s window after ${o.settleSeconds} s settling, user ${prev.utime - first.utime} + sys ${prev.stime - first.stime} ticks; ` +
        `per-${sliceSeconds} s slices median ${round(median(slices), 2)} %, max ${round(max(slices), 2)} %; RSS ${round(rssMb, 1)} MB; ` +
        `it wrote ${frames} frames (${round(frames / wall, 2)}/s, ${round(bytes / 1024 / wall, 1)} KiB/s) to the terminal, ~${frames ? round(cpuMs / frames, 1) : '—'} ms of CPU per frame; sources live in this build: ${live.join(', ') || 'none'}`,
      { slicesPercent: slices.map((x) => round(x, 3)), windowSeconds: round(wall, 2), liveSources: live, rssMb: round(rssMb, 1), frames, framesPerSecond: round(frames / wall, 3), bytesWritten: bytes, cpuMsPerFrame: frames ? round(cpuMs / frames, 2) : null, header: screen.split('\n')[0]?.replace(/\s+/g, ' ').trim() },
    );
  } finally {
    tmux.sendKeys(c.name, 'q');
    await sleep(300);
    tmux.kill(c.name);
  }
}
