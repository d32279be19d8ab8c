/**
 * Metric 2 — frame cost. The real <App> under Ink's real renderer at 200×50 (the grid layout),
 * fed synthetic store states: a frame's cost is the time from a store write (a refresh) to the
 * frame reaching stdout — React render and commit, Yoga layout, Ink's output and the write.
 * Writes are spaced beyond Ink's 30 fps throttle so each one renders on its own.
 * Then "no frame when nothing changed": an unchanged store under a ManualClock for N seconds.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../src/domain/clock.js';
import { createPipelineStore } from '../../src/store/pipelineStore.js';
import { T0 } from '../../src/ui/test-utils/fixtures.js';
import { changedLines, frameLines, KEYS, turn } from '../lib/fakeTerminal.js';
import { mountApp, type MountedApp } from '../lib/mountApp.js';
import { measured, type MetricResult } from '../lib/result.js';
import { DEMO, LARGE, syntheticState, type Scale } from '../lib/states.js';
import { median, percentile, round, summarize } from '../lib/stats.js';

const COLUMNS = 200;
const ROWS = 50;
/** beyond the console's 60 fps throttle (17 ms), so every write renders at once */
const SPACING_MS = 40;

export interface FrameCostOptions {
  rounds: number;
  framesPerRound: number;
  idleSeconds: number;
}

/** ms from `act` to the frame it causes reaching stdout (written during `act`, or later by Ink's throttle). */
async function untilFrame(app: MountedApp, act: () => void): Promise<number> {
  const before = app.stdout.frameWrites().length;
  const waiting = app.stdout.nextWrite();
  const t0 = performance.now();
  act();
  const t1 = app.stdout.frameWrites().length > before ? app.stdout.frameWrites()[before]!.at : (await waiting).at;
  return t1 - t0;
}

async function frameTimes(scale: Scale, frames: number): Promise<{ times: number[]; ink: number[]; bytes: number[] }> {
  const store = createPipelineStore(syntheticState(scale, 0));
  const clock = new ManualClock(T0);
  const app = await mountApp({ store, clock, columns: COLUMNS, rows: ROWS });
  const times: number[] = [];
  const bytes: number[] = [];
  const warmup = 10;
  try {
    await sleep(SPACING_MS);
    for (let i = 1; i <= frames + warmup; i++) {
      const next = syntheticState(scale, i); // built before the clock starts: the poller builds it, not the UI
      const before = app.stdout.frameWrites().length;
      const inkBefore = app.inkRenderTimes.length;
      const ms = await untilFrame(app, () => store.setState(next));
      if (app.inkRenderTimes.length === inkBefore) throw new Error('a store write produced no render');
      if (i > warmup) {
        times.push(ms);
        bytes.push(app.stdout.frameWrites(0).slice(before).reduce((s, w) => s + Buffer.byteLength(w.text), 0));
      }
      await sleep(SPACING_MS);
    }
    return { times, ink: app.inkRenderTimes.slice(warmup + 1), bytes };
  } finally {
    app.unmount();
  }
}

async function frameCostOf(label: string, scale: Scale, goalMs: number, o: FrameCostOptions): Promise<MetricResult> {
  const p95s: number[] = [];
  const all: number[] = [];
  const ink: number[] = [];
  let bytes: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const res = await frameTimes(scale, o.framesPerRound);
    p95s.push(percentile(res.times, 95));
    all.push(...res.times);
    ink.push(...res.ink);
    bytes = res.bytes;
  }
  const value = round(median(p95s), 2);
  const s = summarize(all);
  return measured(
    `2${label === 'demo' ? 'a' : 'b'} frame cost p95, ${label} (${scale.topics} topics/${scale.connectors} connectors/${scale.containers} containers)`,
    value,
    'ms',
    { op: '<=', value: goalMs },
    `median of ${o.rounds} rounds' p95 over ${o.framesPerRound} frames each at ${COLUMNS}x${ROWS}; all frames: median ${round(s.median, 2)} ms, max ${round(s.max, 2)} ms; ` +
      `of which Ink layout+output ${round(median(ink), 2)} ms median; ~${Math.round(median(bytes))} bytes written per frame`,
    { roundP95s: p95s.map((x) => round(x, 2)), frames: { ...mapRound(s) }, inkRenderMedianMs: round(median(ink), 3), bytesPerFrame: median(bytes) },
  );
}

function mapRound(s: object): Record<string, number> {
  return Object.fromEntries(Object.entries(s as Record<string, number>).map(([k, v]) => [k, round(v, 3)]));
}

