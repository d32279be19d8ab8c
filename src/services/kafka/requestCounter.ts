/**
 * Counts the Kafka requests sfpipe sends, by API, from kafkajs's own instrumentation: the
 * `network.request` event fires once per answered request, `network.request_timeout` once
 * per request that got no answer in time. Tests and `npm run bench` read it to show that a
 * refresh costs the same number of requests at 6 topics as at 1,000.
 */
import type { InstrumentationSink } from './internals.js';

const REQUEST = 'network.request';
const REQUEST_TIMEOUT = 'network.request_timeout';

export interface RequestCounts {
  /** answered requests */
  total: number;
  /** answered requests by API name (Metadata, ListOffsets, OffsetFetch, ApiVersions …) */
  byApi: Record<string, number>;
  /** requests that timed out without an answer */
  timedOut: number;
}

export class RequestCounter implements InstrumentationSink {
  private byApi = new Map<string, number>();
  private timedOut = 0;

  emit(eventName: string, payload: unknown): void {
    if (eventName === REQUEST_TIMEOUT) this.timedOut++;
    if (eventName !== REQUEST) return;
    const api = (payload as { apiName?: unknown } | null)?.apiName;
    const name = typeof api === 'string' ? api : 'unknown';
    this.byApi.set(name, (this.byApi.get(name) ?? 0) + 1);
  }

  counts(): RequestCounts {
    const byApi = Object.fromEntries([...this.byApi].sort(([a], [b]) => a.localeCompare(b)));
    return { total: Object.values(byApi).reduce((s, n) => s + n, 0), byApi, timedOut: this.timedOut };
  }

  reset(): void {
    this.byApi.clear();
    this.timedOut = 0;
  }
}
