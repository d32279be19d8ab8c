/**
 * Details views get their data through a DetailsProvider passed to the console: the
 * adapters implement it (issue 4/6); the UI only shows loading, the result or the error.
 * Every call may fail (reject with an SfpipeError) and must honour the AbortSignal, which
 * fires when the user closes the view.
 */
import type { ConnectorState, TaskRunState } from '../../domain/model.js';

export type DetailRequest =
  | { kind: 'container'; id: string; name: string }
  | { kind: 'connector'; name: string }
  | { kind: 'topic'; topic: string }
  /** raw table rows, ingestion per minute and task history: warehouse-bound, so only on demand */
  | { kind: 'table'; topic: string }
  /** the funnel explanation: from the store, no provider call */
  | { kind: 'funnel'; topic: string };

export interface ConnectorDetails {
  name: string;
  /** secrets redacted by the adapter; the UI redacts secret-looking keys again before showing */
  config: Record<string, string>;
  state: ConnectorState;
  trace: string | undefined;
  tasks: Array<{ id: number; state: ConnectorState; workerId: string; trace: string | undefined }>;
}

export interface TopicMessage {
  partition: number;
  offset: number;
  timestamp: number | undefined;
  key: string | undefined;
  /** decoded value as text (Avro via Schema Registry, JSON or plain text) */
  value: string;
  format: 'avro' | 'json' | 'text' | (string & {});
}

export interface TopicDetails {
  topic: string;
  partitions: Array<{ partition: number; earliest: number; end: number; committed: number | undefined }>;
  /** the last messages, newest last */
  messages: TopicMessage[];
}

export interface TableDetails {
  table: string;
  columns: string[];
  /** latest rows, cells already rendered as text */
  rows: string[][];
  /**
   * rows per minute of Kafka CreateTime over the last hour, newest last (minutes without rows
   * absent); undefined when it could not be read (a note says why)
   */
  ingestion?: Array<{ minute: number; rows: number }>;
  taskRuns: Array<{ scheduledAt: number; state: TaskRunState; error: string | undefined }>;
  /** e.g. which warehouse was resumed to answer */
  notes: string[];
}

export interface DetailsProvider {
  containerLogs(containerId: string, tail: number, signal: AbortSignal): Promise<string[]>;
  connector(name: string, signal: AbortSignal): Promise<ConnectorDetails>;
  topic(topic: string, lastMessages: number, signal: AbortSignal): Promise<TopicDetails>;
  table(topic: string, latestRows: number, signal: AbortSignal): Promise<TableDetails>;
}
