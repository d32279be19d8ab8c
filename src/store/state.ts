/**
 * The shape of the shared pipeline store. Pollers are its only writers (through the
 * actions in pipelineStore.ts); panes read it through named selectors (selectors.ts).
 * One store serves every viewer (local console and every SSH session); per-viewer UI
 * state (focus, selection, filter) lives elsewhere.
 */
import type { SfpipeError } from '../domain/errors.js';
import type { FunnelWaits } from '../domain/funnel.js';
import type {
  ConnectorInfo,
  ContainerInfo,
  KafkaSnapshot,
  SnowflakeBacklog,
  SnowflakeSnapshot,
  SourceName,
  SourceState,
} from '../domain/model.js';

export interface SourcesState {
  docker: SourceState<ContainerInfo[]>;
  kafka: SourceState<KafkaSnapshot>;
  connect: SourceState<ConnectorInfo[]>;
  snowflake: SourceState<SnowflakeSnapshot>;
}

/** Per-topic message rate, derived by the Kafka poller from successive end offsets. */
export interface TopicRate {
  topic: string;
  /** messages per second over the sliding window, undefined until two samples exist */
  perSecond: number | undefined;
  /** recent per-second rates, oldest first, bounded (ring buffer), for the sparkline */
  history: number[];
}

export type EventLevel = 'info' | 'warn' | 'error';

export interface PipelineEvent {
  at: number;
  level: EventLevel;
  source: SourceName | 'action' | 'sfpipe';
  message: string;
}

/** The result of the last user action, shown in the status line. */
export interface ActionResult {
  at: number;
  action: string;
  ok: boolean;
  message: string;
}

export interface PollSettings {
  refreshMs: number;
  slowRefreshMs: number; // 0 = warehouse-bound queries only on demand
}

export interface PipelineState {
  sources: SourcesState;
  rates: Record<string, TopicRate>;
  /** bounded, newest last */
  events: PipelineEvent[];
  lastAction: ActionResult | undefined;
  settings: PollSettings;
  /**
   * The slow, warehouse-bound Snowflake poll (stream backlog, task history); its data is also
   * merged into sources.snowflake.data. Optional so hand-built states (UI tests) may omit it.
   */
  snowflakeBacklog?: SourceState<SnowflakeBacklog>;
  /** Per topic, since when records have waited at each funnel stage (see domain/funnel.ts). */
  funnelWaits?: Record<string, FunnelWaits>;
  /** The topics the pipeline carries (from config); undefined = every non-internal topic. */
  pipelineTopics?: string[];
}

export type { SfpipeError };
