/**
 * The harness stack the bench measures against, and the load it puts on it: topics on the
 * harness broker, connectors on the harness Connect worker, busybox containers on the harness
 * Docker engine labelled with the bench's compose project (NetworkMode none). Everything the
 * bench creates is recorded and removed by cleanup(), whatever happened in between.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { dockerClient } from '../../harness/docker.js';
import { TEST_IMAGE, TEST_LABEL } from '../../harness/images.js';
import { env as harnessEnv, makeContext, up, type HarnessServiceName } from '../../harness/index.js';

export const COMPOSE_PROJECT = 'sfpipe-bench';
/** The bench's own pipeline topics and sink (prefixed, so other people's demo topics on a shared broker are never touched). */
export const BENCH_TOPICS = ['pageviews', 'orders', 'ratings', 'stock_trades', 'users', 'clickstream'].map((t) => `sfb_${t}`);
export const BENCH_SINK = 'sfb-snowflake-sink';

export interface Harness {
  env: Record<string, string>;
  /** per service: undefined when up, else why not */
  missing: Partial<Record<HarnessServiceName, string>>;
}

/** Bring up each harness service on its own, so one that cannot start leaves the others usable. */
export async function harnessUp(names: HarnessServiceName[], log: (line: string) => void): Promise<Harness> {
  const ctx = makeContext({ quiet: true });
  const missing: Harness['missing'] = {};
  const upNames: HarnessServiceName[] = [];
  for (const name of names) {
    try {
      log(`harness: bringing up ${name}`);
      await up(ctx, [name]);
      upNames.push(name);
    } catch (err) {
      missing[name] = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      log(`harness: ${name} unavailable: ${missing[name]}`);
    }
  }
  return { env: upNames.length ? harnessEnv(ctx, upNames) : {}, missing };
}

export interface ConnectorSpec {
  name: string;
  state: 'RUNNING' | 'PAUSED' | 'STOPPED';
  kind: 'source' | 'sink';
  topic: string;
}

export class BenchStack {
  private readonly topics = new Set<string>();
  private readonly connectors = new Set<string>();
  private readonly containers = new Set<string>();
  readonly workdir: string;
  private admin: Admin | undefined;
  private docker: Docker | undefined;

  constructor(
    readonly env: Record<string, string>,
    private readonly log: (line: string) => void,
  ) {
    this.workdir = mkdtempSync(join(tmpdir(), 'sfpipe-bench-'));
  }

  // ---- Kafka ----------------------------------------------------------------------

