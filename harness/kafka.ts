/**
 * Apache Kafka (single-node KRaft, combined broker + controller) and a distributed Kafka
 * Connect worker, both on 127.0.0.1 at non-default ports, run from a classpath resolved from
 * Maven Central into the harness cache (see harness/kafka/runtime.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaPorts } from './kafka/config.js';
import { LOG4J2_CONFIG, writeConnectConfig, writeServerConfig } from './kafka/config.js';
import { brokerAnswers, connectAnswers } from './kafka/probes.js';
import type { RuntimeLayout } from './kafka/runtime.js';
import { defaultMavenRepo, ensureRuntime, runToLog } from './kafka/runtime.js';
import { HOST, PORTS } from './ports.js';
import { assertPortFree, isAlive, logFile, pidFile, readPid, startDetached, stopByPid, tailLog, waitUntilReady } from './process.js';
import type { HarnessContext, HarnessService, ServiceStatus } from './types.js';
import { HarnessStepFailed } from './types.js';

export type { KafkaPorts } from './kafka/config.js';

export interface KafkaServicesOptions {
  ports?: Partial<KafkaPorts>;
  /** Maven local repository; default <home>/m2 */
  mavenRepo?: (home: string) => string;
  /** how long to wait for readiness after starting each process */
  readyTimeoutMs?: { kafka?: number; connect?: number };
}

const BROKER_MAIN = 'kafka.Kafka';
const CONNECT_MAIN = 'org.apache.kafka.connect.cli.ConnectDistributed';
const STORAGE_TOOL = 'kafka.tools.StorageTool';

/** The broker and worker for one set of ports; the default exports use harness/ports.ts. */
export function createKafkaServices(opts: KafkaServicesOptions = {}): { kafka: HarnessService; connect: HarnessService } {
  const ports: KafkaPorts = {
    kafka: opts.ports?.kafka ?? PORTS.kafka,
    kafkaController: opts.ports?.kafkaController ?? PORTS.kafkaController,
    connect: opts.ports?.connect ?? PORTS.connect,
  };
  const brokers = `${HOST}:${ports.kafka}`;
  const connectUrl = `http://${HOST}:${ports.connect}`;
  const runtime = (ctx: HarnessContext) => ensureRuntime(ctx.home, { mavenRepo: (opts.mavenRepo ?? defaultMavenRepo)(ctx.home), progress: ctx.progress });

  const kafka: HarnessService = {
    name: 'kafka',
    dependsOn: [],
    async up(ctx) {
      const before = processStatus(ctx, 'kafka', BROKER_MAIN, brokers);
      if (before.state === 'running') return before;
      // Ports first: the cheapest failure, and nothing has been touched yet.
      await assertPortFree(ports.kafka, 'SFPIPE_HARNESS_KAFKA_PORT');
      await assertPortFree(ports.kafkaController, 'SFPIPE_HARNESS_KAFKA_CONTROLLER_PORT');
      const layout = await runtime(ctx);
      const config = writeServerConfig(layout, ports);
      await formatStorage(ctx, layout, config);
      ctx.progress(`starting kafka ${layout.version} (KRaft) on ${brokers}`);
      startDetached(ctx.home, { name: 'kafka', command: 'java', args: javaArgs(layout, '512m', BROKER_MAIN, config), cwd: layout.root });
      await readyOrStop(ctx, 'kafka', () => brokerAnswers(brokers), opts.readyTimeoutMs?.kafka ?? 120_000);
      return processStatus(ctx, 'kafka', BROKER_MAIN, brokers);
    },
    status: async (ctx) => processStatus(ctx, 'kafka', BROKER_MAIN, brokers),
    down: (ctx) => stopOwn(ctx, 'kafka', BROKER_MAIN, 30_000),
    env: () => ({ SFPIPE_KAFKA_BROKERS: brokers }),
  };

  const connect: HarnessService = {
    name: 'connect',
    dependsOn: ['kafka'],
    async up(ctx) {
      const before = processStatus(ctx, 'connect', CONNECT_MAIN, connectUrl);
      if (before.state === 'running') return before;
      await assertPortFree(ports.connect, 'SFPIPE_HARNESS_CONNECT_PORT');
      // A worker without its broker never gets ready; say so now instead of after minutes.
      if (!(await brokerAnswers(brokers).catch(() => false))) {
        throw new HarnessStepFailed('start connect', `the Kafka broker at ${brokers} does not answer; bring up kafka first (npm run harness -- up kafka connect)`);
      }
      const layout = await runtime(ctx);
      const config = writeConnectConfig(layout, ports);
      ctx.progress(`starting kafka connect (distributed) on ${connectUrl}`);
      startDetached(ctx.home, { name: 'connect', command: 'java', args: javaArgs(layout, '512m', CONNECT_MAIN, config), cwd: layout.root });
      await readyOrStop(ctx, 'connect', () => connectAnswers(connectUrl), opts.readyTimeoutMs?.connect ?? 180_000);
      return processStatus(ctx, 'connect', CONNECT_MAIN, connectUrl);
    },
    status: async (ctx) => processStatus(ctx, 'connect', CONNECT_MAIN, connectUrl),
    down: (ctx) => stopOwn(ctx, 'connect', CONNECT_MAIN, 20_000),
    env: () => ({ SFPIPE_CONNECT_URL: connectUrl }),
  };

  return { kafka, connect };
}

