/** What every per-source poller shares: the store it writes, the clock, timeouts and backoff. */
import type { StoreApi } from 'zustand/vanilla';
import type { Clock } from '../domain/clock.js';
import type { SourceName } from '../domain/model.js';
import type { PipelineStore } from '../store/pipelineStore.js';
import { createPoller, type BackoffOptions, type Poller } from './poller.js';

export interface SourcePollerOptions {
  clock: Clock;
  /** per-call timeout for this source */
  timeoutMs: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

export type Store = StoreApi<PipelineStore>;

/** Below this an answer is never called overdue: very short intervals would make a healthy source flicker. */
export const MIN_OVERDUE_MS = 2_000;

/** A poller on the normal cadence (settings.refreshMs) writing one source's state. */
export function createSourcePoller<S extends SourceName>(
  store: Store,
  source: S,
  fetch: (signal: AbortSignal, timeoutMs: number) => Promise<NonNullable<PipelineStore['sources'][S]['data']>>,
  options: SourcePollerOptions,
  afterSuccess?: (data: NonNullable<PipelineStore['sources'][S]['data']>, at: number) => void,
): Poller {
  return createPoller({
    name: source,
    source,
    clock: options.clock,
    intervalMs: () => store.getState().settings.refreshMs,
    timeoutMs: options.timeoutMs,
    // No answer within two refresh intervals shows as stale at once (issue 9), not only at the timeout.
    overdueAfterMs: () => Math.max(2 * store.getState().settings.refreshMs, MIN_OVERDUE_MS),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.random ? { random: options.random } : {}),
    fetch,
    onSuccess: (data, at, latencyMs) => {
      store.getState().sourceSucceeded(source, data, at, latencyMs);
      afterSuccess?.(data, at);
    },
    onFailure: (error, at) => store.getState().sourceFailed(source, error, at),
  });
}
