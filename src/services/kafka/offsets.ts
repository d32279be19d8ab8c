/**
 * Pure helpers of the Kafka adapter: cluster metadata → topic layout, one ListOffsets
 * request per leader broker, raw answers → the KafkaSnapshot model, and the choice of the
 * latest messages. No I/O here; adapter.ts does the talking.
 */
import { SfpipeError } from '../../domain/errors.js';
import type { KafkaSnapshot, PartitionOffsets, TopicInfo } from '../../domain/model.js';
import type { KafkaMessage, TopicSpec } from '../types.js';
import type { ListOffsetsRequest, ListOffsetsResponse, OffsetFetchResponse, RawMetadata } from './internals.js';

export interface PartitionLayout {
  partition: number;
  /** broker id of the leader; -1 when the partition has none right now */
  leader: number;
}

export interface TopicLayout {
  name: string;
  internal: boolean;
  partitions: PartitionLayout[];
}

export interface ClusterLayout {
  brokers: number;
  topics: TopicLayout[];
}

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Kafka's own internal topics (the broker flags __consumer_offsets and __transaction_state),
 * anything starting with `_` (_schemas, the compose stack's _sfpipe-connect-*), and Kafka
 * Connect's storage topics under their default names.
 */
export function isInternalTopic(name: string, flaggedInternal = false): boolean {
  return flaggedInternal || name.startsWith('_') || /(^|[-_.])connect-(configs|offsets|status)$/.test(name);
}

/** Topics and partitions, sorted, from a Metadata answer; topics the broker reported an error for are left out. */
export function clusterLayout(metadata: RawMetadata): ClusterLayout {
  const topics = metadata.topicMetadata
    .filter((t) => t.topicErrorCode === 0)
    .map((t) => ({
      name: t.topic,
      internal: isInternalTopic(t.topic, t.isInternal === true),
      partitions: t.partitionMetadata
        .map((p) => ({ partition: p.partitionId, leader: typeof p.leader === 'number' && p.leader >= 0 ? p.leader : -1 }))
        .sort((a, b) => a.partition - b.partition),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { brokers: metadata.brokers.length, topics };
}

export function selectTopics(layout: ClusterLayout, includeInternal: boolean): TopicLayout[] {
  return includeInternal ? layout.topics : layout.topics.filter((t) => !t.internal);
}

/**
 * One ListOffsets request body per leader broker, covering every partition it leads, so the
 * number of requests follows the number of brokers, never the number of topics. Leaderless
 * partitions are left out (no broker can answer for them).
 */
export function listOffsetsByLeader(topics: readonly TopicLayout[], timestamp: number, isolationLevel: number): Map<number, ListOffsetsRequest> {
  const byLeader = new Map<number, Map<string, { partition: number; timestamp: number }[]>>();
  for (const t of topics) {
    for (const p of t.partitions) {
      if (p.leader < 0) continue;
      let perTopic = byLeader.get(p.leader);
      if (!perTopic) byLeader.set(p.leader, (perTopic = new Map()));
      let partitions = perTopic.get(t.name);
      if (!partitions) perTopic.set(t.name, (partitions = []));
      partitions.push({ partition: p.partition, timestamp });
    }
  }
  const out = new Map<number, ListOffsetsRequest>();
  for (const [leader, perTopic] of byLeader) {
    out.set(leader, { isolationLevel, topics: [...perTopic].map(([topic, partitions]) => ({ topic, partitions })) });
  }
  return out;
}

export interface OffsetsAnswer {
  offsets: Map<string, number>;
  /** partitions the broker could not answer for (not leader, unknown, no leader yet), by partitionKey → error code */
  failed: Map<string, number>;
}

/** Offsets from ListOffsets answers, keyed by partitionKey; partitions answered with an error are listed apart. */
export function offsetsOf(answers: readonly ListOffsetsResponse[]): OffsetsAnswer {
  const offsets = new Map<string, number>();
  const failed = new Map<string, number>();
  for (const answer of answers) {
    for (const r of answer.responses) {
      for (const p of r.partitions) {
        const key = partitionKey(r.topic, p.partition);
        const offset = Number(p.offset);
        if (p.errorCode === 0 && Number.isFinite(offset) && offset >= 0) offsets.set(key, offset);
        else failed.set(key, p.errorCode);
      }
    }
  }
  return { offsets, failed };
}

/** Committed offsets of a group, keyed by partitionKey; -1 (nothing committed) is left out. */
export function committedOffsetsOf(answer: OffsetFetchResponse): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of answer.responses) {
    for (const p of r.partitions) {
      const offset = Number(p.offset);
      if (Number.isFinite(offset) && offset >= 0) out.set(partitionKey(r.topic, p.partition), offset);
    }
  }
  return out;
}

export interface SnapshotParts {
  brokers: number;
  topics: readonly TopicLayout[];
  earliest: ReadonlyMap<string, number>;
  latest: ReadonlyMap<string, number>;
  /** undefined when no sink group was asked for */
  committed: ReadonlyMap<string, number> | undefined;
  sinkGroup: string | undefined;
}

/**
 * The snapshot model. A partition whose offsets are unknown (leaderless since sfpipe first
 * saw it) is left out rather than shown as 0, which would read as "nothing produced".
 */
export function buildSnapshot(parts: SnapshotParts): KafkaSnapshot {
  const topics: TopicInfo[] = parts.topics.map((t) => {
    const partitions: PartitionOffsets[] = [];
    for (const p of t.partitions) {
      const key = partitionKey(t.name, p.partition);
      const end = parts.latest.get(key);
      const earliest = parts.earliest.get(key);
      if (end === undefined || earliest === undefined) continue;
      partitions.push({ partition: p.partition, earliest: Math.min(earliest, end), end, committed: parts.committed?.get(key) });
    }
    return { name: t.name, internal: t.internal, partitions };
  });
  return { brokers: parts.brokers, topics, sinkGroup: parts.sinkGroup };
}

// ---- input checks ------------------------------------------------------------------

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export function checkTopicName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new SfpipeError('invalid-input', 'kafka', `${field} must be a Kafka topic name (1–249 of A-Z a-z 0-9 . _ -), but is ${JSON.stringify(name)}`, {
      location: field,
      hint: 'use a name such as pageviews',
    });
  }
  return name;
}