  private async kafkaAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    const brokers = this.env.SFPIPE_KAFKA_BROKERS;
    if (!brokers) throw new Error('no harness Kafka broker');
    const kafka = new Kafka({ clientId: 'sfpipe-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 5_000, requestTimeout: 60_000 });
    this.admin = kafka.admin();
    await this.admin.connect();
    return this.admin;
  }

  /** Create the topics that do not exist yet (1 partition each); only those are deleted later. */
  async createTopics(names: string[], partitions = 1): Promise<void> {
    const admin = await this.kafkaAdmin();
    const existing = new Set(await admin.listTopics());
    const todo = names.filter((n) => !existing.has(n) && !this.topics.has(n));
    for (let i = 0; i < todo.length; i += 200) {
      const batch = todo.slice(i, i + 200);
      // recorded first: a batch that fails half-way still gets cleaned up
      batch.forEach((t) => this.topics.add(t));
      await admin.createTopics({ topics: batch.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })), waitForLeaders: false, timeout: 60_000 });
    }
    await this.waitForLeaders(admin, todo);
    if (todo.length) this.log(`created ${todo.length} topics`);
  }

  /** Until every partition of the topics has a leader (a fresh topic cannot be read before). */
  private async waitForLeaders(admin: Admin, names: string[], timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < names.length; i += 200) {
      const batch = names.slice(i, i + 200);
      for (;;) {
        const ready = await admin
          .fetchTopicMetadata({ topics: batch })
          .then((m) => m.topics.length === batch.length && m.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
          .catch(() => false);
        if (ready) break;
        if (Date.now() > deadline) throw new Error(`topics have no leader after ${timeoutMs} ms`);
        await sleep(250);
      }
    }
  }

  async deleteTopics(names?: string[]): Promise<void> {
    const mine = (names ?? [...this.topics]).filter((n) => this.topics.has(n));
    if (mine.length === 0) return;
    const admin = await this.kafkaAdmin();
    for (let i = 0; i < mine.length; i += 200) {
      const batch = mine.slice(i, i + 200);
      await admin.deleteTopics({ topics: batch, timeout: 60_000 }).catch((err: unknown) => this.log(`deleting topics: ${String(err)}`));
      batch.forEach((t) => this.topics.delete(t));
    }
    this.log(`deleted ${mine.length} topics`);
  }

  // ---- Connect --------------------------------------------------------------------

  private async rest(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const url = this.env.SFPIPE_CONNECT_URL;
    if (!url) throw new Error('no harness Connect worker');
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      // 409: a rebalance is in progress; Connect asks to retry
      if (res.status === 409 && attempt < 60) {
        await sleep(500);
        continue;
      }
      return { status: res.status, text };
    }
  }

  /** FileStream connectors (the harness has no datagen): created in their initial state (KIP-980), so stopped ones cost no task. */
  async createConnectors(specs: ConnectorSpec[]): Promise<void> {
    const emptyFile = join(this.workdir, 'empty.txt');
    writeFileSync(emptyFile, '');
    const sinkFile = join(this.workdir, 'sink.txt');
    let created = 0;
    for (const s of specs) {
      const config: Record<string, string> =
        s.kind === 'source'
          ? { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'tasks.max': '1', file: emptyFile, topic: s.topic }
          : { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', 'tasks.max': '1', file: sinkFile, topics: s.topic };
      const res = await this.rest('POST', '/connectors', { name: s.name, config, initial_state: s.state });
      if (res.status === 409 && res.text.includes('already exists')) throw new Error(`connector ${s.name} already exists on the harness worker (left by someone else?)`);
      if (res.status !== 201) throw new Error(`creating connector ${s.name}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      this.connectors.add(s.name);
      created++;
      if (created % 50 === 0) this.log(`created ${created}/${specs.length} connectors`);
    }
    if (created) this.log(`created ${created} connectors`);
  }

  /** Wait until the worker lists every connector we made (status known). */
  async waitForConnectors(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.rest('GET', '/connectors?expand=status');
      const listed = res.status === 200 ? (JSON.parse(res.text) as Record<string, { status?: { connector?: { state?: string } } }>) : {};
      const missing = [...this.connectors].filter((n) => !listed[n]?.status?.connector?.state);
      if (missing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${missing.length} connectors have no status after ${timeoutMs} ms`);
      await sleep(500);
    }
  }

  async deleteConnectors(names?: string[]): Promise<void> {
    const mine = (names ?? [...this.connectors]).filter((n) => this.connectors.has(n));
    for (const name of mine) {
      const res = await this.rest('DELETE', `/connectors/${encodeURIComponent(name)}`).catch((err: unknown) => ({ status: 0, text: String(err) }));
      if (res.status !== 204 && res.status !== 404) this.log(`deleting connector ${name}: HTTP ${res.status} ${res.text.slice(0, 120)}`);
      this.connectors.delete(name);
    }
    if (mine.length) this.log(`deleted ${mine.length} connectors`);
  }

  // ---- Docker ---------------------------------------------------------------------

  private dockerApi(): Docker {
    if (this.docker) return this.docker;
    const host = this.env.DOCKER_HOST;
    if (!host) throw new Error('no harness Docker engine');
    this.docker = dockerClient(host, 60_000);
    return this.docker;
  }

  /** Busybox containers sleeping, no network, labelled as services of the bench's compose project. */
  async createContainers(services: string[]): Promise<void> {
    const docker = this.dockerApi();
    for (const service of services) {
      const name = `${COMPOSE_PROJECT}-${service}-1`;
      const c = await docker.createContainer({
        name,
        Image: TEST_IMAGE,
        Cmd: ['sleep', '86400'],
        Labels: { 'com.docker.compose.project': COMPOSE_PROJECT, 'com.docker.compose.service': service, 'com.docker.compose.container-number': '1', [TEST_LABEL]: '1' },
        HostConfig: { NetworkMode: 'none', AutoRemove: false },
      });
      this.containers.add(c.id);
      await c.start();
    }
    if (services.length) this.log(`started ${services.length} containers`);
  }

  async removeContainers(): Promise<void> {
    if (this.containers.size === 0) return;
    const docker = this.dockerApi();
    const n = this.containers.size;
    await Promise.all(
      [...this.containers].map(async (id) => {
        await docker.getContainer(id).remove({ force: true }).catch((err: unknown) => this.log(`removing container ${id.slice(0, 12)}: ${String(err)}`));
        this.containers.delete(id);
      }),
    );
    this.log(`removed ${n} containers`);
  }

  // ---- the console's configuration -------------------------------------------------

  /**
   * A working directory holding an sfpipe.toml that points the console at `endpoints`
   * (defaults: the harness), and the environment to run it with: a HOME of its own (no user
   * config), the harness's Snowflake variables, nothing else of the bench's.
   */
  consoleSetup(name: string, endpoints: { brokers?: string; connectUrl?: string; dockerHost?: string; snowflakePort?: string } = {}): { cwd: string; env: Record<string, string> } {
    const cwd = join(this.workdir, name);
    const home = join(cwd, 'home');
    mkdirSync(home, { recursive: true });
    const brokers = endpoints.brokers ?? this.env.SFPIPE_KAFKA_BROKERS ?? '127.0.0.1:1';
    const connectUrl = endpoints.connectUrl ?? this.env.SFPIPE_CONNECT_URL ?? 'http://127.0.0.1:1';
    const dockerHost = endpoints.dockerHost ?? this.env.DOCKER_HOST ?? 'unix:///nonexistent.sock';
    writeFileSync(
      join(cwd, 'sfpipe.toml'),
      [
        '[kafka]',
        `brokers = [${JSON.stringify(brokers)}]`,
        `topics = [${BENCH_TOPICS.map((t) => JSON.stringify(t)).join(', ')}]`,
        '[connect]',
        `url = ${JSON.stringify(connectUrl)}`,
        `sink_connector = ${JSON.stringify(BENCH_SINK)}`,
        '[docker]',
        `host = ${JSON.stringify(dockerHost)}`,
        `compose_project = ${JSON.stringify(COMPOSE_PROJECT)}`,
        '',
      ].join('\n'),
    );
    const snowflake = Object.fromEntries(Object.entries(this.env).filter(([k]) => k.startsWith('SNOWFLAKE_') || k === 'PRIVATE_KEY_PASSPHRASE'));
    if (endpoints.snowflakePort) snowflake.SNOWFLAKE_PORT = endpoints.snowflakePort;
    const env: Record<string, string> = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8', ...snowflake };
    return { cwd, env };
  }

  async cleanup(): Promise<void> {
    await this.deleteConnectors().catch((err: unknown) => this.log(`cleanup connectors: ${String(err)}`));
    await this.removeContainers().catch((err: unknown) => this.log(`cleanup containers: ${String(err)}`));
    await this.deleteTopics().catch((err: unknown) => this.log(`cleanup topics: ${String(err)}`));
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
    rmSync(this.workdir, { recursive: true, force: true });
  }
}

/** The demo's connectors: a source per topic and the sink, running. */
export function demoConnectors(): ConnectorSpec[] {
  return [
    ...BENCH_TOPICS.map((t): ConnectorSpec => ({ name: `sfb-datagen-${t.slice(4).replace(/_/g, "-")}`, state: 'RUNNING', kind: 'source', topic: t })),
    { name: BENCH_SINK, state: 'RUNNING', kind: 'sink', topic: BENCH_TOPICS.join(',') },
  ];
}

/** Extra stopped connectors for the large case (no tasks: cheap for the worker). */
export function extraConnectors(n: number): ConnectorSpec[] {
  return Array.from({ length: n }, (_, i): ConnectorSpec => ({ name: `sfb-extra-${String(i).padStart(3, '0')}`, state: 'STOPPED', kind: 'source', topic: BENCH_TOPICS[i % BENCH_TOPICS.length]! }));
}

export const DEMO_SERVICES = ['broker', 'connect', 'schema-registry'];

export function extraServices(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `extra-${String(i).padStart(2, '0')}`);
}

export function extraTopics(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `sfb_load_${String(i).padStart(4, "0")}`);
}
