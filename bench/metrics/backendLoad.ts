/**
 * Metric 4 — backend load per refresh. The product's own composition (loadConfig →
 * buildServices → createPipeline, system clock, default refresh) runs its pollers against the
 * harness, with counting proxies on 127.0.0.1 in front of Connect (HTTP), Docker (a unix
 * socket) and the Snowflake stand-in (HTTP; statements read from the query requests), and the
 * Kafka adapter's own request counter (kafkajs instrumentation). The first refresh (connect,
 * login) is excluded; then every request over the window is divided by the refreshes made.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPipeline } from '../../src/app/pipeline.js';
import { buildServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';
import { ManualClock, systemClock } from '../../src/domain/clock.js';
import { createPollers } from '../../src/pollers/index.js';
import { createFakeServices, fakeSnowflakeTopic } from '../../src/services/fakes.js';
import { isUnconfigured, type Services } from '../../src/services/types.js';
import { createPipelineStore } from '../../src/store/pipelineStore.js';
import { CountingProxy } from '../lib/proxies.js';
import { measured, notMeasured, type MetricResult } from '../lib/result.js';
import { classifySql, sqlKind } from '../lib/sqlClass.js';
import type { BenchStack } from '../lib/stack.js';
import { round } from '../lib/stats.js';

type SourceKey = 'docker' | 'kafka' | 'connect' | 'snowflake';

export interface LoadSample {
  scale: string;
  windowSeconds: number;
  configured: Record<SourceKey, boolean>;
  reasons: Partial<Record<SourceKey, string>>;
  cycles: Partial<Record<SourceKey, number>>;
  kafka?: { perCycle: number; perCycleMedian?: number; brokers: number; byApi: Record<string, number>; perCycleCounts: number[] };
  connect?: { perCycle: number; byEndpoint: Record<string, number> };
  docker?: { perCycle: number; byEndpoint: Record<string, number>; containers: number; statsStreams: number; firstRefreshRequests: number };
  snowflake?: { perMinuteWarehouse: number; byKind: Record<string, number>; warehouseStatements: string[]; total: number };
  connectors?: number;
  topics?: number;
}

interface RequestCounting {
  requestCounts(): { total: number; byApi: Record<string, number> };
  resetRequestCounts(): void;
}

function counts(k: unknown): RequestCounting | undefined {
  const c = k as Partial<RequestCounting>;
  return typeof c?.requestCounts === 'function' && typeof c.resetRequestCounts === 'function' ? (c as RequestCounting) : undefined;
}

export async function measureLoad(stack: BenchStack, scale: string, windowSeconds: number): Promise<LoadSample> {
  const connectProxy = stack.env.SFPIPE_CONNECT_URL ? await new CountingProxy(hostPort(stack.env.SFPIPE_CONNECT_URL)).listen() : undefined;
  const dockerProxy = stack.env.DOCKER_HOST?.startsWith('unix://')
    ? await new CountingProxy({ socketPath: stack.env.DOCKER_HOST.slice('unix://'.length) }).listen(join(stack.workdir, `docker-${scale}.sock`))
    : undefined;
  const sfProxy = stack.env.SNOWFLAKE_PORT ? await new CountingProxy({ host: stack.env.SNOWFLAKE_HOST ?? '127.0.0.1', port: Number(stack.env.SNOWFLAKE_PORT) }).listen() : undefined;
  const setup = stack.consoleSetup(`load-${scale}`, {
    ...(connectProxy ? { connectUrl: connectProxy.address } : {}),
    ...(dockerProxy ? { dockerHost: dockerProxy.address } : {}),
    ...(sfProxy ? { snowflakePort: String(sfProxy.port) } : {}),
  });
  const config = loadConfig({ cwd: setup.cwd, env: setup.env, homedir: setup.env.HOME!, flags: {} });
  const services: Services = buildServices(config);
  const sources: SourceKey[] = ['docker', 'kafka', 'connect', 'snowflake'];
  const configured = Object.fromEntries(sources.map((s) => [s, !isUnconfigured(services[s])])) as Record<SourceKey, boolean>;
  const reasons: LoadSample['reasons'] = {};
  for (const s of sources) {
    const slot = services[s];
    if (isUnconfigured(slot)) reasons[s] = slot.reason;
  }
  const { store, pollers } = createPipeline(config, services, { clock: systemClock });
  const kafkaCounter = counts(services.kafka);
  const sample: LoadSample = { scale, windowSeconds, configured, reasons, cycles: {} };
  try {
    pollers.start();
    // the first refresh of every source (connections, login, first metadata) is not steady state
    const deadline = Date.now() + 60_000;
    const live = () => sources.filter((s) => pollers.pollers[s]);
    while (Date.now() < deadline && live().some((s) => (pollers.pollers[s]!.stats().successes + pollers.pollers[s]!.stats().failures) < 1)) await sleep(50);
    await sleep(500);
    const base = Object.fromEntries(live().map((s) => [s, pollers.pollers[s]!.stats().calls])) as Record<SourceKey, number>;
    // long-lived requests opened by the first refresh (Docker stats streams) are not per-refresh, but they are load
    const dockerWarmup = dockerProxy ? [...dockerProxy.requests] : [];
    kafkaCounter?.resetRequestCounts();
    connectProxy?.reset();
    dockerProxy?.reset();
    sfProxy?.reset();
    // per-cycle Kafka counts: read the counter each time the poller finishes a call
    const perCycleCounts: number[] = [];
    let lastTotal = 0;
    let lastCalls = base.kafka ?? 0;
    const started = Date.now();
    while (Date.now() - started < windowSeconds * 1000) {
      await sleep(20);
      const k = pollers.pollers.kafka?.stats();
      if (kafkaCounter && k && !k.inFlight && k.calls > lastCalls) {
        const total = kafkaCounter.requestCounts().total;
        perCycleCounts.push(total - lastTotal);
        lastTotal = total;
        lastCalls = k.calls;
      }
    }
    // let a refresh in flight finish, so requests and cycles match
    const settle = Date.now() + 10_000;
    while (Date.now() < settle && live().some((s) => pollers.pollers[s]!.stats().inFlight)) await sleep(20);
    pollers.stop();
    const elapsed = (Date.now() - started) / 1000;
    for (const s of live()) sample.cycles[s] = pollers.pollers[s]!.stats().calls - base[s];
    const kafkaData = store.getState().sources.kafka.data;
    sample.topics = kafkaData?.topics.length;
    sample.connectors = store.getState().sources.connect.data?.length;
    if (kafkaCounter && sample.cycles.kafka) {
      const c = kafkaCounter.requestCounts();
      const brokers = kafkaData?.brokers ?? 1;
      const sorted = [...perCycleCounts].sort((a, b) => a - b);
      sample.kafka = { perCycle: c.total / sample.cycles.kafka / brokers, perCycleMedian: (sorted[Math.floor(sorted.length / 2)] ?? NaN) / brokers, brokers, byApi: c.byApi, perCycleCounts };
    }
    if (connectProxy && configured.connect && sample.cycles.connect) {
      sample.connect = { perCycle: connectProxy.requests.length / sample.cycles.connect, byEndpoint: connectProxy.byEndpoint() };
    }
    if (dockerProxy && configured.docker && sample.cycles.docker) {
      const all = [...dockerWarmup, ...dockerProxy.requests];
      const statsStreams = all.filter((r) => /\/containers\/[^/]+\/stats/.test(r.path) && !r.path.includes('stream=false')).length;
      sample.docker = { perCycle: dockerProxy.requests.length / sample.cycles.docker, byEndpoint: dockerProxy.byEndpoint(), containers: store.getState().sources.docker.data?.length ?? 0, statsStreams, firstRefreshRequests: dockerWarmup.length };
    }
    if (sfProxy && configured.snowflake) {
      const statements = sfProxy.requests.filter((r) => r.path.startsWith('/queries/v1/query-request')).map((r) => sqlTextOf(r.body));
      const byKind: Record<string, number> = {};
      for (const s of statements) byKind[sqlKind(s)] = (byKind[sqlKind(s)] ?? 0) + 1;
      const warehouse = statements.filter((s) => classifySql(s) === 'warehouse');
      sample.snowflake = { perMinuteWarehouse: (warehouse.length * 60) / elapsed, byKind, warehouseStatements: [...new Set(warehouse.map((s) => s.slice(0, 120)))], total: statements.length };
    }
    sample.windowSeconds = round(elapsed, 1);
    return sample;
  } finally {
    pollers.stop();
    await services.close().catch(() => undefined);
    await connectProxy?.close();
    await dockerProxy?.close();
    await sfProxy?.close();
  }
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 80) };
}

function sqlTextOf(body: Buffer): string {
  try {
    const j = JSON.parse(body.toString('utf8')) as { sqlText?: unknown };
    return typeof j.sqlText === 'string' ? j.sqlText : '';
  } catch {
    return '';
  }
}

/**
 * With no Snowflake adapter in the build: the poller cadence alone, on the fake service under
 * a ManualClock (10 simulated minutes at the default settings). Says nothing of the adapter's SQL.
 */
