/**
 * In-memory fakes of the service interfaces, for pure-logic and UI tests and for benchmarks
 * with synthetic load (never a stand-in for an adapter's own tests, which use real engines).
 * Each fake counts its calls per method and can be told to fail, or to hang (optionally
 * ignoring the abort signal, like a backend that accepts the connection and never answers).
 */
import type { Clock } from '../domain/clock.js';
import { SfpipeError, type ErrorKind, type ErrorSource } from '../domain/errors.js';
import { fakeConnector } from '../domain/fixtures.js';
import type {
  ConnectorInfo,
  ConnectorState,
  ContainerInfo,
  KafkaSnapshot,
  SnowflakeSnapshot,
  SnowflakeTopicState,
  TopicInfo,
} from '../domain/model.js';

export { fakeConnector, fakeContainer, fakeSnowflakeTopic } from '../domain/fixtures.js';
import type {
  CallOptions,
  ConnectService,
  ConnectorPlugin,
  DockerService,
  IngestionHistoryOptions,
  IngestionMinute,
  KafkaMessage,
  KafkaService,
  KafkaSnapshotOptions,
  LogFollower,
  RestartOptions,
  Services,
  SnowflakeBacklog,
  SnowflakeService,
  SnowflakeTopicBacklog,
  TableRows,
  TaskHistoryOptions,
  TaskRun,
  TopicSpec,
} from './types.js';

interface HungCall {
  settle: () => void;
}

/** Failure and hang control plus per-method call counters, shared by every fake. */
export class FakeControl {
  private readonly counts = new Map<string, number>();
  private failure: { error: SfpipeError; remaining: number } | undefined;
  private hanging: { ignoreAbort: boolean } | undefined;
  private readonly hung = new Set<HungCall>();

  constructor(readonly source: ErrorSource) {}

  /** Calls of one method, or of all methods when none is named. */
  count(method?: string): number {
    if (method !== undefined) return this.counts.get(method) ?? 0;
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  resetCounts(): void {
    this.counts.clear();
  }

  /** The next `times` calls (default: every call until heal()) reject with this error. */
  failWith(kind: ErrorKind, message: string, times = Infinity): void {
    this.failure = { error: new SfpipeError(kind, this.source, message), remaining: times };
  }

  /** Calls never settle by themselves; with ignoreAbort they also ignore their abort signal. */
  hang(options: { ignoreAbort?: boolean } = {}): void {
    this.hanging = { ignoreAbort: options.ignoreAbort ?? false };
  }

  /** Back to answering normally (calls already hung stay hung until releaseHung). */
  heal(): void {
    this.failure = undefined;
    this.hanging = undefined;
  }

  /** Number of calls currently hung. */
  hungCalls(): number {
    return this.hung.size;
  }

  /** Let every hung call answer now (a late answer), with the data as it is now. */
  releaseHung(): void {
    for (const h of [...this.hung]) h.settle();
  }

  run<T>(method: string, opts: CallOptions | undefined, produce: () => T): Promise<T> {
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    if (opts?.signal?.aborted) return Promise.reject(new SfpipeError('timeout', this.source, `${method}: aborted`));
    if (this.failure && this.failure.remaining > 0) {
      this.failure.remaining--;
      const error = this.failure.error;
      if (this.failure.remaining <= 0) this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.hanging) {
      const { ignoreAbort } = this.hanging;
      return new Promise<T>((resolve, reject) => {
        const entry: HungCall = {
          settle: () => {
            this.hung.delete(entry);
            settleWith(produce, resolve, reject);
          },
        };
        this.hung.add(entry);
        if (!ignoreAbort) {
          opts?.signal?.addEventListener('abort', () => {
            this.hung.delete(entry);
            reject(new SfpipeError('timeout', this.source, `${method}: aborted`));
          }, { once: true });
        }
      });
    }
    return new Promise<T>((resolve, reject) => settleWith(produce, resolve, reject));
  }
}

function settleWith<T>(produce: () => T, resolve: (v: T) => void, reject: (e: unknown) => void): void {
  try {
    resolve(produce());
  } catch (err) {
    reject(err);
  }
}

const clone = <T>(v: T): T => structuredClone(v);

// ---- Docker ---------------------------------------------------------------

export class FakeDocker implements DockerService {
  readonly control = new FakeControl('docker');
  containers: ContainerInfo[];
  logLines = new Map<string, string[]>();

