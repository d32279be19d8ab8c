/**
 * `sfpipe status [--json] [--watch]`: the pipeline picture without the console. One refresh
 * round is bounded by the per-source timeouts, so status never hangs; the exit code is 0 when
 * every configured source is ok, 1 otherwise. Config, services and the clock are injected.
 */
import { homedir } from 'node:os';
import { createPipeline, configSecrets, RATE_WINDOW_MS, type Pipeline } from '../app/pipeline.js';
import { buildServices } from '../app/services.js';
import type { ParsedArgs } from '../cli/args.js';
import type { CliIO, CommandRun } from '../cli/commands.js';
import { loadConfig } from '../config/load.js';
import type { SfpipeConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { PollerSetOptions } from '../pollers/index.js';
import { withTimeout } from '../services/timeout.js';
import type { Services } from '../services/types.js';
import { statusExitCode } from '../status/health.js';
import { buildStatusJson } from '../status/json.js';
import { formatStatusTable } from '../status/table.js';

export interface StatusDeps {
  loadConfig: (args: ParsedArgs, io: CliIO) => SfpipeConfig;
  buildServices: (config: SfpipeConfig) => Services;
  clock: Clock;
  /** aborts --watch (SIGINT/SIGTERM in the real command) */
  interrupt?: AbortSignal;
  /** gap between the two Kafka samples a one-shot status takes to measure rates (default 1 s) */
  rateSampleMs?: number;
  /** poller tuning (timeouts …), mostly for tests */
  pollers?: Omit<PollerSetOptions, 'clock' | 'sinkGroup'>;
}

const CLOSE_TIMEOUT_MS = 3_000;
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

export async function runStatus(args: ParsedArgs, io: CliIO, deps: StatusDeps): Promise<number> {
  const json = args.flags.json === true;
  const watch = args.flags.watch === true;
  const config = deps.loadConfig(args, io);
  const services = deps.buildServices(config);
  const { clock } = deps;
  const secrets = configSecrets(config);
  let pipeline: Pipeline;
  try {
    pipeline = createPipeline(config, services, { clock, ...deps.pollers });
  } catch (err) {
    await closeServices(services, clock);
    throw err;
  }
  const print = (): number => {
    const state = pipeline.store.getState();
    const now = clock.now();
    if (json) {
      const picture = buildStatusJson(state, now, { rateWindowMs: RATE_WINDOW_MS, secrets });
      io.stdout.write(`${JSON.stringify(picture, null, watch ? undefined : 2)}\n`);
    } else {
      const table = formatStatusTable(state, now, { secrets });
      io.stdout.write(watch && io.stdout.isTTY ? `${CLEAR_SCREEN}${table}` : watch ? `${table}\n` : table);
    }
    return statusExitCode(state);
  };

  try {
    if (!watch) {
      await firstRound(pipeline, clock, deps.rateSampleMs ?? 1_000);
      return print();
    }
    pipeline.pollers.start();
    await firstRound(pipeline, clock, 0);
    let code = print();
    while (!deps.interrupt?.aborted) {
      await sleep(clock, pipeline.store.getState().settings.refreshMs, deps.interrupt);
      if (deps.interrupt?.aborted) break;
      code = print();
    }
    return code;
  } finally {
    pipeline.pollers.stop();
    await closeServices(services, clock);
  }
}

/** Close connections, bounded in time; a failure to close is not worth an error at exit. */
async function closeServices(services: Services, clock: Clock): Promise<void> {
  await withTimeout(() => services.close(), { timeoutMs: CLOSE_TIMEOUT_MS, clock, source: 'cli', what: 'closing connections' }).catch(() => undefined);
}

/**
 * Refresh every source once (each call bounded by its timeout); then, if Kafka answered,
 * sample it again after `rateSampleMs` so topics have a rate.
 */
async function firstRound(pipeline: Pipeline, clock: Clock, rateSampleMs: number): Promise<void> {
  await pipeline.pollers.refreshNow();
  if (rateSampleMs <= 0 || pipeline.store.getState().sources.kafka.status !== 'ok') return;
  await sleep(clock, rateSampleMs);
  await pipeline.pollers.refreshNow('kafka');
}

function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const run: CommandRun = async (args, io) => {
  const interrupt = new AbortController();
  const stop = () => interrupt.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The system clock's timers are unref'd; hold the event loop open while we wait on them.
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    return await runStatus(args, io, {
      loadConfig: (a, cliIO) => loadConfig({ cwd: cliIO.cwd, env: cliIO.env, flags: a.flags, homedir: cliIO.env.HOME || homedir() }),
      buildServices,
      clock: systemClock,
      interrupt: interrupt.signal,
    });
  } finally {
    clearInterval(keepAlive);
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
};
