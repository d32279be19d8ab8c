/**
 * Plain types of the pipeline model: what the adapters return and the store holds.
 * No SDK type appears here; adapters translate at their boundary.
 */
import type { SfpipeError } from './errors.js';

export type SourceName = 'docker' | 'kafka' | 'connect' | 'snowflake';
export const SOURCE_NAMES: readonly SourceName[] = ['docker', 'kafka', 'connect', 'snowflake'];

/** ok: fresh data; stale: last refresh failed but we have older data; down: no usable data; unconfigured: nothing to poll. */
export type SourceStatus = 'ok' | 'stale' | 'down' | 'unconfigured';

export interface SourceState<T> {
  status: SourceStatus;
  data: T | undefined;
  error: SfpipeError | undefined;
  /** When data was last refreshed successfully (epoch ms), or undefined if never. */
  updatedAt: number | undefined;
  /** When the last attempt finished, successful or not. */
  attemptedAt: number | undefined;
  latencyMs: number | undefined;
}

// ---- Docker ---------------------------------------------------------------

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | (string & {});
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ContainerInfo {
  id: string;
  name: string;
  /** compose service name (label com.docker.compose.service), if any */
  service: string | undefined;
  image: string;
  state: ContainerState;
  health: ContainerHealth;
  /** epoch ms when the container last started, if running */
  startedAt: number | undefined;
  restartCount: number;
  exitCode: number | undefined;
  cpuPercent: number | undefined;
  memoryBytes: number | undefined;
  memoryLimitBytes: number | undefined;
}

// ---- Kafka ----------------------------------------------------------------

export interface PartitionOffsets {
  partition: number;
  earliest: number;
  end: number;
  /** committed offset of the sink's consumer group, if it has committed */
  committed: number | undefined;
}

export interface TopicInfo {
  name: string;
  internal: boolean;
  partitions: PartitionOffsets[];
}

export interface KafkaSnapshot {
  brokers: number;
  topics: TopicInfo[];
  /** consumer group whose commits measure the sink's progress, e.g. connect-snowflake-sink */
  sinkGroup: string | undefined;
  /**
   * When the committed offsets were read (clock ms), if the source says: they can be a refresh
   * older than the end offsets (the Kafka adapter reuses them while it reads metadata).
   */
  committedAt?: number;
}

// ---- Kafka Connect --------------------------------------------------------

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING' | (string & {});

export interface ConnectorTask {
  id: number;
  state: ConnectorState;
  workerId: string;
  trace: string | undefined;
}

export interface ConnectorInfo {
  name: string;
  type: 'source' | 'sink' | (string & {});
  className: string | undefined;
  state: ConnectorState;
  workerId: string;
  trace: string | undefined;
  tasks: ConnectorTask[];
  /** config with secrets already redacted by the adapter */
  config: Record<string, string>;
  /** topics this connector reads or writes, from its config */
  topics: string[];
}

// ---- Snowflake ------------------------------------------------------------

export type TaskRunState = 'SCHEDULED' | 'EXECUTING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED' | 'FAILED_AND_AUTO_SUSPENDED' | (string & {});

export interface SnowflakeTask {
  name: string;
  state: 'started' | 'suspended' | (string & {});
  schedule: string | undefined;
  condition: string | undefined;
  lastSuspendedReason: string | undefined;
  lastRun: { state: TaskRunState; at: number; error: string | undefined } | undefined;
  nextRunAt: number | undefined;
}

export interface SnowflakeStream {
  name: string;
  stale: boolean;
  staleAfter: number | undefined;
  mode: string | undefined;
  hasData: boolean | undefined;
  /** rows waiting in the stream; only from the slow, warehouse-bound poll */
  backlog: number | undefined;
  backlogAt: number | undefined;
}

export interface SnowflakeTopicState {
  topic: string;
  rawTable: string;
  rawRows: number | undefined;
  extractedTable: string;
  extractedRows: number | undefined;
  stream: SnowflakeStream | undefined;
  task: SnowflakeTask | undefined;
}

export interface SnowflakeSnapshot {
  database: string;
  schema: string;
  topics: SnowflakeTopicState[];
}

/** What only warehouse-bound queries tell (stream backlog counts, task history), per topic. */
export interface SnowflakeTopicBacklog {
  topic: string;
  /** SELECT COUNT(*) FROM <stream>; undefined when the stream does not exist */
  streamBacklog: number | undefined;
  lastRun: { state: TaskRunState; at: number; error: string | undefined } | undefined;
  nextRunAt: number | undefined;
}

export interface SnowflakeBacklog {
  /** when the queries ran (epoch ms) */
  at: number;
  topics: SnowflakeTopicBacklog[];
}

// ---- Derived --------------------------------------------------------------

export type FunnelStage = 'produced' | 'sink' | 'raw' | 'stream' | 'extracted';

export interface FunnelVerdict {
  /** the stage where records are waiting, or 'flowing' / 'idle' / 'unknown' */
  waitingAt: FunnelStage | 'flowing' | 'idle' | 'unknown';
  /** how many records wait there, if known */
  waiting: number | undefined;
  /** since when (epoch ms) they have been waiting, if known */
  since: number | undefined;
  explanation: string;
}

export interface TopicFunnel {
  topic: string;
  produced: number | undefined;
  committedBySink: number | undefined;
  sinkLag: number | undefined;
  rawRows: number | undefined;
  inStream: number | undefined;
  extractedRows: number | undefined;
  verdict: FunnelVerdict;
}
