/**
 * Named, pure selectors over PipelineState. Rows come in stable orders (by name, or the
 * configured topic order) so they do not jump between refreshes, and each selector returns
 * the same array while its inputs are unchanged, so `useStore(store, selectX)` does not
 * re-render (or loop) on every store write.
 */
import { topicFunnel } from '../domain/funnel.js';
import type {
  ConnectorInfo,
  ConnectorState,
  ContainerHealth,
  ContainerState,
  SnowflakeTask,
  SourceName,
  TopicFunnel,
} from '../domain/model.js';
import type { PipelineState } from './state.js';

/** Single-entry memo: same inputs (by identity) → same output object. */
function memo<A extends readonly unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = compute(...args);
    last = { args, result };
    return result;
  };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---- Sources --------------------------------------------------------------

/** Age of a source's data in ms at `now`, or undefined if it never answered. */
export function selectSourceAge(state: PipelineState, source: SourceName, now: number): number | undefined {
  const updatedAt = state.sources[source].updatedAt;
  return updatedAt === undefined ? undefined : Math.max(0, now - updatedAt);
}

// ---- Funnel ---------------------------------------------------------------

const funnelTopics = memo((pipelineTopics: string[] | undefined, kafka: PipelineState['sources']['kafka']['data'], snowflake: PipelineState['sources']['snowflake']['data']): string[] => {
  if (pipelineTopics) return pipelineTopics;
  const names = new Set<string>();
  for (const t of kafka?.topics ?? []) if (!t.internal) names.add(t.name);
  for (const t of snowflake?.topics ?? []) names.add(t.topic);
  return [...names].sort(byName);
});

/** Topics the funnel covers: the configured ones in their order, else every non-internal topic by name. */
export function selectFunnelTopics(state: PipelineState): string[] {
  return funnelTopics(state.pipelineTopics, state.sources.kafka.data, state.sources.snowflake.data);
}

const funnels = memo((state: PipelineState['sources'], rates: PipelineState['rates'], waits: PipelineState['funnelWaits'], topics: string[], now: number): TopicFunnel[] =>
  topics.map((topic) =>
    topicFunnel({ topic, kafka: state.kafka, snowflake: state.snowflake, waits: waits?.[topic], ratePerSecond: rates[topic]?.perSecond, now }),
  ),
);

export function selectFunnels(state: PipelineState, now: number): TopicFunnel[] {
  return funnels(state.sources, state.rates, state.funnelWaits, selectFunnelTopics(state), now);
}

// ---- Topics ---------------------------------------------------------------

export interface TopicRow {
  name: string;
  internal: boolean;
  partitions: number;
  /** sum of end offsets: records ever produced */
  endOffset: number;
  /** records still held (end − earliest) */
  retained: number;
  /** sink consumer-group lag, undefined when no sink group is known */
  sinkLag: number | undefined;
  ratePerSecond: number | undefined;
  /** oldest first, for the sparkline */
  rateHistory: number[];
}

const topicRows = memo((kafka: PipelineState['sources']['kafka']['data'], rates: PipelineState['rates']): TopicRow[] => {
  if (!kafka) return [];
  return kafka.topics
    .map((t): TopicRow => {
      const endOffset = t.partitions.reduce((s, p) => s + p.end, 0);
      const rate = rates[t.name];
      return {
        name: t.name,
        internal: t.internal,
        partitions: t.partitions.length,
        endOffset,
        retained: t.partitions.reduce((s, p) => s + Math.max(0, p.end - p.earliest), 0),
        sinkLag: kafka.sinkGroup === undefined ? undefined : t.partitions.reduce((s, p) => s + Math.max(0, p.end - (p.committed ?? p.earliest)), 0),
        ratePerSecond: rate?.perSecond,
        rateHistory: rate?.history ?? [],
      };
    })
    .sort((a, b) => byName(a.name, b.name));
});

export function selectTopicRows(state: PipelineState): TopicRow[] {
  return topicRows(state.sources.kafka.data, state.rates);
}

// ---- Connectors -----------------------------------------------------------

export interface ConnectorRow {
  name: string;
  type: ConnectorInfo['type'];
  className: string | undefined;
  state: ConnectorState;
  workerId: string;
  tasksTotal: number;
  tasksRunning: number;
  /** ids of tasks in FAILED state */
  failedTasks: number[];
  /** the connector's or first failed task's trace, first line only */
  traceSummary: string | undefined;
  topics: string[];
}

