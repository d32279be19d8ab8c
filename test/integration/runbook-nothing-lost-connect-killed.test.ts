/**
 * Nothing lost when the Connect worker dies (issue 9): the pause/resume no-loss run of
 * runbook-nothing-lost.test.ts — a FileStreamSource reads 10,000 numbered lines the test writes
 * over time, a FileStreamSink writes the topic to a file, the pipeline is paused and resumed
 * through the runbooks — and mid-run the harness's Connect worker is killed -9 (by its recorded
 * pid) and started again through the harness. Distributed mode keeps connector configs, target
 * states and source offsets in Kafka topics and sink offsets in the consumer group, so the
 * connectors come back RUNNING and carry on where they last committed. In the end the sink file
 * holds every number; duplicates (at-least-once after a crash) are counted and reported, not
 * failed on. The end offsets stand still in every pause, before and after the kill.
 *
 * This kills the harness's worker: other suites using it at the same moment would see it go.
 * To run beside them, give the run its own harness (see test/e2e/faults.test.ts), e.g.
 * SFPIPE_HARNESS_HOME=<dir> SFPIPE_HARNESS_KAFKA_PORT=39092 SFPIPE_HARNESS_KAFKA_CONTROLLER_PORT=39093
 * SFPIPE_HARNESS_CONNECT_PORT=38083 npx vitest run test/integration/runbook-nothing-lost-connect-killed.test.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices, SERVICES, type HarnessContext } from '../../harness/index.js';
import { isAlive, livePid, portInUse, withLock } from '../../harness/process.js';
import { isUnconfigured } from '../../src/services/types.js';
import { describeState, overallState } from '../../src/runbooks/steps/connectState.js';
import type { TestStack } from '../fixtures/stack/testStack.js';
import {
  createNoLossStack,
  deployNoLoss,
  endOffset,
  expectStoodStill,
  finalPause,
  pauseResumeCycle,
  readSinkNumbers,
  removeNoLossStack,
  startWriter,
  tallySink,
  waitForSourceToReadAll,
  type StandStill,
  type Writer,
} from '../support/noLoss.js';

const h = await requireServices(['kafka', 'connect']);
const TOTAL = 10_000;
const PAUSES_BEFORE_KILL = 1;
const PAUSES_AFTER_KILL = 2;
/** The writer holds here until the worker has recovered, so the pauses after the kill also meet lines being written. */
const HELD_BACK_FROM = 7_000;
/** Bounds on waiting (failures past them), not speed assertions: the measured times are printed. */
const GONE_TIMEOUT_MS = 30_000;
const RECOVERY_TIMEOUT_MS = 240_000;
const WORKER_PID_NAME = 'connect'; // the name harness/kafka.ts starts the worker under

