/**
 * The service interfaces: what sfpipe asks of Docker, Kafka, Kafka Connect and Snowflake,
 * in the project's own types (src/domain/model.ts). Real adapters (src/services/<name>/)
 * and the in-memory fakes (fakes.ts) implement these; pollers and actions call them, nothing else.
 *
 * Contract for every method of every service:
 * - it honours `opts.timeoutMs` (an adapter default applies when absent) and `opts.signal`
 *   (abort = give up and release what the call holds, e.g. cancel the Snowflake statement);
 * - it rejects only with SfpipeError (use toSfpipeError at the boundary), never with an SDK error;
 * - it never logs and never puts a secret into an error message.
 * Callers wrap calls with withTimeout (timeout.ts) as well, so a hung adapter cannot hang them.
 */
import type {
  ConnectorInfo,
  ContainerInfo,
  KafkaSnapshot,
  SnowflakeBacklog,
  SnowflakeSnapshot,
  TaskRunState,
} from '../domain/model.js';

export type { SnowflakeBacklog, SnowflakeTopicBacklog } from '../domain/model.js';

export interface CallOptions {
  /** Give up after this long with SfpipeError kind 'timeout'. */
  timeoutMs?: number;
  /** Aborted when the caller stopped waiting (timeout, shutdown). */
  signal?: AbortSignal;
}

// ---- Docker ---------------------------------------------------------------

export interface LogFollower {
  /** Stop following and release the stream; idempotent. */
  stop(): void;
}

export interface DockerService {
  /** The compose project's containers (found by label), with state, health and resource use. */
  listContainers(opts?: CallOptions): Promise<ContainerInfo[]>;
  start(id: string, opts?: CallOptions): Promise<void>;
  stop(id: string, opts?: CallOptions): Promise<void>;
  restart(id: string, opts?: CallOptions): Promise<void>;
  pause(id: string, opts?: CallOptions): Promise<void>;
  unpause(id: string, opts?: CallOptions): Promise<void>;
  /** The last `lines` log lines (stdout and stderr interleaved), oldest first. */
  logs(id: string, lines: number, opts?: CallOptions): Promise<string[]>;
  /** Follow new log lines until stop() or `opts.signal` aborts; errors arrive via onError. */
  followLogs(id: string, onLine: (line: string) => void, onError: (err: Error) => void, opts?: CallOptions): Promise<LogFollower>;
  close(): Promise<void>;
}

// ---- Kafka ----------------------------------------------------------------

export interface KafkaSnapshotOptions extends CallOptions {
  /** Include internal topics (__consumer_offsets …); default false. */
  includeInternal?: boolean;
  /** Consumer group whose committed offsets measure the sink, e.g. connect-snowflake-sink. */
  sinkGroup?: string;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
}

export interface KafkaMessage {
  partition: number;
  offset: number;
  /** epoch ms of the record's timestamp */
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
}

export interface KafkaService {
  /**
   * Topics, partitions, earliest/end offsets and the sink group's committed offsets.
   * The number of requests must not grow with the number of topics.
   */
  snapshot(opts?: KafkaSnapshotOptions): Promise<KafkaSnapshot>;
  /** Create the topics that do not exist yet; returns the names it created. */
  createTopics(topics: TopicSpec[], opts?: CallOptions): Promise<string[]>;
  /** Up to `count` most recent messages of a topic across its partitions, oldest first. */
  latestMessages(topic: string, count: number, opts?: CallOptions): Promise<KafkaMessage[]>;
  close(): Promise<void>;
}

// ---- Kafka Connect --------------------------------------------------------

export interface RestartOptions {
  onlyFailed: boolean;
  includeTasks: boolean;
}

export interface ConnectorPlugin {
  className: string;
  type: 'source' | 'sink' | (string & {});
  version: string | undefined;
}

export interface ConnectService {
  /** Every connector with status and info, in one request (expand=status&expand=info). */
  list(opts?: CallOptions): Promise<ConnectorInfo[]>;
  pause(name: string, opts?: CallOptions): Promise<void>;
  resume(name: string, opts?: CallOptions): Promise<void>;
  stop(name: string, opts?: CallOptions): Promise<void>;
  restart(name: string, restart: RestartOptions, opts?: CallOptions): Promise<void>;
  restartTask(name: string, taskId: number, opts?: CallOptions): Promise<void>;
  delete(name: string, opts?: CallOptions): Promise<void>;
  /** Create or update (PUT /connectors/{name}/config); retries 409 rebalances with backoff. */
  deploy(name: string, config: Record<string, string>, opts?: CallOptions): Promise<'created' | 'updated'>;
  plugins(opts?: CallOptions): Promise<ConnectorPlugin[]>;
  close(): Promise<void>;
}