  constructor(containers: ContainerInfo[] = []) {
    this.containers = containers;
  }

  listContainers(opts?: CallOptions): Promise<ContainerInfo[]> {
    return this.control.run('listContainers', opts, () => clone(this.containers));
  }

  start(id: string, opts?: CallOptions): Promise<void> {
    return this.control.run('start', opts, () => this.set(id, { state: 'running', exitCode: undefined }));
  }

  stop(id: string, opts?: CallOptions): Promise<void> {
    return this.control.run('stop', opts, () => this.set(id, { state: 'exited', exitCode: 0 }));
  }

  restart(id: string, opts?: CallOptions): Promise<void> {
    return this.control.run('restart', opts, () => {
      const c = this.find(id);
      this.set(id, { state: 'running', exitCode: undefined, restartCount: c.restartCount + 1 });
    });
  }

  pause(id: string, opts?: CallOptions): Promise<void> {
    return this.control.run('pause', opts, () => this.set(id, { state: 'paused' }));
  }

  unpause(id: string, opts?: CallOptions): Promise<void> {
    return this.control.run('unpause', opts, () => this.set(id, { state: 'running' }));
  }

  logs(id: string, lines: number, opts?: CallOptions): Promise<string[]> {
    return this.control.run('logs', opts, () => {
      this.find(id);
      return (this.logLines.get(id) ?? []).slice(-Math.max(0, lines));
    });
  }

  followLogs(id: string, onLine: (line: string) => void, _onError: (err: Error) => void, opts?: CallOptions): Promise<LogFollower> {
    return this.control.run('followLogs', opts, () => {
      this.find(id);
      const follower = { stopped: false, stop: () => { follower.stopped = true; } };
      this.followers.push({ id, onLine, follower });
      return follower;
    });
  }

  /** Append a log line, delivering it to live followers. */
  emitLog(id: string, line: string): void {
    this.logLines.set(id, [...(this.logLines.get(id) ?? []), line]);
    for (const f of this.followers) if (f.id === id && !f.follower.stopped) f.onLine(line);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private readonly followers: { id: string; onLine: (line: string) => void; follower: { stopped: boolean } }[] = [];

  private find(id: string): ContainerInfo {
    const c = this.containers.find((x) => x.id === id || x.name === id);
    if (!c) throw new SfpipeError('not-found', 'docker', `no container ${id}`);
    return c;
  }

  private set(id: string, patch: Partial<ContainerInfo>): void {
    const c = this.find(id);
    this.containers = this.containers.map((x) => (x === c ? { ...x, ...patch } : x));
  }
}

// ---- Kafka ----------------------------------------------------------------

interface FakePartition {
  earliest: number;
  end: number;
  committed: number | undefined;
}

interface FakeTopic {
  internal: boolean;
  partitions: FakePartition[];
  /** steady producer: messages per second, spread round-robin over partitions */
  ratePerSecond: number;
  /** fractional messages carried between accruals so a steady rate stays exact */
  carry: number;
  accruedAt: number;
}

/**
 * A fake broker. Steady producers accrue messages from the injected clock, so a test that
 * advances a ManualClock sees end offsets grow at exactly the configured rate.
 */
export class FakeKafka implements KafkaService {
  readonly control = new FakeControl('kafka');
  readonly topics = new Map<string, FakeTopic>();
  /** when set, snapshots report committed offsets under this group */
  sinkGroup: string | undefined;
  brokers = 1;

  constructor(private readonly clock: Clock, sinkGroup?: string) {
    this.sinkGroup = sinkGroup;
  }

  addTopic(name: string, partitions = 1, options: { internal?: boolean; ratePerSecond?: number } = {}): this {
    this.topics.set(name, {
      internal: options.internal ?? false,
      partitions: Array.from({ length: partitions }, () => ({ earliest: 0, end: 0, committed: undefined })),
      ratePerSecond: options.ratePerSecond ?? 0,
      carry: 0,
      accruedAt: this.clock.now(),
    });
    return this;
  }

  deleteTopic(name: string): void {
    this.topics.delete(name);
  }

