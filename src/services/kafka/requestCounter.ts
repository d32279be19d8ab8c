/**
 * Counts the Kafka requests sfpipe sends, by API, from kafkajs's own instrumentation: the
 * `network.request` event fires once per answered request, `network.request_timeout` once
 * per request that got no answer in time. Tests and `npm run bench` read it to show that a
 * refresh costs the same number of requests at 6 topics as at 1,000, and at most two per broker.
 */
import type { InstrumentationSink } from './internals.js';

const REQUEST = 'network.request';
const REQUEST_TIMEOUT = 'network.request_timeout';

export interface RequestCounts {
  /** answered requests */
  total: number;
  /** answered requests by API name (Metadata, ListOffsets, OffsetFetch, ApiVersions …) */
  byApi: Record<string, number>;
  /** answered requests by broker (host:port as kafkajs connected to it) */
  byBroker: Record<string, number>;
  /** requests that timed out without an answer */
  timedOut: number;
}

export class RequestCounter implements InstrumentationSink {
  private byApi = new Map<string, number>();
  private byBroker = new Map<string, number>();
  private timedOut = 0;

  emit(eventName: string, payload: unknown): void {
    if (eventName === REQUEST_TIMEOUT) this.timedOut++;
    if (eventName !== REQUEST) return;
    const { apiName, broker } = (payload ?? {}) as { apiName?: unknown; broker?: unknown };
    bump(this.byApi, typeof apiName === 'string' ? apiName : 'unknown');
    bump(this.byBroker, typeof broker === 'string' ? broker : 'unknown');
  }

  counts(): RequestCounts {
    const byApi = sortedRecord(this.byApi);
    return { total: Object.values(byApi).reduce((s, n) => s + n, 0), byApi, byBroker: sortedRecord(this.byBroker), timedOut: this.timedOut };
  }

  reset(): void {
    this.byApi.clear();
    this.byBroker.clear();
    this.timedOut = 0;
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}
