/**
 * Composition: configuration + services → one store and its pollers. The console, `serve`
 * and `status` all build their live picture here, so they poll and derive the same way.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { SfpipeConfig } from '../config/schema.js';
import type { Secret } from '../config/secret.js';
import type { Clock } from '../domain/clock.js';
import { createPollers, type PollerSet, type PollerSetOptions } from '../pollers/index.js';
import type { Services } from '../services/types.js';
import { createPipelineStore, type PipelineStore } from '../store/pipelineStore.js';

export const RATE_WINDOW_MS = 30_000;

export interface Pipeline {
  store: StoreApi<PipelineStore>;
  pollers: PollerSet;
}

/** The Kafka consumer group the sink connector commits under (Kafka Connect names it connect-<connector>). */
export function sinkGroupOf(config: SfpipeConfig): string {
  return `connect-${config.connect.sinkConnector}`;
}

/** Every secret the configuration holds, for scrubbing text that leaves the process. */
export function configSecrets(config: SfpipeConfig): (Secret | undefined)[] {
  const conns = [config.snowflake.pipeline, config.snowflake.admin];
  return conns.flatMap((c) => (c ? [c.privateKeyPassphrase, c.password] : []));
}

export function createPipeline(
  config: SfpipeConfig,
  services: Services,
  options: { clock: Clock } & Omit<PollerSetOptions, 'clock' | 'sinkGroup'>,
): Pipeline {
  const store = createPipelineStore({
    settings: { refreshMs: config.console.refreshMs, slowRefreshMs: config.console.slowRefreshMs },
    pipelineTopics: [...config.kafka.topics],
  });
  const pollers = createPollers(store, services, {
    rates: { windowMs: RATE_WINDOW_MS },
    // A source that comes back must show as ok within two refresh intervals (issue 9), so a
    // failing source is retried at least every second interval rather than backing off to 30 s.
    backoff: { maxMs: 2 * config.console.refreshMs },
    ...options,
    sinkGroup: sinkGroupOf(config),
  });
  return { store, pollers };
}
