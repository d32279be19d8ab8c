/**
 * The versioned JSON picture `sfpipe status --json` prints (documented in docs/status-json.md).
 * Version 1 only ever gains fields; renaming or removing one means version 2.
 * Unknown values are null (never missing), times are ISO-8601 UTC, and no secret is included:
 * error texts are scrubbed of the configured secrets, private keys and URL credentials.
 */
import { redactText } from '../config/redact.js';
import type { Secret } from '../config/secret.js';
import { SOURCE_NAMES, type FunnelStage, type SourceName, type SourceStatus } from '../domain/model.js';
import { selectFunnels, selectSourceAge, selectTopicRows } from '../store/selectors.js';
import type { PipelineState } from '../store/state.js';
import { isHealthy } from './health.js';

export const STATUS_JSON_VERSION = 1;

export interface StatusJsonSource {
  status: SourceStatus;
  updatedAt: string | null;
  ageMs: number | null;
  latencyMs: number | null;
  /** present when status is not ok: why (for unconfigured, what is missing) */
  error?: { kind: string; message: string; hint: string | null };
}

export interface StatusJsonTopic {
  name: string;
  ratePerSecond: number | null;
  partitions: number | null;
  funnel: {
    produced: number | null;
    committedBySink: number | null;
    sinkLag: number | null;
    rawRows: number | null;
    inStream: number | null;
    extractedRows: number | null;
    verdict: {
      waitingAt: FunnelStage | 'flowing' | 'idle' | 'unknown';
      waiting: number | null;
      since: string | null;
      explanation: string;
    };
  };
}

export interface StatusJsonV1 {
  version: 1;
  generatedAt: string;
  /** true when every configured source is ok (the exit code is 0 exactly then) */
  healthy: boolean;
  settings: { refreshMs: number; slowRefreshMs: number; rateWindowMs: number };
  sources: Record<SourceName, StatusJsonSource>;
  topics: StatusJsonTopic[];
}

export interface StatusJsonOptions {
  /** span of the message-rate window, reported so readers know what the rate averages over */
  rateWindowMs: number;
  /** secrets from the configuration, scrubbed from any text that goes out */
  secrets?: Iterable<string | Secret | undefined>;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** Remove credentials from error text: configured secrets, PEM blocks, user:password@ in URLs. */
export function scrubText(text: string, secrets: Iterable<string | Secret | undefined> = []): string {
  return redactText(text, secrets).replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
}

export function buildStatusJson(state: PipelineState, now: number, options: StatusJsonOptions): StatusJsonV1 {
  const secrets = [...(options.secrets ?? [])];
  const sources = {} as Record<SourceName, StatusJsonSource>;
  for (const name of SOURCE_NAMES) {
    const s = state.sources[name];
    const entry: StatusJsonSource = {
      status: s.status,
      updatedAt: iso(s.updatedAt),
      ageMs: orNull(selectSourceAge(state, name, now)),
      latencyMs: orNull(s.latencyMs),
    };
    if (s.status !== 'ok' && s.error) {
      entry.error = { kind: s.error.kind, message: scrubText(s.error.message, secrets), hint: s.error.hint === undefined ? null : scrubText(s.error.hint, secrets) };
    }
    sources[name] = entry;
  }
  const rows = new Map(selectTopicRows(state).map((r) => [r.name, r]));
  const topics = selectFunnels(state, now).map((f): StatusJsonTopic => ({
    name: f.topic,
    ratePerSecond: orNull(state.rates[f.topic]?.perSecond),
    partitions: orNull(rows.get(f.topic)?.partitions),
    funnel: {
      produced: orNull(f.produced),
      committedBySink: orNull(f.committedBySink),
      sinkLag: orNull(f.sinkLag),
      rawRows: orNull(f.rawRows),
      inStream: orNull(f.inStream),
      extractedRows: orNull(f.extractedRows),
      verdict: {
        waitingAt: f.verdict.waitingAt,
        waiting: orNull(f.verdict.waiting),
        since: iso(f.verdict.since),
        explanation: scrubText(f.verdict.explanation, secrets),
      },
    },
  }));
  return {
    version: STATUS_JSON_VERSION,
    generatedAt: new Date(now).toISOString(),
    healthy: isHealthy(state),
    settings: { refreshMs: state.settings.refreshMs, slowRefreshMs: state.settings.slowRefreshMs, rateWindowMs: options.rateWindowMs },
    sources,
    topics,
  };
}