  /** Change a topic's steady production rate from now on. */
  setRate(name: string, perSecond: number): void {
    const t = this.topic(name);
    this.accrue(t);
    t.ratePerSecond = perSecond;
  }

  /** Append `count` messages, round-robin over partitions. */
  produce(name: string, count: number): void {
    const t = this.topic(name);
    this.accrue(t);
    this.append(t, count);
  }

  /** The sink commits everything produced so far. */
  commitAll(name: string): void {
    const t = this.topic(name);
    this.accrue(t);
    for (const p of t.partitions) p.committed = p.end;
  }

  /** The sink commits `count` more messages, spread over partitions in order. */
  commit(name: string, count: number): void {
    const t = this.topic(name);
    this.accrue(t);
    let left = count;
    for (const p of t.partitions) {
      const base = p.committed ?? p.earliest;
      const step = Math.min(left, p.end - base);
      p.committed = base + step;
      left -= step;
    }
  }

  snapshot(opts: KafkaSnapshotOptions = {}): Promise<KafkaSnapshot> {
    return this.control.run('snapshot', opts, () => {
      const topics: TopicInfo[] = [];
      const group = opts.sinkGroup ?? this.sinkGroup;
      for (const [name, t] of this.topics) {
        this.accrue(t);
        if (t.internal && !opts.includeInternal) continue;
        topics.push({
          name,
          internal: t.internal,
          partitions: t.partitions.map((p, partition) => ({
            partition,
            earliest: p.earliest,
            end: p.end,
            committed: group === undefined ? undefined : p.committed,
          })),
        });
      }
      return { brokers: this.brokers, topics, sinkGroup: group };
    });
  }

  createTopics(specs: TopicSpec[], opts?: CallOptions): Promise<string[]> {
    return this.control.run('createTopics', opts, () => {
      const created: string[] = [];
      for (const s of specs) {
        if (this.topics.has(s.name)) continue;
        this.addTopic(s.name, s.partitions);
        created.push(s.name);
      }
      return created;
    });
  }

