/**
 * Starts and stops every poller over one set of services. A source without configuration is
 * marked 'unconfigured' once, and never polled.
 */
import type { Clock } from '../domain/clock.js';
import { SOURCE_NAMES, type SourceName } from '../domain/model.js';
import { isUnconfigured, type Services } from '../services/types.js';
import { createConnectPoller } from './connect.js';
import { createDockerPoller } from './docker.js';
import { createKafkaPoller } from './kafka.js';
import type { BackoffOptions, Poller, PollerStats } from './poller.js';
import type { RateOptions } from './rates.js';
import { createSnowflakePollers } from './snowflake.js';
import type { Store } from './sourcePoller.js';

/** Per-call timeouts, ms. Generous enough for a loaded laptop, short enough that a hung source shows fast. */
export const DEFAULT_TIMEOUTS: Readonly<Record<SourceName | 'snowflakeBacklog', number>> = {
  docker: 5_000,
  kafka: 5_000,
  connect: 5_000,
  snowflake: 15_000,
  snowflakeBacklog: 60_000,
};

export interface PollerSetOptions {
  clock: Clock;
  timeouts?: Partial<Record<SourceName | 'snowflakeBacklog', number>>;
  /** consumer group of the Snowflake sink (connect-<name>) whose commits the funnel measures */
  sinkGroup?: string;
  backoff?: BackoffOptions;
  random?: () => number;
  rates?: RateOptions;
}

export type PollerKey = SourceName | 'snowflakeBacklog';

export interface PollerSet {
  /** The pollers of configured sources. */
  readonly pollers: Partial<Record<PollerKey, Poller>>;
  start(): void;
  stop(): void;
  /** Refresh one source now, or every source (not the warehouse-bound backlog). Never rejects. */
  refreshNow(source?: SourceName): Promise<void>;
  /** Run the warehouse-bound Snowflake queries now (on demand). Never rejects. */
  refreshBacklog(): Promise<void>;
  stats(): Partial<Record<PollerKey, PollerStats>>;
}

export function createPollers(store: Store, services: Services, options: PollerSetOptions): PollerSet {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const common = (source: SourceName) => ({
    clock: options.clock,
    timeoutMs: timeouts[source],
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const pollers: Partial<Record<PollerKey, Poller>> = {};
  const at = options.clock.now();

  for (const source of SOURCE_NAMES) {
    const slot = services[source];
    if (isUnconfigured(slot)) {
      store.getState().sourceUnconfigured(source, slot.reason, { ...(slot.hint !== undefined ? { hint: slot.hint } : {}), at });
      if (source === 'snowflake') store.getState().backlogUnconfigured(slot.reason);
    }
  }
  if (!isUnconfigured(services.docker)) pollers.docker = createDockerPoller(store, services.docker, common('docker'));
  if (!isUnconfigured(services.kafka)) {
    pollers.kafka = createKafkaPoller(store, services.kafka, {
      ...common('kafka'),
      ...(options.sinkGroup !== undefined ? { sinkGroup: options.sinkGroup } : {}),
      ...(options.rates ? { rates: options.rates } : {}),
    });
  }
  if (!isUnconfigured(services.connect)) pollers.connect = createConnectPoller(store, services.connect, common('connect'));
  if (!isUnconfigured(services.snowflake)) {
    const sf = createSnowflakePollers(store, services.snowflake, { ...common('snowflake'), backlogTimeoutMs: timeouts.snowflakeBacklog });
    pollers.snowflake = sf.metadata;
    pollers.snowflakeBacklog = sf.backlog;
  }

  const all = () => Object.values(pollers);
  return {
    pollers,
    start: () => all().forEach((p) => p.start()),
    stop: () => all().forEach((p) => p.stop()),
    refreshNow: async (source) => {
      const targets = source === undefined ? SOURCE_NAMES.map((s) => pollers[s]) : [pollers[source]];
      await Promise.all(targets.map((p) => p?.refreshNow()));
    },
    refreshBacklog: async () => {
      await pollers.snowflakeBacklog?.refreshNow();
    },
    stats: () => Object.fromEntries(Object.entries(pollers).map(([k, p]) => [k, p.stats()])) as Partial<Record<PollerKey, PollerStats>>,
  };
}
