/**
 * The console's details views over the services (the DetailsProvider of src/ui/details/types.ts):
 * - a container's last log lines (Docker);
 * - a connector's state, task traces and config — redacted by the Connect adapter, and again by the UI;
 * - a topic's partitions with the sink group's committed offsets (its lag) and its last
 *   messages decoded (Avro through the Schema Registry, JSON or text: src/decode);
 * - a topic's raw table: its latest rows, rows ingested per minute over the last hour and its
 *   task's history. That WAKES A WAREHOUSE, so it
 *   runs only when the user opens the view, never on a timer, and the view says so.
 * Every call is bounded in time and ends when the view is closed (its AbortSignal); a source
 * that is not configured is a clear error naming what to set up.
 */
import type { SfpipeConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import { isSfpipeError, SfpipeError } from '../domain/errors.js';
import { createMessageDecoder, type DecodedMessage, type MessageDecoder } from '../decode/decodeMessage.js';
import { renderValue, truncateText } from '../decode/render.js';
import { createSchemaRegistryClient } from '../services/schemaRegistry/client.js';
import { topicObjects, type SnowflakeTopicObjects } from '../services/snowflake/objects.js';
import { withTimeout } from '../services/timeout.js';
import { isUnconfigured, type CallOptions, type IngestionMinute, type Services, type Slot, type TaskRun } from '../services/types.js';
import type { ConnectorDetails, DetailsProvider, TableDetails, TopicDetails, TopicMessage } from '../ui/details/types.js';
import { sinkGroupOf } from './pipeline.js';

type DetailSource = 'docker' | 'kafka' | 'connect' | 'snowflake';

/** Bounds per source: a warehouse may have to resume before Snowflake answers. */
export const DETAILS_TIMEOUT_MS: Readonly<Record<DetailSource, number>> = { docker: 10_000, kafka: 15_000, connect: 10_000, snowflake: 60_000 };
/** Minutes of ingestion listed under a table's rows, and how far back they may reach. */
export const INGESTION_MINUTES_SHOWN = 10;
export const INGESTION_WINDOW_MS = 60 * 60_000;
/** Task runs listed under a table's rows. */
export const TASK_RUNS_SHOWN = 20;
/** One table cell on screen; a RECORD_CONTENT of many kilobytes is cut here. */
const CELL_MAX_CHARS = 400;

export interface DetailsOptions {
  config: SfpipeConfig;
  services: Services;
  clock: Clock;
  /** default: one decoder (and schema cache) over config.schemaRegistry.url */
  decoder?: MessageDecoder;
  timeoutMs?: Partial<Record<DetailSource, number>>;
}

export function createDetailsProvider(options: DetailsOptions): DetailsProvider {
  const { config, services, clock } = options;
  const limits = { ...DETAILS_TIMEOUT_MS, ...options.timeoutMs };
  const decoder = options.decoder ?? createMessageDecoder({ registry: createSchemaRegistryClient({ url: config.schemaRegistry.url }), clock });
  const objects = topicObjects(config.kafka.topics);

  /** The service behind a slot, the call bounded twice: the adapter's own timeout, and ours a moment later in case it hangs. */
  const call = <S, T>(source: DetailSource, slot: Slot<S>, what: string, signal: AbortSignal, fn: (service: S, opts: CallOptions) => Promise<T>): Promise<T> => {
    if (isUnconfigured(slot)) return Promise.reject(new SfpipeError('unsupported', source, slot.reason, slot.hint === undefined ? {} : { hint: slot.hint }));
    const timeoutMs = limits[source];
    return withTimeout((s) => fn(slot, { signal: s, timeoutMs }), { timeoutMs: timeoutMs + 1_000, clock, source, what, signal });
  };

  return {
    containerLogs(containerId, tail, signal) {
      return call('docker', services.docker, `read the logs of ${containerId}`, signal, (docker, opts) => docker.logs(containerId, tail, opts));
    },

    async connector(name, signal) {
      const all = await call('connect', services.connect, 'list connectors', signal, (connect, opts) => connect.list(opts));
      const c = all.find((x) => x.name === name);
      if (!c) throw new SfpipeError('not-found', 'connect', `no connector named ${name} on ${config.connect.url}`, { hint: 'it may have been deleted; r refreshes the list' });
      const details: ConnectorDetails = {
        name: c.name,
        config: { ...c.config },
        state: c.state,
        trace: c.trace,
        tasks: c.tasks.map((t) => ({ id: t.id, state: t.state, workerId: t.workerId, trace: t.trace })),
      };
      return details;
    },

    async topic(topic, lastMessages, signal) {
      const [snapshot, messages] = await Promise.all([
        call('kafka', services.kafka, 'read topic offsets', signal, (kafka, opts) => kafka.snapshot({ ...opts, sinkGroup: sinkGroupOf(config) })),
        call('kafka', services.kafka, `read the last messages of ${topic}`, signal, (kafka, opts) => kafka.latestMessages(topic, lastMessages, opts)),
      ]);
      const info = snapshot.topics.find((t) => t.name === topic);
      if (!info) throw new SfpipeError('not-found', 'kafka', `no topic named ${topic} on the broker`, { hint: 'it may have been deleted; r refreshes the list' });
      const decoded = await Promise.all(messages.map((m) => decoder.decodeRecord(m, signal)));
      const details: TopicDetails = {
        topic,
        partitions: info.partitions.map((p) => ({ partition: p.partition, earliest: p.earliest, end: p.end, committed: p.committed })),
        messages: decoded.map(
          (d): TopicMessage => ({ partition: d.partition, offset: d.offset, timestamp: d.timestamp, key: keyText(d.key), value: d.value.text, format: d.value.format }),
        ),
      };
      return details;
    },

    async table(topic, latestRows, signal) {
      const o = objectsOf(objects, topic);
      // One statement after the other: the session is shared with the pollers, and some servers refuse concurrent statements.
      const rows = await call('snowflake', services.snowflake, `read the latest rows of ${o.rawTable}`, signal, (sf, opts) => sf.latestRows(o.rawTable, latestRows, opts));
      const notes = [`Read on demand on warehouse ${warehouseOf(config)}: it resumes if suspended and bills credits until it suspends again.`];
      let ingestion: IngestionMinute[] | undefined;
      try {
        const since = clock.now() - INGESTION_WINDOW_MS;
        ingestion = await call('snowflake', services.snowflake, `read the ingestion history of ${o.rawTable}`, signal, (sf, opts) =>
          sf.ingestionHistory(o.rawTable, { ...opts, since, limit: INGESTION_MINUTES_SHOWN }),
        );
      } catch (err) {
        if (signal.aborted) throw err;
        notes.push(`No ingestion history for ${o.rawTable}: ${isSfpipeError(err) ? err.describe() : String(err)}`);
      }
      let taskRuns: TaskRun[] = [];
      try {
        taskRuns = await call('snowflake', services.snowflake, `read the history of ${o.task}`, signal, (sf, opts) => sf.taskHistory(o.task, { ...opts, limit: TASK_RUNS_SHOWN }));
      } catch (err) {
        if (signal.aborted) throw err;
        notes.push(historyNote(o.task, err));
      }
      const details: TableDetails = {
        table: o.rawTable,
        columns: rows.columns,
        rows: rows.rows.map((r) => r.map(cellText)),
        ingestion: ingestion?.map((m) => ({ minute: m.minute, rows: m.rows })),
        taskRuns: taskRuns.map((r) => ({ scheduledAt: r.scheduledAt, state: r.state, error: r.error })),
        notes,
      };
      return details;
    },
  };
}

function objectsOf(objects: readonly SnowflakeTopicObjects[], topic: string): SnowflakeTopicObjects {
  // A topic outside the configured list gets the same naming rule (objects.ts).
  return objects.find((o) => o.topic === topic) ?? topicObjects([topic])[0]!;
}

/** The warehouse the monitoring connection runs on: its own, else the one sfpipe names for it (as the adapter does). */
export function warehouseOf(config: SfpipeConfig): string {
  return config.snowflake.pipeline?.warehouse ?? config.snowflake.objects.adminWarehouse;
}

function historyNote(task: string, err: unknown): string {
  if (isSfpipeError(err) && err.kind === 'unsupported') return `No task history for ${task}: this Snowflake server has no tasks (the local stand-in has none).`;
  return `No task history for ${task}: ${isSfpipeError(err) ? err.describe() : String(err)}`;
}

function keyText(key: DecodedMessage): string | undefined {
  return key.format === 'null' ? undefined : key.text;
}

/** A cell as the driver decoded it → one bounded line: VARIANTs as JSON, timestamps as ISO, NULL as NULL. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'string') return truncateText(value, CELL_MAX_CHARS).text;
  return renderValue(value, CELL_MAX_CHARS).text;
}