// ---- Snowflake ------------------------------------------------------------

export interface SnowflakeService {
  /**
   * SHOW TABLES / SHOW STREAMS / SHOW TASKS only: never resumes a warehouse, cheap to poll.
   * Stream backlog and task history fields are left undefined here.
   */
  metadata(opts?: CallOptions): Promise<SnowflakeSnapshot>;
  /**
   * Stream backlog counts and task history. WAKES A WAREHOUSE (bills credits): called only
   * on the slow cadence (settings.slowRefreshMs) or on demand.
   */
  backlog(opts?: CallOptions): Promise<SnowflakeBacklog>;
  suspendTask(name: string, opts?: CallOptions): Promise<void>;
  resumeTask(name: string, opts?: CallOptions): Promise<void>;
  /** EXECUTE TASK: runs it once now (uses the task's warehouse). */
  executeTask(name: string, opts?: CallOptions): Promise<void>;
  /**
   * The `count` most recent rows of a raw table (by RECORD_METADATA:CreateTime, then offset),
   * newest last. WAKES A WAREHOUSE: on demand only (the details view), never polled.
   */
  latestRows(table: string, count: number, opts?: CallOptions): Promise<TableRows>;
  /**
   * A task's runs in the last day (TASK_HISTORY), newest first, at most `opts.limit`.
   * WAKES A WAREHOUSE (treated so): on demand only. A server without tasks rejects 'unsupported'.
   */
  taskHistory(task: string, opts?: TaskHistoryOptions): Promise<TaskRun[]>;
  /**
   * Rows of a raw table per minute of their Kafka CreateTime since `opts.since`, newest last, the
   * latest `opts.limit` minutes that had rows. WAKES A WAREHOUSE: on demand only.
   */
  ingestionHistory(table: string, opts: IngestionHistoryOptions): Promise<IngestionMinute[]>;
  close(): Promise<void>;
}

/** Rows of a table as the driver decoded them (VARIANT → objects, timestamps → Date). */
export interface TableRows {
  /** column names in the table's order; empty when there are no rows */
  columns: string[];
  rows: unknown[][];
}

export interface TaskHistoryOptions extends CallOptions {
  /** most runs returned; default 20 */
  limit?: number;
}

export interface IngestionHistoryOptions extends CallOptions {
  /** epoch ms: records produced before this are not counted */
  since: number;
  /** most minutes returned (the newest); default 10 */
  limit?: number;
}

/** Rows ingested into a raw table whose records were produced in one minute. */
export interface IngestionMinute {
  /** epoch ms of the minute's start (UTC) */
  minute: number;
  rows: number;
}

/** One row of TASK_HISTORY. */
export interface TaskRun {
  /** epoch ms */
  scheduledAt: number;
  state: TaskRunState;
  startedAt: number | undefined;
  completedAt: number | undefined;
  /** "<code>: <message>" of a failed run */
  error: string | undefined;
}

// ---- SQL scripts ----------------------------------------------------------

/** Where a statement comes from, for errors: the script file and the statement's first line. */
export interface SqlLocation {
  file: string;
  line: number;
}

/**
 * Runs the statements of a script one at a time on one session (so USE ROLE / USE SCHEMA carry
 * over), for setup and cleanup. Rejects with SfpipeError whose location is `file:line` and whose
 * message starts with the Snowflake error code; never echoes the statement's literals.
 */
export interface SqlRunner {
  run(statement: string, at: SqlLocation, opts?: CallOptions): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

// ---- Composition ----------------------------------------------------------

/** A source sfpipe has no configuration (or no adapter) for: shown as 'unconfigured', never polled. */
export interface Unconfigured {
  readonly unconfigured: true;
  /** what is missing, e.g. "no Snowflake connection configured" */
  readonly reason: string;
  /** what to do about it, e.g. "set SNOWFLAKE_ACCOUNT or run `sfpipe doctor`" */
  readonly hint?: string;
}

export type Slot<T> = T | Unconfigured;

export interface Services {
  docker: Slot<DockerService>;
  kafka: Slot<KafkaService>;
  connect: Slot<ConnectService>;
  snowflake: Slot<SnowflakeService>;
  /** Close every configured service; never rejects. */
  close(): Promise<void>;
}

export function unconfigured(reason: string, hint?: string): Unconfigured {
  return hint === undefined ? { unconfigured: true, reason } : { unconfigured: true, reason, hint };
}

export function isUnconfigured(slot: unknown): slot is Unconfigured {
  return typeof slot === 'object' && slot !== null && (slot as { unconfigured?: unknown }).unconfigured === true;
}
