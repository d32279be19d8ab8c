/**
 * Preset pipeline states for UI tests: healthy, nothing configured, a source down with
 * last-known data, unknown states, very long names, many rows. Built through the real
 * store factory so the UI sees exactly what the pollers would write.
 */
import { SfpipeError, type ErrorKind, type ErrorSource } from '../../domain/errors.js';
import type { ConnectorInfo, ContainerInfo, KafkaSnapshot, SnowflakeSnapshot, SnowflakeTopicState, SourceState, TopicInfo } from '../../domain/model.js';
import { createPipelineStore } from '../../store/pipelineStore.js';
import type { PipelineState, SourcesState, TopicRate } from '../../store/state.js';

/** 2026-01-15 12:00:00 UTC: every fixture's "now". */
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export const err = (kind: ErrorKind, source: ErrorSource, message: string, hint?: string) => new SfpipeError(kind, source, message, hint ? { hint } : {});

export function ok<T>(data: T, updatedAt = T0 - 2_000): SourceState<T> {
  return { status: 'ok', data, error: undefined, updatedAt, attemptedAt: updatedAt, latencyMs: 12 };
}

export function stale<T>(data: T, updatedAt: number, error: SfpipeError): SourceState<T> {
  return { status: 'stale', data, error, updatedAt, attemptedAt: T0 - 1_000, latencyMs: undefined };
}

export function down(error: SfpipeError): SourceState<never> {
  return { status: 'down', data: undefined, error, updatedAt: undefined, attemptedAt: T0 - 1_000, latencyMs: undefined };
}

export function unconfigured(source: ErrorSource, reason: string, hint?: string): SourceState<never> {
  return { status: 'unconfigured', data: undefined, error: err('unsupported', source, reason, hint), updatedAt: undefined, attemptedAt: undefined, latencyMs: undefined };
}

export const DEMO_TOPICS = ['pageviews', 'orders', 'ratings', 'stock_trades', 'users', 'clickstream'];

export function container(name: string, over: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `id-${name}`,
    name: `demo-${name}-1`,
    service: name,
    image: `sfpipe/${name}:local`,
    state: 'running',
    health: 'healthy',
    startedAt: T0 - 3_725_000,
    restartCount: 0,
    exitCode: undefined,
    cpuPercent: 3.2,
    memoryBytes: 512 * 1024 * 1024,
    memoryLimitBytes: 2 * 1024 * 1024 * 1024,
    ...over,
  };
}

export function topic(name: string, end = 12_000, committed: number | undefined = end - 150, partitions = 1): TopicInfo {
  return {
    name,
    internal: name.startsWith('_'),
    partitions: Array.from({ length: partitions }, (_, p) => ({ partition: p, earliest: 0, end, committed })),
  };
}

export function kafka(topics: TopicInfo[]): KafkaSnapshot {
  return { brokers: 1, topics, sinkGroup: 'connect-snowflake-sink' };
}

export function connector(name: string, state: string = 'RUNNING', over: Partial<ConnectorInfo> = {}): ConnectorInfo {
  return {
    name,
    type: name.includes('sink') ? 'sink' : 'source',
    className: 'io.confluent.kafka.connect.datagen.DatagenConnector',
    state,
    workerId: '127.0.0.1:8083',
    trace: undefined,
    tasks: [{ id: 0, state, workerId: '127.0.0.1:8083', trace: undefined }],
    config: {},
    topics: [],
    ...over,
  };
}

export function snowflakeTopic(name: string, over: Partial<SnowflakeTopicState> = {}): SnowflakeTopicState {
  const upper = name.toUpperCase();
  return {
    topic: name,
    rawTable: upper,
    rawRows: 11_850,
    extractedTable: `${upper}_EXTRACTED`,
    extractedRows: 11_700,
    stream: { name: `STREAM_${upper}`, stale: false, staleAfter: undefined, mode: 'DEFAULT', hasData: true, backlog: 150, backlogAt: T0 - 30_000 },
    task: {
      name: `TASK_EXTRACT_AVRO_FROM_${upper}`,
      state: 'started',
      schedule: '1 MINUTE',
      condition: `SYSTEM$STREAM_HAS_DATA('STREAM_${upper}')`,
      lastSuspendedReason: undefined,
      lastRun: { state: 'SUCCEEDED', at: T0 - 20_000, error: undefined },
      nextRunAt: T0 + 40_000,
    },
    ...over,
  };
}

export function snowflake(topics: SnowflakeTopicState[]): SnowflakeSnapshot {
  return { database: 'KAFKA_DB', schema: 'PUBLIC', topics };
}

function rates(names: string[]): Record<string, TopicRate> {
  return Object.fromEntries(names.map((n, i) => [n, { topic: n, perSecond: 10 + i, history: [1, 4, 9, 10 + i] }]));
}

function sources(over: Partial<SourcesState>): SourcesState {
  return {
    docker: ok([container('broker'), container('connect'), container('schema-registry')]),
    kafka: ok(kafka(DEMO_TOPICS.map((t) => topic(t)))),
    connect: ok([...DEMO_TOPICS.map((t) => connector(`datagen-${t}`)), connector('snowflake-sink')]),
    snowflake: ok(snowflake(DEMO_TOPICS.map((t) => snowflakeTopic(t)))),
    ...over,
  };
}

export function healthyState(over: Partial<SourcesState> = {}): Partial<PipelineState> {
  return { sources: sources(over), rates: rates(DEMO_TOPICS), pipelineTopics: [...DEMO_TOPICS] };
}

/** First run: nothing configured or running. */
export function nothingState(): Partial<PipelineState> {
  return {
    sources: {
      docker: down(err('unreachable', 'docker', 'connect ENOENT /var/run/docker.sock', 'is the Docker engine running?')),
      kafka: down(err('unreachable', 'kafka', 'connect ECONNREFUSED 127.0.0.1:9092')),
      connect: down(err('unreachable', 'connect', 'connect ECONNREFUSED 127.0.0.1:8083')),
      snowflake: unconfigured('snowflake', 'no Snowflake connection configured', 'add one to ~/.snowflake/connections.toml'),
    },
  };
}

export function manyTopicsState(n: number): Partial<PipelineState> {
  const names = Array.from({ length: n }, (_, i) => `topic-${String(i).padStart(4, '0')}`);
  return { sources: sources({ kafka: ok(kafka(names.map((t) => topic(t)))) }), rates: rates(names) };
}

export function makeStore(state: Partial<PipelineState>) {
  return createPipelineStore(state);
}
