/**
 * The part of kafkajs's internals sfpipe relies on, in one place.
 *
 * Why: kafkajs's public admin asks offsets one topic at a time (fetchTopicOffsets issues
 * two ListOffsets per topic), so a refresh would grow with the topic count. Its internal
 * Cluster/Broker layer can send one ListOffsets per leader broker for every topic at once,
 * one OffsetFetch for a whole group and one Metadata for all topics. kafkajs is pinned
 * exactly (2.2.4) in package.json, and internals.test.ts fails loudly if an upgrade moves
 * any of what is used here:
 *   - the Kafka client's private cluster factory (the same one admin() uses), found by its
 *     symbol description, so the cluster gets the client's logger, socket factory and retry;
 *   - Cluster: connect, disconnect, refreshMetadata (all topics while no target topic is
 *     added), brokerPool.metadata, findBroker, findControllerBroker, findGroupCoordinatorMetadata;
 *   - Broker: offsetFetch, fetch, createTopics, metadata, and for ListOffsets its request
 *     lookup (lookupRequest) and connectionPool.send with kafkajs's own ListOffsets encoder:
 *     Broker.listOffsets throws away the whole answer when one partition reports an error
 *     (a topic created a moment ago, a leader moving), and a monitor must keep the rest;
 *   - the `network.request` instrumentation event, emitted once per answered request.
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { SfpipeError } from '../../domain/errors.js';

export const KAFKAJS_VERSION = '2.2.4';
const CREATE_CLUSTER = 'private:Kafka:createCluster';

/** kafkajs's ISOLATION_LEVEL.READ_UNCOMMITTED: end offsets are the high watermark, as Kafka's own tools show them. */
export const READ_UNCOMMITTED = 0;
/** ListOffsets timestamps: -1 = the end (latest), -2 = the earliest available offset. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

// ---- raw shapes as kafkajs 2.2.4 decodes them -------------------------------------

export interface RawPartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  /** -1 when the partition has no leader */
  leader: number;
}

export interface RawTopicMetadata {
  topicErrorCode: number;
  topic: string;
  isInternal?: boolean;
  partitionMetadata: RawPartitionMetadata[];
}

export interface RawMetadata {
  brokers: { nodeId: number; host: string; port: number }[];
  topicMetadata: RawTopicMetadata[];
  controllerId?: number;
}

export interface ListOffsetsRequest {
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
}

export interface ListOffsetsResponse {
  /** errorCode 0 = ok; any other code leaves that partition's offset unknown */
  responses: { topic: string; partitions: { partition: number; errorCode: number; offset: string }[] }[];
}

export interface OffsetFetchResponse {
  responses: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

export interface RawRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord?: boolean;
}

export interface FetchRequest {
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
}

export interface FetchResponse {
  responses: { topicName: string; partitions: { partition: number; errorCode: number; highWatermark: string; messages: RawRecord[] }[] }[];
}

/** A request as kafkajs's protocol layer builds it: what to encode and how to read the answer. */
interface ProtocolRequest {
  request: unknown;
  response: { decode(raw: Buffer): Promise<unknown>; parse(decoded: unknown): Promise<unknown> };
}

interface RequestDefinition {
  versions: string[];
  protocol(v: { version: number }): (args: unknown) => ProtocolRequest;
}

export interface InternalBroker {
  metadata(topics: string[]): Promise<RawMetadata>;
  /** picks the highest version both sides support (set once the broker is connected) */
  lookupRequest(apiKey: number, definition: RequestDefinition): (args: unknown) => ProtocolRequest;
  connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
  /** topics [] is sent as null (OffsetFetch v2+): every partition the group committed */
  offsetFetch(request: { groupId: string; topics: { topic: string; partitions: { partition: number }[] }[] }): Promise<OffsetFetchResponse>;
  fetch(request: FetchRequest): Promise<FetchResponse>;
  createTopics(request: { topics: { topic: string; numPartitions: number; replicationFactor: number }[]; timeout: number }): Promise<unknown>;
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Metadata of the target topics; with none added (sfpipe never adds any): of all topics. */
  refreshMetadata(): Promise<void>;
  brokerPool: { metadata: RawMetadata | null };
  findBroker(node: { nodeId: number | string }): Promise<InternalBroker>;
  findControllerBroker(): Promise<InternalBroker>;
  findGroupCoordinatorMetadata(group: { groupId: string }): Promise<{ coordinator: { nodeId: number } }>;
}

/** What kafkajs calls instrumentationEmitter; it only ever calls emit. */
export interface InstrumentationSink {
  emit(eventName: string, payload: unknown): void;
}

type ClusterFactory = (options: {
  allowAutoTopicCreation: boolean;
  instrumentationEmitter: InstrumentationSink;
  isolationLevel: number;
  metadataMaxAge?: number;
}) => InternalCluster;

const require = createRequire(import.meta.url);

/** The installed kafkajs version (its package.json). */
export function installedKafkajsVersion(): string {
  return (require('kafkajs/package.json') as { version: string }).version;
}

const LIST_OFFSETS_API_KEY = 2;

/** kafkajs's ListOffsets definition, answering with every partition's error code instead of throwing on the first. */
const lenientListOffsets: RequestDefinition = (() => {
  const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: { ListOffsets: RequestDefinition } };
  const strict = requests.ListOffsets;
  return {
    versions: strict.versions,
    protocol: (v) => (args) => {
      const built = strict.protocol(v)(args);
      return { ...built, response: { decode: built.response.decode, parse: (decoded) => Promise.resolve(decoded) } };
    },
  };
})();

/**
 * One ListOffsets request; a partition the broker cannot answer for comes back with its
 * error code (not as an exception that loses the other partitions).
 */
export async function listOffsets(broker: InternalBroker, request: ListOffsetsRequest): Promise<ListOffsetsResponse> {
  const answer = (await broker.connectionPool.send(broker.lookupRequest(LIST_OFFSETS_API_KEY, lenientListOffsets)(request))) as {
    responses: { topic: string; partitions: { partition: number; errorCode: number; offset?: string; offsets?: string[] }[] }[];
  };
  // ListOffsets v0 answers with an array of offsets, v1+ with one
  return {
    responses: answer.responses.map((r) => ({
      topic: r.topic,
      partitions: r.partitions.map((p) => ({ partition: p.partition, errorCode: p.errorCode, offset: p.offset ?? p.offsets?.[p.offsets.length - 1] ?? '-1' })),
    })),
  };
}

/**
 * A Cluster built by the client's own factory, exactly as kafka.admin() builds one, with
 * sfpipe's request counter as its instrumentation emitter. Throws 'unsupported' when the
 * installed kafkajs is not the version this was written against.
 */
export function createInternalCluster(kafka: Kafka, instrumentation: InstrumentationSink): InternalCluster {
  const version = installedKafkajsVersion();
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const factory = symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (version !== KAFKAJS_VERSION || typeof factory !== 'function') {
    throw new SfpipeError('unsupported', 'kafka', `kafkajs ${version} is installed; sfpipe's Kafka adapter uses internals of kafkajs ${KAFKAJS_VERSION}`, {
      hint: `install kafkajs ${KAFKAJS_VERSION} exactly (package.json pins it), or review src/services/kafka/internals.ts`,
    });
  }
  return (factory as ClusterFactory)({ allowAutoTopicCreation: false, instrumentationEmitter: instrumentation, isolationLevel: READ_UNCOMMITTED });
}