async function snowflakeCadenceOnFakes(): Promise<{ perMinute: number; metadataCalls: number }> {
  const clock = new ManualClock(0);
  const services = createFakeServices(clock);
  services.snowflake.topics = ['pageviews', 'orders'].map((t) => fakeSnowflakeTopic(t));
  const store = createPipelineStore();
  const pollers = createPollers(store, services, { clock });
  pollers.start();
  for (let t = 0; t < 10 * 60_000; t += 500) {
    clock.advance(500);
    await new Promise((r) => setImmediate(r));
  }
  pollers.stop();
  return { perMinute: services.snowflake.warehouseQueries / 10, metadataCalls: services.snowflake.control.count('metadata') };
}

export async function loadResults(demo: LoadSample, large: LoadSample | undefined): Promise<MetricResult[]> {
  const out: MetricResult[] = [];
  // Kafka
  for (const s of [demo, large]) {
    const name = `4${s === demo ? 'a' : 'b'} Kafka requests per refresh per broker, ${s?.topics ?? '?'} topics`;
    const goal = { op: '<=' as const, value: 2 };
    if (!s) continue;
    if (!s.kafka) {
      out.push(notMeasured(name, 'requests', goal, s.configured.kafka ? 'the Kafka service has no request counter' : `Kafka unconfigured: ${s.reasons.kafka ?? ''}`));
      continue;
    }
    const k = s.kafka;
    const max = Math.max(...k.perCycleCounts);
    out.push(
      measured(
        name,
        round(k.perCycle, 3),
        'requests',
        goal,
        `mean over ${s.cycles.kafka} refreshes in ${s.windowSeconds} s (${k.brokers} broker); typical refresh ${k.perCycleMedian}, heaviest ${max / k.brokers} (Metadata and the earliest offsets take the committed offsets' slot every 30 s); by API ${JSON.stringify(k.byApi)}`,
        { ...k, cycles: s.cycles.kafka },
      ),
    );
  }
  // Connect
  for (const s of [demo, large]) {
    if (!s) continue;
    const name = `4${s === demo ? 'c' : 'd'} Connect requests per refresh, ${s.connectors ?? '?'} connectors`;
    const goal = { op: '==' as const, value: 1 };
    if (!s.connect) out.push(notMeasured(name, 'requests', goal, s.configured.connect ? 'no refresh completed' : `no Connect adapter in this build: ${s.reasons.connect ?? ''}`));
    else out.push(measured(name, round(s.connect.perCycle, 3), 'requests', goal, `${s.cycles.connect} refreshes in ${s.windowSeconds} s; ${JSON.stringify(s.connect.byEndpoint)}`, { ...s.connect }));
  }
  // Docker: growth of requests per refresh from the demo's containers to the large case's
  {
    const name = '4e Docker requests per refresh: growth with container count';
    const goal = { op: '==' as const, value: 0 };
    if (!demo.docker || !large?.docker) {
      out.push(notMeasured(name, 'requests', goal, demo.configured.docker ? 'needs both scales measured' : `no Docker adapter in this build: ${demo.reasons.docker ?? ''}`));
    } else {
      const growth = large.docker.perCycle - demo.docker.perCycle;
      out.push(
        measured(
          name,
          round(growth, 3),
          'requests',
          goal,
          `${round(demo.docker.perCycle, 2)}/refresh at ${demo.docker.containers} containers ${JSON.stringify(demo.docker.byEndpoint)}; ${round(large.docker.perCycle, 2)}/refresh at ${large.docker.containers} containers ${JSON.stringify(large.docker.byEndpoint)}. ` +
            `Not per refresh but growing with containers: the first refresh made ${demo.docker.firstRefreshRequests} / ${large.docker.firstRefreshRequests} requests (an inspect per container) and the adapter keeps one streaming stats request open per running container (${demo.docker.statsStreams} / ${large.docker.statsStreams} opened), each delivering a sample every second`,
          { demo: demo.docker, large: large.docker },
        ),
      );
    }
  }
  // Snowflake
  {
    const name = '4f Snowflake warehouse-bound queries per minute (steady, default settings)';
    const goal = { op: '==' as const, value: 0 };
    const s = large?.snowflake ? large : demo;
    if (s.snowflake) {
      out.push(
        measured(name, round(s.snowflake.perMinuteWarehouse, 3), 'queries/min', goal, `${s.snowflake.total} statements in ${s.windowSeconds} s through the proxy, by kind ${JSON.stringify(s.snowflake.byKind)}; warehouse-bound: ${s.snowflake.warehouseStatements.join(' | ') || 'none'}`, {
          ...s.snowflake,
        }),
      );
    } else {
      const fake = await snowflakeCadenceOnFakes();
      out.push(
        measured(
          `${name} [FAKE service: poller cadence only]`,
          fake.perMinute,
          'queries/min',
          goal,
          `no Snowflake adapter in this build (${demo.reasons.snowflake ?? 'unconfigured'}): measured on the in-memory fake under a ManualClock, 10 simulated minutes — ${fake.metadataCalls} metadata (SHOW) calls, ${fake.perMinute * 10} warehouse-bound. Says nothing about the adapter's own SQL; re-run once the adapter lands`,
          fake,
        ),
      );
    }
  }
  return out;
}