  latestMessages(topic: string, count: number, opts?: CallOptions): Promise<KafkaMessage[]> {
    return this.control.run('latestMessages', opts, () => {
      const t = this.topic(topic);
      this.accrue(t);
      const out: KafkaMessage[] = [];
      t.partitions.forEach((p, partition) => {
        for (let o = Math.max(p.earliest, p.end - count); o < p.end; o++) {
          out.push({ partition, offset: o, timestamp: this.clock.now(), key: null, value: new TextEncoder().encode(`${topic}-${partition}-${o}`) });
        }
      });
      return out.slice(-count);
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private topic(name: string): FakeTopic {
    const t = this.topics.get(name);
    if (!t) throw new SfpipeError('not-found', 'kafka', `no topic ${name}`);
    return t;
  }

  private accrue(t: FakeTopic): void {
    const now = this.clock.now();
    const exact = (t.ratePerSecond * (now - t.accruedAt)) / 1000 + t.carry;
    const whole = Math.floor(exact);
    t.carry = exact - whole;
    t.accruedAt = now;
    if (whole > 0) this.append(t, whole);
  }

  private append(t: FakeTopic, count: number): void {
    const n = t.partitions.length;
    const base = Math.floor(count / n);
    const extra = count % n;
    t.partitions.forEach((p, i) => {
      p.end += base + (i < extra ? 1 : 0);
    });
  }
}

// ---- Kafka Connect --------------------------------------------------------

export class FakeConnect implements ConnectService {
  readonly control = new FakeControl('connect');
  connectors: ConnectorInfo[];
  pluginList: ConnectorPlugin[] = [
    { className: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '3.9.0' },
    { className: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '3.9.0' },
  ];

  constructor(connectors: ConnectorInfo[] = []) {
    this.connectors = connectors;
  }

  list(opts?: CallOptions): Promise<ConnectorInfo[]> {
    return this.control.run('list', opts, () => clone(this.connectors));
  }

  pause(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('pause', opts, () => this.setState(name, 'PAUSED'));
  }

  resume(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('resume', opts, () => this.setState(name, 'RUNNING'));
  }

  stop(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('stop', opts, () => this.setState(name, 'STOPPED'));
  }

  restart(name: string, restart: RestartOptions, opts?: CallOptions): Promise<void> {
    return this.control.run('restart', opts, () => {
      const c = this.find(name);
      const tasks = restart.includeTasks
        ? c.tasks.map((t) => (restart.onlyFailed && t.state !== 'FAILED' ? t : { ...t, state: 'RUNNING' as ConnectorState, trace: undefined }))
        : c.tasks;
      const restartConnector = !restart.onlyFailed || c.state === 'FAILED';
      this.replace(name, { ...c, tasks, ...(restartConnector ? { state: 'RUNNING', trace: undefined } : {}) });
    });
  }

  restartTask(name: string, taskId: number, opts?: CallOptions): Promise<void> {
    return this.control.run('restartTask', opts, () => {
      const c = this.find(name);
      if (!c.tasks.some((t) => t.id === taskId)) throw new SfpipeError('not-found', 'connect', `connector ${name} has no task ${taskId}`);
      this.replace(name, { ...c, tasks: c.tasks.map((t) => (t.id === taskId ? { ...t, state: 'RUNNING', trace: undefined } : t)) });
    });
  }

  delete(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('delete', opts, () => {
      this.find(name);
      this.connectors = this.connectors.filter((c) => c.name !== name);
    });
  }

  deploy(name: string, config: Record<string, string>, opts?: CallOptions): Promise<'created' | 'updated'> {
    return this.control.run('deploy', opts, () => {
      const topics = (config.topics ?? config['kafka.topic'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const existing = this.connectors.find((c) => c.name === name);
      const next = fakeConnector(name, { className: config['connector.class'], config: { ...config }, topics, type: existing?.type ?? 'source' });
      if (existing) {
        this.replace(name, { ...existing, config: next.config, topics, className: next.className });
        return 'updated';
      }
      this.connectors = [...this.connectors, next];
      return 'created';
    });
  }

  plugins(opts?: CallOptions): Promise<ConnectorPlugin[]> {
    return this.control.run('plugins', opts, () => clone(this.pluginList));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private find(name: string): ConnectorInfo {
    const c = this.connectors.find((x) => x.name === name);
    if (!c) throw new SfpipeError('not-found', 'connect', `no connector ${name}`);
    return c;
  }

  private replace(name: string, next: ConnectorInfo): void {
    this.connectors = this.connectors.map((c) => (c.name === name ? next : c));
  }

  private setState(name: string, state: ConnectorState): void {
    const c = this.find(name);
    this.replace(name, { ...c, state, tasks: c.tasks.map((t) => ({ ...t, state })) });
  }
}

// ---- Snowflake ------------------------------------------------------------

/**
 * A fake Snowflake account. metadata() stands for the SHOW queries; backlog() for the
 * warehouse-bound ones, counted in warehouseQueries so benchmarks can show they stay at 0.
 */
export class FakeSnowflake implements SnowflakeService {
  readonly control = new FakeControl('snowflake');
  database = 'KAFKA_DB';
  schema = 'PUBLIC';
  topics: SnowflakeTopicState[];
  /** stream backlog per topic, as SELECT COUNT(*) FROM <stream> would answer */
  streamBacklog = new Map<string, number>();

  constructor(topics: SnowflakeTopicState[] = [], private readonly clock?: Clock) {
    this.topics = topics;
  }

  /** rows per table, oldest first, as latestRows() reads them */
  tables = new Map<string, TableRows>();
  /** rows per minute per table, newest last, as ingestionHistory() reads them */
  ingestion = new Map<string, IngestionMinute[]>();
  /** runs per task, newest first, as taskHistory() reads them */
  taskRuns = new Map<string, TaskRun[]>();
  /** set to make taskHistory() fail as a server without tasks does (the local stand-in) */
  tasksUnsupported = false;

  /** Warehouse-bound queries run so far (backlog(), executeTask() and the details' latestRows() / ingestionHistory() / taskHistory()). */
  get warehouseQueries(): number {
    return ['backlog', 'executeTask', 'latestRows', 'ingestionHistory', 'taskHistory'].reduce((n, op) => n + this.control.count(op), 0);
  }

  setRows(topic: string, rawRows: number, extractedRows: number): void {
    this.topics = this.topics.map((t) => (t.topic === topic ? { ...t, rawRows, extractedRows } : t));
  }

  metadata(opts?: CallOptions): Promise<SnowflakeSnapshot> {
    return this.control.run('metadata', opts, () => ({
      database: this.database,
      schema: this.schema,
      topics: this.topics.map((t) => {
        const copy = clone(t);
        if (copy.stream) copy.stream = { ...copy.stream, backlog: undefined, backlogAt: undefined };
        if (copy.task) copy.task = { ...copy.task, lastRun: undefined, nextRunAt: undefined };
        return copy;
      }),
    }));
  }

  backlog(opts?: CallOptions): Promise<SnowflakeBacklog> {
    return this.control.run('backlog', opts, () => ({
      at: this.clock?.now() ?? 0,
      topics: this.topics.map((t): SnowflakeTopicBacklog => ({
        topic: t.topic,
        streamBacklog: t.stream ? (this.streamBacklog.get(t.topic) ?? 0) : undefined,
        lastRun: t.task?.lastRun,
        nextRunAt: t.task?.nextRunAt,
      })),
    }));
  }

  suspendTask(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('suspendTask', opts, () => this.setTask(name, 'suspended'));
  }

  resumeTask(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('resumeTask', opts, () => this.setTask(name, 'started'));
  }

  executeTask(name: string, opts?: CallOptions): Promise<void> {
    return this.control.run('executeTask', opts, () => {
      this.findTask(name);
    });
  }

  latestRows(table: string, count: number, opts?: CallOptions): Promise<TableRows> {
    return this.control.run('latestRows', opts, () => {
      const t = this.tables.get(table);
      if (!t) throw new SfpipeError('not-found', 'snowflake', `Snowflake error 002003 (42S02): Table '${table}' does not exist or not authorized.`);
      return { columns: [...t.columns], rows: clone(t.rows.slice(-Math.max(0, count))) };
    });
  }

  ingestionHistory(table: string, opts: IngestionHistoryOptions): Promise<IngestionMinute[]> {
    return this.control.run('ingestionHistory', opts, () => {
      if (!this.tables.has(table) && !this.ingestion.has(table)) throw new SfpipeError('not-found', 'snowflake', `Snowflake error 002003 (42S02): Table '${table}' does not exist or not authorized.`);
      // a minute that began before `since` may still hold records produced after it
      const recent = (this.ingestion.get(table) ?? []).filter((m) => m.minute + 60_000 > opts.since);
      return clone(recent.slice(-(opts.limit ?? 10)));
    });
  }

  taskHistory(task: string, opts: TaskHistoryOptions = {}): Promise<TaskRun[]> {
    return this.control.run('taskHistory', opts, () => {
      if (this.tasksUnsupported) throw new SfpipeError('unsupported', 'snowflake', 'Snowflake error 001003 (42000): TASK_HISTORY is not supported by this server');
      return clone((this.taskRuns.get(task) ?? []).slice(0, opts.limit ?? 20));
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private findTask(name: string): SnowflakeTopicState {
    const t = this.topics.find((x) => x.task?.name === name);
    if (!t) throw new SfpipeError('not-found', 'snowflake', `no task ${name}`);
    return t;
  }

  private setTask(name: string, state: 'started' | 'suspended'): void {
    const owner = this.findTask(name);
    this.topics = this.topics.map((t) => (t === owner && t.task ? { ...t, task: { ...t.task, state } } : t));
  }
}

// ---- All four -------------------------------------------------------------

export interface FakeServices extends Services {
  docker: FakeDocker;
  kafka: FakeKafka;
  connect: FakeConnect;
  snowflake: FakeSnowflake;
  closed: boolean;
}

/** Four configured fakes sharing one clock. */
export function createFakeServices(clock: Clock, sinkGroup = 'connect-snowflake-sink'): FakeServices {
  const services: FakeServices = {
    docker: new FakeDocker(),
    kafka: new FakeKafka(clock, sinkGroup),
    connect: new FakeConnect(),
    snowflake: new FakeSnowflake([], clock),
    closed: false,
    close: () => {
      services.closed = true;
      return Promise.resolve();
    },
  };
  return services;
}
