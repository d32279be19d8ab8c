/**
 * Two Snowflake pollers: metadata (SHOW only, no warehouse) on the normal cadence, and the
 * warehouse-bound backlog/task-history poll on the slow cadence — settings.slowRefreshMs,
 * where 0 means never on its own, only when asked (refreshNow of the backlog poller).
 */
import type { SnowflakeService } from '../services/types.js';
import { createPoller, type Poller } from './poller.js';
import { createSourcePoller, type SourcePollerOptions, type Store } from './sourcePoller.js';

export interface SnowflakePollerOptions extends SourcePollerOptions {
  /** per-call timeout of the warehouse-bound queries (a suspended warehouse takes a while to resume) */
  backlogTimeoutMs: number;
}

export interface SnowflakePollers {
  metadata: Poller;
  /** its stats().calls counts warehouse-bound query rounds */
  backlog: Poller;
}

export function createSnowflakePollers(store: Store, snowflake: SnowflakeService, options: SnowflakePollerOptions): SnowflakePollers {
  const metadata = createSourcePoller(store, 'snowflake', (signal, timeoutMs) => snowflake.metadata({ signal, timeoutMs }), options);
  const backlog = createPoller({
    name: 'snowflake backlog',
    source: 'snowflake',
    clock: options.clock,
    intervalMs: () => store.getState().settings.slowRefreshMs,
    timeoutMs: options.backlogTimeoutMs,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.random ? { random: options.random } : {}),
    fetch: (signal, timeoutMs) => snowflake.backlog({ signal, timeoutMs }),
    onSuccess: (data, at, latencyMs) => store.getState().backlogSucceeded(data, at, latencyMs),
    onFailure: (error, at) => store.getState().backlogFailed(error, at),
  });
  return { metadata, backlog };
}