/** Throws invalid-input naming the first bad field; nothing is created when any spec is bad. */
export function checkTopicSpecs(specs: readonly TopicSpec[]): void {
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    const name = checkTopicName(s?.name, `topics[${i}].name`);
    if (seen.has(name)) throw new SfpipeError('invalid-input', 'kafka', `topics[${i}].name: ${name} is listed twice`, { location: `topics[${i}].name` });
    seen.add(name);
    for (const field of ['partitions', 'replicationFactor'] as const) {
      const v = s[field];
      if (!Number.isInteger(v) || v < 1 || v > 10_000) {
        throw new SfpipeError('invalid-input', 'kafka', `topics[${i}].${field} must be a whole number from 1, but is ${JSON.stringify(v)}`, {
          location: `topics[${i}].${field}`,
        });
      }
    }
  });
}

export const MAX_LATEST_MESSAGES = 10_000;

export function checkMessageCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_LATEST_MESSAGES) {
    throw new SfpipeError('invalid-input', 'kafka', `count must be a whole number from 1 to ${MAX_LATEST_MESSAGES}, but is ${JSON.stringify(count)}`, { location: 'count' });
  }
  return count;
}

// ---- latest messages ---------------------------------------------------------------

/** Where to start reading each partition to see its last `count` records: max(earliest, end - count). */
export function startOffsets(partitions: readonly number[], earliest: ReadonlyMap<number, number>, end: ReadonlyMap<number, number>, count: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of partitions) {
    const e = end.get(p);
    if (e === undefined) continue;
    out.set(p, Math.max(earliest.get(p) ?? 0, e - count));
  }
  return out;
}

/** The `count` most recent messages across partitions (by timestamp, then partition and offset), oldest first. */
export function latestOf(messages: readonly KafkaMessage[], count: number): KafkaMessage[] {
  const sorted = [...messages].sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset);
  return sorted.slice(Math.max(0, sorted.length - count));
}