async function until(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/**
 * Start the worker if it is not running, then wait until it answers REST. Not harness up(): that
 * would record the restarted worker as this run's, and a worker a person started with
 * `harness up` would then be stopped at the end of the run (same as test/e2e/faults.test.ts).
 */
async function restartWorker(ctx: HarnessContext): Promise<void> {
  const url = SERVICES.connect.env(ctx).SFPIPE_CONNECT_URL ?? '';
  const port = Number(new URL(url).port);
  if ((await SERVICES.connect.status(ctx)).state !== 'running') {
    // isAlive() calls a killed JVM dead once it is a zombie, but its other threads may still hold its port a moment
    await until(`port ${port} to be free`, GONE_TIMEOUT_MS, async () => !(await portInUse(port)));
  }
  await withLock(ctx.home, 'up-connect', () => SERVICES.connect.up(ctx));
  await until('the Connect worker to answer GET /connectors', RECOVERY_TIMEOUT_MS, async () => {
    const res = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    return res?.ok === true;
  });
}

/** Both of this run's connectors and their tasks RUNNING; a FAILED one ends the wait at once. */
async function connectorsRunning(stack: TestStack): Promise<boolean> {
  if (isUnconfigured(stack.services.connect)) throw new Error(stack.services.connect.reason);
  const list = await stack.services.connect.list({ timeoutMs: 5_000 }).catch(() => undefined);
  if (!list) return false; // rebalancing or still starting
  const ours = list.filter((c) => c.name === stack.sourceName || c.name === stack.sinkName);
  const failed = ours.find((c) => overallState(c) === 'FAILED');
  if (failed) throw new Error(`after the restart: ${describeState(failed)}: ${failed.trace ?? failed.tasks.find((t) => t.trace)?.trace ?? ''}`);
  return ours.length === 2 && ours.every((c) => overallState(c) === 'RUNNING');
}

interface Recovery {
  pid: number;
  writtenAtKill: number;
  sinkLinesAtKill: number;
  /** ms after the SIGKILL */
  gone: number;
  workerAnswers: number;
  connectorsRunning: number;
  /** a line written after the kill reached the sink file (undefined: the writer was already held back at the kill) */
  flowing: number | undefined;
}

async function killAndRestartWorker(ctx: HarnessContext, stack: TestStack, writer: Writer): Promise<Recovery> {
  const pid = livePid(ctx.home, WORKER_PID_NAME);
  if (pid === undefined) throw new Error(`no live Connect worker pid recorded under ${ctx.home}`);
  const writtenAtKill = writer.written();
  const sinkLinesAtKill = readSinkNumbers(stack).length;
  const t0 = Date.now();
  process.kill(pid, 'SIGKILL');
  await until(`the killed worker (pid ${pid}) to be gone`, GONE_TIMEOUT_MS, () => !isAlive(pid));
  const gone = Date.now() - t0;
  process.stderr.write(`[nothing-lost/connect-killed] kill -9 ${pid} with ${writtenAtKill} lines written, ${sinkLinesAtKill} in the sink file; restarting the worker\n`);

  await restartWorker(ctx);
  const workerAnswers = Date.now() - t0;
  await until('the connectors to be RUNNING again', RECOVERY_TIMEOUT_MS, () => connectorsRunning(stack));
  const running = Date.now() - t0;
  // RUNNING alone may be the status topic's last word from before the kill (same worker id):
  // the real sign of recovery is a line written after the kill arriving in the sink file.
  let flowing: number | undefined;
  if (writtenAtKill < HELD_BACK_FROM) {
    await until(`line ${writtenAtKill} (written after the kill) to reach the sink file`, RECOVERY_TIMEOUT_MS, () => readSinkNumbers(stack).some((l) => Number(l) >= writtenAtKill));
    flowing = Date.now() - t0;
  }
  return { pid, writtenAtKill, sinkLinesAtKill, gone, workerAnswers, connectorsRunning: running, flowing };
}

const s = (ms: number | undefined) => (ms === undefined ? 'n/a (no line was written after the kill)' : `${(ms / 1000).toFixed(1)} s`);

describe.skipIf(!h.ok)('pause and resume lose nothing when the Connect worker is killed -9 mid-run', () => {
  let stack: TestStack | undefined;
  let writer: Writer | undefined;

  beforeAll(() => {
    if (!h.ok) return;
    stack = createNoLossStack(h.env);
  });

  afterAll(async () => {
    if (!h.ok) return;
    try {
      // leave the worker running and healthy for the files after this one, even if the test failed mid-kill
      await restartWorker(h.ctx);
    } finally {
      writer?.stop();
      if (stack) await removeNoLossStack(stack);
    }
  });

  it(`${TOTAL} numbered records, pauses before and after a kill -9 of the worker: every number arrives`, async () => {
    if (!h.ok || !stack) throw new Error('no harness');
    const deployed = await deployNoLoss(stack);
    expect(deployed.outcome, JSON.stringify(deployed.error)).toBe('completed');

    // the "datagen": 10 numbered lines every 40 ms, written before, during and after the worker's
    // absence; the last 3,000 only once it has recovered
    let recovered!: () => void;
    const open = new Promise<void>((resolve) => (recovered = resolve));
    writer = startWriter(stack, TOTAL, { perTick: 10, tickMs: 40 }, { at: HELD_BACK_FROM, open });

    const standStill: StandStill[] = [];
    for (let i = 0; i < PAUSES_BEFORE_KILL; i++) {
      await sleep(1_500);
      standStill.push(await pauseResumeCycle(stack, writer));
    }
    await sleep(1_500);
    let recovery: Recovery;
    try {
      recovery = await killAndRestartWorker(h.ctx, stack, writer);
    } finally {
      recovered();
    }
    for (let i = 0; i < PAUSES_AFTER_KILL; i++) {
      await sleep(1_500);
      standStill.push(await pauseResumeCycle(stack, writer));
    }
    await writer.done;

    const pausedWhileWriting = expectStoodStill(standStill);
    const afterKillWhileWriting = standStill.slice(PAUSES_BEFORE_KILL).filter((p) => p.writtenMeanwhile > 0).length;

    await waitForSourceToReadAll(stack);
    const final = await finalPause(stack);
    expect(final.outcome, JSON.stringify(final.error)).toBe('completed');
    const topicRecords = await endOffset(stack);
    const tally = tallySink(stack, TOTAL);
    const pauses = PAUSES_BEFORE_KILL + PAUSES_AFTER_KILL;
    process.stderr.write(
      `[nothing-lost/connect-killed] lost ${tally.missing.length}, ${TOTAL - tally.missing.length}/${TOTAL} numbers in ${tally.lines} sink lines; ` +
        `duplicates: ${tally.duplicates} number(s) (${tally.extraCopies} extra copies); the topic holds ${topicRecords} records for ${TOTAL} lines (${topicRecords - TOTAL} re-sent by the source); ` +
        `${pauses} pauses (${pausedWhileWriting} while lines were being written, ${afterKillWhileWriting} of them after the kill)\n` +
        `[nothing-lost/connect-killed] after kill -9: worker gone ${s(recovery.gone)}, worker answers REST ${s(recovery.workerAnswers)}, ` +
        `connectors RUNNING ${s(recovery.connectorsRunning)}, records flowing to the sink ${s(recovery.flowing)}\n`,
    );
    expect(tally.missing.slice(0, 20), `${tally.missing.length} number(s) lost`).toEqual([]);
    // a torn or foreign line would be a record the sink mangled
    expect(tally.foreign.slice(0, 20)).toEqual([]);
  }, 15 * 60_000);
});
