/**
 * The "nothing lost" tests' shared parts: a test stack whose FileStreamSource (the "datagen")
 * reads numbered lines the test writes over time and whose FileStreamSink writes the topic to a
 * file; pause/resume cycles through the real runbooks that record whether the topic's end
 * offsets stood still while paused; and a tally of the sink file.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { cleanupRunbook } from '../../src/runbooks/cleanup.js';
import { runRunbook } from '../../src/runbooks/engine.js';
import { pauseRunbook } from '../../src/runbooks/pause.js';
import { resumeRunbook } from '../../src/runbooks/resume.js';
import { deployConnectorsStep } from '../../src/runbooks/steps/connectors.js';
import { keyPairStep } from '../../src/runbooks/steps/keys.js';
import { createTopicsStep } from '../../src/runbooks/steps/topics.js';
import type { Runbook, RunbookResult } from '../../src/runbooks/types.js';
import { isUnconfigured } from '../../src/services/types.js';
import { createTestStack, removeStackDir, type TestStack } from '../fixtures/stack/testStack.js';

const REST_TIMEOUT_MS = 5_000;

/** No compose and no Snowflake: the FileStream connectors on the harness worker are the pipeline. */
export function createNoLossStack(harnessEnv: Record<string, string>): TestStack {
  const stack = createTestStack(harnessEnv, randomUUID().slice(0, 8));
  writeFileSync(stack.sourceFile, '');
  return stack;
}

/** Delete this run's connectors (only those: the cleanup runbook's connector step), then the files. */
export async function removeNoLossStack(stack: TestStack): Promise<void> {
  const onlyConnectors: Runbook = { ...cleanupRunbook(stack.env, { volumes: false, purgeKeys: false }), secrets: [] };
  onlyConnectors.steps = onlyConnectors.steps.filter((s) => s.id === 'delete-connectors');
  await runRunbook(onlyConnectors, { clock: systemClock }).catch(() => undefined);
  await stack.close();
  removeStackDir(stack);
}

/** Deploy through the setup runbook's own steps (its key, topic and connector steps; no Docker or Snowflake here). */
export function deployNoLoss(stack: TestStack): Promise<RunbookResult> {
  const deploy: Runbook = { id: 'deploy', title: 'deploy', steps: [keyPairStep(stack.env), createTopicsStep(stack.env), deployConnectorsStep(stack.env, { secrets: [] })], secrets: [] };
  return runRunbook(deploy, { clock: systemClock });
}

/** Sum of the end offsets of the stack's topic. */
export async function endOffset(stack: TestStack): Promise<number> {
  if (isUnconfigured(stack.services.kafka)) throw new Error(stack.services.kafka.reason);
  const snap = await stack.services.kafka.snapshot({ timeoutMs: 15_000 });
  return snap.topics.find((t) => t.name === stack.topic)?.partitions.reduce((n, p) => n + p.end, 0) ?? 0;
}

export interface Writer {
  /** lines written so far */
  written(): number;
  done: Promise<void>;
  /** stop writing (before the stack's files go away, e.g. after a failure) */
  stop(): void;
}

export interface WriterGate {
  /** stop once this many lines are written … */
  at: number;
  /** … until this settles */
  open: Promise<unknown>;
}

/**
 * The "datagen": `perTick` numbered lines every `tickMs`, appended whole, until `total`;
 * with a gate, it holds at `gate.at` lines until the gate opens (so some lines are surely
 * written after a given moment).
 */
export function startWriter(stack: TestStack, total: number, pace: { perTick: number; tickMs: number } = { perTick: 20, tickMs: 40 }, gate?: WriterGate): Writer {
  let written = 0;
  let stopped = false;
  const done = (async () => {
    while (written < total && !stopped) {
      if (gate && written >= gate.at) {
        await gate.open;
        gate = undefined;
        if (stopped) break;
      }
      const n = Math.min(pace.perTick, total - written, gate ? gate.at - written : Infinity);
      appendFileSync(stack.sourceFile, Array.from({ length: n }, (_, i) => `${written + i}\n`).join(''));
      written += n;
      await sleep(pace.tickMs);
    }
  })();
  return { written: () => written, done, stop: () => (stopped = true) };
}