/** Unchanged store, a ManualClock advanced in quarter seconds: which writes happen, and what they hold. */
async function idleFrames(o: FrameCostOptions): Promise<MetricResult> {
  const store = createPipelineStore(syntheticState(DEMO, 0));
  const clock = new ManualClock(T0 + 100); // the tick comes 1 s after the last frame: at +1,100 ms, +2,100 ms …, inside the step that crosses each second
  const app = await mountApp({ store, clock, columns: COLUMNS, rows: ROWS });
  try {
    await sleep(SPACING_MS);
    let prev = frameLines(app.stdout.frameWrites().at(-1)?.text ?? '');
    const perTick: { writes: number; bytes: number; changed: number[]; sample?: string[] }[] = [];
    let offTickWrites = 0;
    let identical = 0;
    const steps = o.idleSeconds * 4;
    for (let step = 1; step <= steps; step++) {
      const before = app.stdout.frameWrites().length;
      const was = clock.now();
      clock.advance(250);
      await turn();
      await sleep(SPACING_MS);
      const writes = app.stdout.frameWrites(0).slice(before);
      const crossedSecond = Math.floor(clock.now() / 1000) !== Math.floor(was / 1000);
      if (!crossedSecond) {
        offTickWrites += writes.length;
        continue;
      }
      const changed: number[] = [];
      let sample: string[] | undefined;
      for (const w of writes) {
        const lines = frameLines(w.text);
        const diff = changedLines(prev, lines);
        if (diff.length === 0) identical++;
        changed.push(diff.length);
        sample ??= diff.slice(0, 4).map((d) => `${d.line}: ${d.text.trim().slice(0, 90)}`);
        prev = lines;
      }
      perTick.push({ writes: writes.length, bytes: writes.reduce((s, w) => s + Buffer.byteLength(w.text), 0), changed, ...(sample ? { sample } : {}) });
    }
    const extraPerTick = perTick.reduce((s, t) => s + Math.max(0, t.writes - 1), 0);
    const value = offTickWrites + extraPerTick + identical;
    const ticksWithWrite = perTick.filter((t) => t.writes > 0).length;
    const bytes = perTick.filter((t) => t.writes > 0).map((t) => t.bytes);
    const changedCounts = perTick.flatMap((t) => t.changed);
    const example = perTick.find((t) => t.sample)?.sample ?? [];
    return measured(
      '2c frames written with nothing changed (beyond the 1 s clock tick)',
      value,
      'frames',
      { op: '==', value: 0 },
      `${o.idleSeconds} s of an unchanged demo store, ManualClock in 250 ms steps: ${offTickWrites} writes between ticks, ${extraPerTick} extra writes at ticks, ${identical} identical frames rewritten. ` +
        `Per 1 s tick: ${ticksWithWrite}/${perTick.length} ticks wrote one frame of median ${Math.round(median(bytes))} bytes (the whole ${ROWS - 1}-line screen is erased and redrawn, incrementalRendering off), ` +
        `median ${median(changedCounts)} lines differing (the header clock and the ages/uptimes/countdowns that read now); e.g. ${example.join(' | ')}`,
      { offTickWrites, extraPerTick, identical, ticks: perTick.length, ticksWithWrite, bytesPerTickMedian: median(bytes), changedLinesPerTick: changedCounts },
    );
  } finally {
    app.unmount();
  }
}

/** Moving the selection through the Topics pane (↓ and ↑): key typed to frame written, ms. */
async function navigation(scale: Scale, keys: number): Promise<number[]> {
  const store = createPipelineStore(syntheticState(scale, 0));
  const app = await mountApp({ store, clock: new ManualClock(T0), columns: COLUMNS, rows: ROWS });
  const latencies: number[] = [];
  try {
    await sleep(SPACING_MS);
    app.stdin.type('2'); // focus Topics
    await sleep(SPACING_MS);
    for (let i = 0; i < keys; i++) {
      latencies.push(await untilFrame(app, () => app.stdin.type(i % 50 < 40 ? KEYS.down : KEYS.up)));
      await sleep(SPACING_MS);
    }
    return latencies;
  } finally {
    app.unmount();
  }
}

export async function frameCost(o: FrameCostOptions): Promise<MetricResult[]> {
  const large = await frameCostOf('large', LARGE, 30, o);
  // issue 5: "1,000 topics must stay smooth" — also the keys, not only a refresh
  const nav = await navigation(LARGE, o.framesPerRound * 2);
  large.detail += `; moving the selection through the 1,000 topics (↓/↑, ${nav.length} keys): key to frame median ${round(median(nav), 2)} ms, p95 ${round(percentile(nav, 95), 2)} ms`;
  large.data = { ...large.data, navigationMs: { median: round(median(nav), 3), p95: round(percentile(nav, 95), 3) } };
  return [await frameCostOf('demo', DEMO, 8, o), large, await idleFrames(o)];
}