const defaults = createKafkaServices();
export const kafkaService: HarnessService = defaults.kafka;
export const connectService: HarnessService = defaults.connect;

// ---- helpers --------------------------------------------------------------------

// SerialGC: fewer GC threads on a small, shared machine; the heaps here are small anyway.
function javaArgs(layout: RuntimeLayout, heap: string, main: string, ...args: string[]): string[] {
  return [`-Xmx${heap}`, '-XX:+UseSerialGC', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${LOG4J2_CONFIG}`, '-cp', join(layout.libs, '*'), main, ...args];
}

/** KRaft needs its log dir formatted once (cluster id + metadata bootstrap) before the first start. */
async function formatStorage(ctx: HarnessContext, layout: RuntimeLayout, config: string): Promise<void> {
  if (existsSync(join(layout.data, 'meta.properties'))) return;
  ctx.progress(`formatting kafka storage in ${layout.data}`);
  const args = javaArgs(layout, '256m', STORAGE_TOOL, 'format', '--config', config, '--cluster-id', clusterId(), '--ignore-formatted');
  const code = await runToLog(ctx.home, 'kafka', 'java', args, layout.root, 120_000);
  if (code !== 0) {
    throw new HarnessStepFailed('format kafka storage', `${STORAGE_TOOL} format ${code === 'timeout' ? 'timed out' : `exited with ${code}`} (log: ${logFile(ctx.home, 'kafka')})`, tailLog(ctx.home, 'kafka'));
  }
}

/** A Kafka Uuid string: 16 random bytes, base64url; never starting with '-', which would read as a flag. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Wait for readiness; on failure stop the process just started, so nothing is left behind. */
async function readyOrStop(ctx: HarnessContext, name: 'kafka' | 'connect', check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  try {
    await waitUntilReady(ctx.home, name, check, timeoutMs, 500);
  } catch (err) {
    await stopByPid(ctx.home, name, 5_000);
    throw err;
  }
  ctx.progress(`${name} ready`);
}

/** The recorded pid, if it is alive and is this home's java process (a recycled pid is not ours). */
function ownPid(ctx: HarnessContext, name: string, main: string): { pid: number | undefined; stale: number | undefined } {
  const pid = readPid(ctx.home, name);
  if (pid === undefined) return { pid: undefined, stale: undefined };
  if (!isAlive(pid)) return { pid: undefined, stale: pid };
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return { pid, stale: undefined }; // no /proc: trust the pid file
  }
  return cmdline.includes(main) && cmdline.includes(ctx.home) ? { pid, stale: undefined } : { pid: undefined, stale: pid };
}

function processStatus(ctx: HarnessContext, name: 'kafka' | 'connect', main: string, endpoint: string): ServiceStatus {
  const { pid, stale } = ownPid(ctx, name, main);
  const log = logFile(ctx.home, name);
  if (pid !== undefined) return { name, state: 'running', endpoint, pid, log };
  if (stale !== undefined) return { name, state: 'failed', endpoint, pid: undefined, log, detail: `recorded pid ${stale} is no longer this harness's ${name}; see ${log}` };
  return { name, state: 'stopped', endpoint, pid: undefined, log };
}

async function stopOwn(ctx: HarnessContext, name: 'kafka' | 'connect', main: string, graceMs: number): Promise<void> {
  const { pid, stale } = ownPid(ctx, name, main);
  if (pid === undefined) {
    // Never signal a pid that is not ours; just forget it.
    if (stale !== undefined) rmSync(pidFile(ctx.home, name), { force: true });
    return;
  }
  ctx.progress(`stopping ${name} (pid ${pid})`);
  await stopByPid(ctx.home, name, graceMs);
}