export interface StandStill {
  before: number;
  after: number;
  writtenMeanwhile: number;
}

export const PAUSE_HOLD_MS = 2_000;

/** Pause through the runbook, watch the end offsets for PAUSE_HOLD_MS, resume through the runbook. */
export async function pauseResumeCycle(stack: TestStack, writer: Writer): Promise<StandStill> {
  const paused = await runRunbook(pauseRunbook(stack.env, { suspendTasks: false }), { clock: systemClock });
  expect(paused.outcome, JSON.stringify(paused.error)).toBe('completed');
  const before = await endOffset(stack);
  const writtenBefore = writer.written();
  await sleep(PAUSE_HOLD_MS);
  const standStill = { before, after: await endOffset(stack), writtenMeanwhile: writer.written() - writtenBefore };
  const resumed = await runRunbook(resumeRunbook(stack.env), { clock: systemClock });
  expect(resumed.outcome, JSON.stringify(resumed.error)).toBe('completed');
  return standStill;
}

/** Offsets stood still in every pause, and at least one pause happened while lines were being written. */
export function expectStoodStill(standStill: readonly StandStill[]): number {
  for (const s of standStill) expect(s.after, `offsets grew while paused (${s.writtenMeanwhile} lines written meanwhile)`).toBe(s.before);
  // while paused, the file kept growing, so standing still was the pause's doing
  const pausedWhileWriting = standStill.filter((s) => s.writtenMeanwhile > 0).length;
  expect(pausedWhileWriting).toBeGreaterThan(0);
  return pausedWhileWriting;
}

/**
 * The source connector's committed position in its file (bytes), from GET /connectors/{name}/offsets;
 * undefined while the worker cannot say (rebalancing, restarting).
 */
export async function sourcePosition(stack: TestStack): Promise<number | undefined> {
  try {
    const res = await fetch(`${stack.config.connect.url}/connectors/${encodeURIComponent(stack.sourceName)}/offsets`, { signal: AbortSignal.timeout(REST_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { offsets?: { offset?: { position?: unknown } }[] };
    const position = body.offsets?.[0]?.offset?.position;
    return typeof position === 'number' ? position : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wait (bounded; the tally then says what is missing) until the source has read and committed
 * the whole file. Its committed position, not the topic's end offset: after a crash the topic
 * holds re-sent records, so its end offset can pass the line count before the last lines are read.
 */
export async function waitForSourceToReadAll(stack: TestStack, timeoutMs = 120_000): Promise<void> {
  const size = statSync(stack.sourceFile).size;
  const deadline = Date.now() + timeoutMs;
  while (((await sourcePosition(stack)) ?? -1) < size && Date.now() < deadline) await sleep(250);
}

/** The final pause: its drain step waits until the sink group committed every record. */
export function finalPause(stack: TestStack): Promise<RunbookResult> {
  return runRunbook(pauseRunbook(stack.env, { suspendTasks: false }), { clock: systemClock });
}

export interface SinkTally {
  lines: number;
  /** how often each number 0..total-1 appears */
  seen: Map<number, number>;
  missing: number[];
  /** numbers that appear more than once */
  duplicates: number;
  /** extra copies beyond the first, over all numbers */
  extraCopies: number;
  /** lines that are not a number 0..total-1 */
  foreign: string[];
}

export function readSinkNumbers(stack: TestStack): string[] {
  return existsSync(stack.sinkFile) ? readFileSync(stack.sinkFile, 'utf8').split('\n').filter(Boolean) : [];
}

export function tallySink(stack: TestStack, total: number): SinkTally {
  const lines = readSinkNumbers(stack);
  const seen = new Map<number, number>();
  const foreign: string[] = [];
  for (const l of lines) {
    const n = Number(l);
    if (!/^\d+$/.test(l) || n >= total) foreign.push(l);
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  const missing = Array.from({ length: total }, (_, n) => n).filter((n) => !seen.has(n));
  const repeated = [...seen.entries()].filter(([, c]) => c > 1);
  return { lines: lines.length, seen, missing, duplicates: repeated.length, extraCopies: repeated.reduce((s, [, c]) => s + c - 1, 0), foreign };
}