const connectorRows = memo((connectors: ConnectorInfo[] | undefined): ConnectorRow[] =>
  (connectors ?? [])
    .map((c): ConnectorRow => {
      const failed = c.tasks.filter((t) => t.state === 'FAILED');
      const trace = c.trace ?? failed.find((t) => t.trace)?.trace;
      return {
        name: c.name,
        type: c.type,
        className: c.className,
        state: c.state,
        workerId: c.workerId,
        tasksTotal: c.tasks.length,
        tasksRunning: c.tasks.filter((t) => t.state === 'RUNNING').length,
        failedTasks: failed.map((t) => t.id),
        traceSummary: trace?.split('\n', 1)[0]?.trim() || undefined,
        topics: c.topics,
      };
    })
    .sort((a, b) => byName(a.name, b.name)),
);

export function selectConnectorRows(state: PipelineState): ConnectorRow[] {
  return connectorRows(state.sources.connect.data);
}

// ---- Containers -----------------------------------------------------------

export interface ContainerRow {
  id: string;
  /** compose service name when known, else the container name */
  name: string;
  containerName: string;
  image: string;
  state: ContainerState;
  health: ContainerHealth;
  /** epoch ms of the last start (uptime = now − startedAt while running) */
  startedAt: number | undefined;
  restartCount: number;
  exitCode: number | undefined;
  cpuPercent: number | undefined;
  memoryBytes: number | undefined;
  memoryLimitBytes: number | undefined;
}

const containerRows = memo((containers: PipelineState['sources']['docker']['data']): ContainerRow[] =>
  (containers ?? [])
    .map((c): ContainerRow => ({
      id: c.id,
      name: c.service ?? c.name,
      containerName: c.name,
      image: c.image,
      state: c.state,
      health: c.health,
      startedAt: c.startedAt,
      restartCount: c.restartCount,
      exitCode: c.exitCode,
      cpuPercent: c.cpuPercent,
      memoryBytes: c.memoryBytes,
      memoryLimitBytes: c.memoryLimitBytes,
    }))
    .sort((a, b) => byName(a.name, b.name) || byName(a.containerName, b.containerName)),
);

export function selectContainerRows(state: PipelineState): ContainerRow[] {
  return containerRows(state.sources.docker.data);
}

// ---- Snowflake ------------------------------------------------------------

export interface SnowflakeRow {
  topic: string;
  rawTable: string;
  rawRows: number | undefined;
  extractedTable: string;
  extractedRows: number | undefined;
  streamName: string | undefined;
  streamStale: boolean | undefined;
  streamHasData: boolean | undefined;
  /** rows waiting in the stream: only known after a warehouse-bound poll */
  streamBacklog: number | undefined;
  streamBacklogAt: number | undefined;
  taskName: string | undefined;
  taskState: SnowflakeTask['state'] | undefined;
  taskSchedule: string | undefined;
  taskCondition: string | undefined;
  taskSuspendedReason: string | undefined;
  lastRun: SnowflakeTask['lastRun'];
  nextRunAt: number | undefined;
}

const snowflakeRows = memo((snowflake: PipelineState['sources']['snowflake']['data'], order: string[] | undefined): SnowflakeRow[] => {
  if (!snowflake) return [];
  const rank = (topic: string) => {
    const i = order?.indexOf(topic) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return snowflake.topics
    .map((t): SnowflakeRow => ({
      topic: t.topic,
      rawTable: t.rawTable,
      rawRows: t.rawRows,
      extractedTable: t.extractedTable,
      extractedRows: t.extractedRows,
      streamName: t.stream?.name,
      streamStale: t.stream?.stale,
      streamHasData: t.stream?.hasData,
      streamBacklog: t.stream?.backlog,
      streamBacklogAt: t.stream?.backlogAt,
      taskName: t.task?.name,
      taskState: t.task?.state,
      taskSchedule: t.task?.schedule,
      taskCondition: t.task?.condition,
      taskSuspendedReason: t.task?.lastSuspendedReason,
      lastRun: t.task?.lastRun,
      nextRunAt: t.task?.nextRunAt,
    }))
    .sort((a, b) => rank(a.topic) - rank(b.topic) || byName(a.topic, b.topic));
});

/** One row per topic, in the configured topic order (then by name). */
export function selectSnowflakeRows(state: PipelineState): SnowflakeRow[] {
  return snowflakeRows(state.sources.snowflake.data, state.pipelineTopics);
}
