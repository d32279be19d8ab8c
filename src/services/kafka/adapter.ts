/**
 * The Kafka adapter: topics, partitions, earliest/end offsets and the sink group's commits,
 * through kafkajs's Cluster/Broker layer (see internals.ts for why and what it relies on).
 *
 * Requests per snapshot — the steady-state guarantee: after the first snapshot of a session,
 * no snapshot sends more than TWO requests to any broker, whatever the number of topics:
 * one ListOffsets (latest) per leader broker, plus one of OffsetFetch for the sink group,
 * Metadata, or ListOffsets (earliest). Metadata and the earliest offsets come every
 * metadataRefreshMs (and when something made them due), each in place of the OffsetFetch,
 * whose previous answer is then reused — at most one refresh old, never twice in a row, and
 * the snapshot's committedAt says when it was read. refreshPlan.ts decides; requestCounts()
 * reports what was sent, by API and by broker.
 * Outside the guarantee, a cold refresh sends everything at once (Metadata, then both offsets
 * and OffsetFetch): the first snapshot of a session (also after a dropped connection) and one
 * after no snapshot for metadataRefreshMs or longer. The first snapshot asking for a group the
 * session has not read yet also looks up its coordinator (one FindCoordinator).
 *
 * Timeouts: every call is bounded by withTimeout; kafkajs itself does not retry (the pollers
 * retry with backoff), so a refused connection fails at once as 'unreachable'. A call that
 * times out discards its connections (a hung broker keeps nothing of ours) and the next call
 * starts afresh.
 */
import net from 'node:net';
import { Kafka, logLevel, type ISocketFactory, type KafkaConfig, type LogEntry } from 'kafkajs';
import { systemClock, type Clock } from '../../domain/clock.js';
import { SfpipeError } from '../../domain/errors.js';
import type { KafkaSnapshot } from '../../domain/model.js';
import { withTimeout } from '../timeout.js';
import type { CallOptions, KafkaMessage, KafkaService, KafkaSnapshotOptions, TopicSpec } from '../types.js';
import { kafkaErrorKind, protocolErrorType, toKafkaError } from './errors.js';
import { createInternalCluster, EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets, READ_UNCOMMITTED, type InternalCluster, type RawRecord } from './internals.js';
import {
  buildSnapshot,
  checkMessageCount,
  checkTopicName,
  checkTopicSpecs,
  clusterLayout,
  committedOffsetsOf,
  latestOf,
  listOffsetsByLeader,
  offsetsOf,
  partitionKey,
  selectTopics,
  startOffsets,
  type ClusterLayout,
  type OffsetsAnswer,
  type TopicLayout,
} from './offsets.js';
import { planRefresh } from './refreshPlan.js';
import { RequestCounter, type RequestCounts } from './requestCounter.js';

export interface KafkaAdapterOptions {
  /** bootstrap servers, host:port */
  brokers: readonly string[];
  clientId?: string;
  clock?: Clock;
  /** per-call timeout when the caller gives none */
  timeoutMs?: number;
  /**
   * how often topics/partitions (Metadata) and earliest offsets are re-read; default 30 s. A
   * snapshot after a pause this long re-reads everything (see the header).
   */
  metadataRefreshMs?: number;
  /** TCP connect timeout; default 3 s */
  connectionTimeoutMs?: number;
  /** kafkajs's own per-request timeout; default the call timeout */
  requestTimeoutMs?: number;
  /** where kafkajs's warnings and errors go (sfpipe's log file); default: nowhere, never the terminal */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** for tests: how sockets are made (e.g. to count bytes on the wire) */
  socketFactory?: ISocketFactory;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_METADATA_REFRESH_MS = 30_000;
const LEADER_WAIT_STEP_MS = 100;
const FETCH_MAX_BYTES = 4 * 1024 * 1024;
const FETCH_PARTITION_MAX_BYTES = 1024 * 1024;

/**
 * Metadata errors about single partitions (kafkajs rejects the whole answer for one of them):
 * while they last, the previous layout is kept and metadata is asked again next refresh.
 */
const PARTITION_LEVEL_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'REPLICA_NOT_AVAILABLE']);
const KEEP_ALIVE_MS = 60_000;

/** kafkajs's default socket factory, minus TLS (sfpipe talks to brokers on loopback only). */
const plainSockets: ISocketFactory = ({ host, port, onConnect }) => net.connect({ host, port }, onConnect).setKeepAlive(true, KEEP_ALIVE_MS);

/**
 * One connected cluster, its sockets and what has been learned from it. Dropped whole on a
 * connection-level failure or a timeout: its sockets are destroyed, not closed politely
 * (kafkajs's disconnect waits for pending requests, which a hung broker never answers).
 */
interface Session {
  cluster: InternalCluster;
  sockets: Set<net.Socket>;
  connected: Promise<void>;
  layout: ClusterLayout | undefined;
  /** when Metadata was last read; -Infinity when it is due at once */
  layoutAt: number;
  earliest: Map<string, number>;
  /** when the earliest offsets were last read */
  earliestAt: number;
  latest: Map<string, number>;
  lastSnapshotAt: number;
  lastSlow: 'metadata' | 'earliest' | undefined;
  /** the last committed offsets read per sink group, to stand in while Metadata or earliest offsets are read */
  committed: Map<string, CommittedRead>;
  coordinators: Map<string, number>;
}

interface CommittedRead {
  offsets: Map<string, number>;
  /** clock time the OffsetFetch was sent: the offsets are at least this old */
  at: number;
  /** a snapshot already reused them */
  reused: boolean;
}

/** Groups whose committed offsets a session keeps; more only happens when something asks for many groups. */
const MAX_GROUPS_KEPT = 8;

export class KafkaAdapter implements KafkaService {
  private readonly config: KafkaConfig;
  private readonly socketFactory: ISocketFactory;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly metadataRefreshMs: number;
  private readonly counter = new RequestCounter();
  private session: Session | undefined;
  private closed = false;

  constructor(options: KafkaAdapterOptions) {
    if (options.brokers.length === 0) {
      throw new SfpipeError('invalid-input', 'kafka', 'no Kafka brokers configured', { location: 'kafka.brokers', hint: 'set kafka.brokers or SFPIPE_KAFKA_BROKERS' });
    }
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.metadataRefreshMs = options.metadataRefreshMs ?? DEFAULT_METADATA_REFRESH_MS;
    const log = options.log;
    this.socketFactory = options.socketFactory ?? plainSockets;
    this.config = {
      clientId: options.clientId ?? 'sfpipe',
      brokers: [...options.brokers],
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? this.timeoutMs,
      enforceRequestTimeout: true,
      // No retries inside a call: it would outlive the call's timeout. The pollers retry with backoff.
      retry: { retries: 0 },
      logLevel: log ? logLevel.WARN : logLevel.NOTHING,
      logCreator: () => (entry: LogEntry) => log?.(entry.level === logLevel.ERROR ? 'error' : entry.level === logLevel.WARN ? 'warn' : 'info', `kafkajs ${entry.namespace}: ${entry.log.message}`),
    };
  }

  /** Requests sent since construction (or the last reset), by API: for tests and benchmarks. */
  requestCounts(): RequestCounts {
    return this.counter.counts();
  }

  resetRequestCounts(): void {
    this.counter.reset();
  }

  snapshot(opts: KafkaSnapshotOptions = {}): Promise<KafkaSnapshot> {
    return this.call('Kafka snapshot', opts, (s) => this.takeSnapshot(s, opts));
  }

  createTopics(topics: TopicSpec[], opts: CallOptions = {}): Promise<string[]> {
    try {
      checkTopicSpecs(topics);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.call('create Kafka topics', opts, (s, signal) => this.createMissing(s, topics, signal, opts.timeoutMs ?? this.timeoutMs));
  }

  latestMessages(topic: string, count: number, opts: CallOptions = {}): Promise<KafkaMessage[]> {
    try {
      checkTopicName(topic, 'topic');
      checkMessageCount(count);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.call(`latest messages of ${topic}`, opts, (s, signal) => this.readLatest(s, topic, count, signal));
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = this.session;
    this.session = undefined;
    if (!s) return;
    // Sockets first: a broker loses nothing when a monitor hangs up, and a hung one cannot hold up shutdown.
    for (const socket of s.sockets) socket.destroy();
    await withTimeout(() => s.cluster.disconnect(), { timeoutMs: 5_000, clock: this.clock, source: 'kafka', what: 'disconnect from Kafka' }).catch(() => undefined);
  }

  // ---- call plumbing -----------------------------------------------------------------

  private call<T>(what: string, opts: CallOptions, work: (s: Session, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SfpipeError('internal', 'kafka', `${what}: the Kafka adapter is closed`));
    return withTimeout(
      async (signal) => {
        const s = this.currentSession();
        // Whatever this call holds (a request to a hung broker) is released by dropping the session.
        const onAbort = () => this.discard(s);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          await s.connected;
          return await work(s, signal);
        } catch (err) {
          const kind = kafkaErrorKind(err);
          if (kind === 'unreachable' || kind === 'timeout' || kind === 'bad-response') this.discard(s);
          throw toKafkaError(err, what);
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      },
      { timeoutMs: opts.timeoutMs ?? this.timeoutMs, clock: this.clock, source: 'kafka', what, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  }

  private currentSession(): Session {
    if (this.session) return this.session;
    const sockets = new Set<net.Socket>();
    const kafka = new Kafka({
      ...this.config,
      socketFactory: (args) => {
        const socket = this.socketFactory(args);
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return socket;
      },
    });
    const cluster = createInternalCluster(kafka, this.counter);
    const connected = cluster.connect();
    // every call awaits it; this only keeps a failure nobody awaits any more from going unhandled
    connected.catch(() => undefined);
    this.session = {
      cluster,
      sockets,
      connected,
      layout: undefined,
      layoutAt: -Infinity,
      earliest: new Map(),
      earliestAt: -Infinity,
      latest: new Map(),
      lastSnapshotAt: -Infinity,
      lastSlow: undefined,
      committed: new Map(),
      coordinators: new Map(),
    };
    return this.session;
  }

  private discard(s: Session): void {
    if (this.session === s) this.session = undefined;
    void s.cluster.disconnect().catch(() => undefined);
    for (const socket of s.sockets) socket.destroy();
  }

  // ---- snapshot ----------------------------------------------------------------------

  private async takeSnapshot(s: Session, opts: KafkaSnapshotOptions): Promise<KafkaSnapshot> {
    const includeInternal = opts.includeInternal ?? false;
    const group = opts.sinkGroup;
    const now = this.clock.now();
    const held = group === undefined ? undefined : s.committed.get(group);
    const plan = planRefresh({
      now,
      intervalMs: this.metadataRefreshMs,
      hasLayout: s.layout !== undefined,
      layoutAt: s.layoutAt,
      earliestAt: s.earliestAt,
      missingEarliest: s.layout !== undefined && this.missingEarliest(s, selectTopics(s.layout, includeInternal)),
      lastSnapshotAt: s.lastSnapshotAt,
      lastSlow: s.lastSlow,
      wantsCommitted: group !== undefined,
      committed: held,
    });
    s.lastSnapshotAt = now;
    if (!plan.cold && (plan.metadata || plan.earliest)) s.lastSlow = plan.metadata ? 'metadata' : 'earliest';
    if (plan.metadata) {
      try {
        await this.refreshLayout(s);
      } catch (err) {
        if (!s.layout || !PARTITION_LEVEL_TYPES.has(protocolErrorType(err) ?? '')) throw err;
      }
    }
    const layout = s.layout!;
    const topics = selectTopics(layout, includeInternal);
    const [earliest, latest, committed] = await Promise.all([
      plan.earliest ? this.listOffsets(s, topics, EARLIEST_TIMESTAMP) : undefined,
      this.listOffsets(s, topics, LATEST_TIMESTAMP),
      group !== undefined && plan.committed ? this.committedOffsets(s, group, now) : undefined,
    ]);
    if (earliest) {
      for (const [k, v] of earliest.offsets) s.earliest.set(k, v);
      s.earliestAt = now;
    }
    for (const [k, v] of latest.offsets) s.latest.set(k, v);
    let read = committed;
    if (group !== undefined && !read && held) {
      held.reused = true;
      read = held;
    }
    // A partition left unanswered keeps its last known offsets until the next refresh.
    const snapshot = buildSnapshot({ brokers: layout.brokers, topics, earliest: s.earliest, latest: s.latest, committed: read?.offsets, sinkGroup: group });
    return read ? { ...snapshot, committedAt: read.at } : snapshot;
  }

  /** Some partition with a leader has no earliest offset yet. */
  private missingEarliest(s: Session, topics: readonly TopicLayout[]): boolean {
    return topics.some((t) => t.partitions.some((p) => p.leader >= 0 && !s.earliest.has(partitionKey(t.name, p.partition))));
  }

  private async refreshLayout(s: Session): Promise<void> {
    await s.cluster.refreshMetadata();
    const metadata = s.cluster.brokerPool.metadata;
    if (!metadata) throw new SfpipeError('bad-response', 'kafka', 'the broker answered Metadata with nothing');
    s.layout = clusterLayout(metadata);
    s.layoutAt = this.clock.now();
    // Forget partitions that no longer exist, so the caches stay as small as the cluster.
    const live = new Set(s.layout.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.name, p.partition))));
    for (const cache of [s.earliest, s.latest]) for (const k of cache.keys()) if (!live.has(k)) cache.delete(k);
  }

  /**
   * One ListOffsets per leader broker for all the given topics. Partitions a broker could not
   * answer for (a topic created a moment ago, a moved leader) make the layout due again.
   */
  private async listOffsets(s: Session, topics: readonly TopicLayout[], timestamp: number): Promise<OffsetsAnswer> {
    const requests = listOffsetsByLeader(topics, timestamp, READ_UNCOMMITTED);
    const answers = await Promise.all([...requests].map(async ([leader, body]) => listOffsets(await s.cluster.findBroker({ nodeId: leader }), body)));
    const answer = offsetsOf(answers);
    if (answer.failed.size > 0) s.layoutAt = -Infinity;
    return answer;
  }

  /** One OffsetFetch for every partition the group committed (topics [] is sent as null); kept to stand in later. */
  private async committedOffsets(s: Session, group: string, at: number): Promise<CommittedRead> {
    let nodeId = s.coordinators.get(group);
    if (nodeId === undefined) {
      nodeId = (await s.cluster.findGroupCoordinatorMetadata({ groupId: group })).coordinator.nodeId;
      s.coordinators.set(group, nodeId);
    }
    let offsets: Map<string, number>;
    try {
      const coordinator = await s.cluster.findBroker({ nodeId });
      offsets = committedOffsetsOf(await coordinator.offsetFetch({ groupId: group, topics: [] }));
    } catch (err) {
      s.coordinators.delete(group); // it may have moved: look it up again next time
      throw err;
    }
    const read: CommittedRead = { offsets, at, reused: false };
    s.committed.delete(group); // re-inserted last: the map's order is least recently read first
    s.committed.set(group, read);
    for (const old of s.committed.keys()) {
      if (s.committed.size <= MAX_GROUPS_KEPT) break;
      s.committed.delete(old);
      s.coordinators.delete(old);
    }
    return read;
  }

  // ---- create topics -----------------------------------------------------------------

  private async createMissing(s: Session, topics: readonly TopicSpec[], signal: AbortSignal, timeoutMs: number): Promise<string[]> {
    if (topics.length === 0) return [];
    await this.refreshLayout(s);
    const existing = new Set(s.layout!.topics.map((t) => t.name));
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return [];
    const controller = await s.cluster.findControllerBroker();
    let created = missing.map((t) => t.name);
    try {
      await controller.createTopics({
        topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor })),
        timeout: timeoutMs,
      });
    } catch (err) {
      // Someone else created some of them in between: not ours, not an error.
      const errors = (err as { errors?: { type?: string; topic?: string }[] }).errors;
      if (!Array.isArray(errors) || errors.some((e) => e.type !== 'TOPIC_ALREADY_EXISTS')) throw err;
      const theirs = new Set(errors.map((e) => e.topic));
      created = created.filter((name) => !theirs.has(name));
    }
    s.layoutAt = -Infinity; // the next snapshot reads the new topics
    await this.waitForLeaders(s, missing.map((t) => t.name), signal);
    return created;
  }

  /** Until every partition of the topics has a leader (a fresh topic cannot be read before). */
  private async waitForLeaders(s: Session, names: string[], signal: AbortSignal): Promise<void> {
    const controller = await s.cluster.findControllerBroker();
    for (;;) {
      try {
        const metadata = await controller.metadata(names);
        const ready = metadata.topicMetadata.every((t) => t.topicErrorCode === 0 && t.partitionMetadata.every((p) => p.leader >= 0));
        if (ready) return;
      } catch (err) {
        const type = protocolErrorType(err);
        if (type !== 'LEADER_NOT_AVAILABLE' && type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, LEADER_WAIT_STEP_MS));
    }
  }

  // ---- latest messages ---------------------------------------------------------------

  /** Reads from end-count on every partition, without a consumer group (plain Fetch requests). */
  private async readLatest(s: Session, topic: string, count: number, signal: AbortSignal): Promise<KafkaMessage[]> {
    let t = s.layout?.topics.find((x) => x.name === topic);
    if (!t) {
      await this.refreshLayout(s);
      t = s.layout!.topics.find((x) => x.name === topic);
    }
    if (!t) throw new SfpipeError('not-found', 'kafka', `topic ${topic} does not exist`, { hint: 'check the topic name; `sfpipe status` lists the topics' });
    const layout = t;
    const byPartition = (offsets: Map<string, number>) => new Map(layout.partitions.map((p) => [p.partition, offsets.get(partitionKey(topic, p.partition))] as const).filter((e): e is [number, number] => e[1] !== undefined));
    const [earliest, end] = await Promise.all([this.listOffsets(s, [layout], EARLIEST_TIMESTAMP), this.listOffsets(s, [layout], LATEST_TIMESTAMP)]).then(
      ([e, l]) => [byPartition(e.offsets), byPartition(l.offsets)] as const,
    );
    const next = startOffsets(layout.partitions.map((p) => p.partition), earliest, end, count);
    const leaders = new Map(layout.partitions.map((p) => [p.partition, p.leader]));
    const messages: KafkaMessage[] = [];
    const pending = () => [...next].filter(([p, offset]) => offset < end.get(p)! && (leaders.get(p) ?? -1) >= 0).map(([p]) => p);

    for (let todo = pending(); todo.length > 0 && !signal.aborted; todo = pending()) {
      const byLeader = new Map<number, number[]>();
      for (const p of todo) byLeader.set(leaders.get(p)!, [...(byLeader.get(leaders.get(p)!) ?? []), p]);
      await Promise.all(
        [...byLeader].map(async ([leader, partitions]) => {
          const broker = await s.cluster.findBroker({ nodeId: leader });
          const answer = await broker.fetch({
            isolationLevel: READ_UNCOMMITTED,
            maxWaitTime: 100,
            minBytes: 1,
            maxBytes: FETCH_MAX_BYTES,
            topics: [{ topic, partitions: partitions.map((p) => ({ partition: p, fetchOffset: String(next.get(p)), maxBytes: FETCH_PARTITION_MAX_BYTES })) }],
          });
          for (const r of answer.responses) {
            for (const part of r.partitions) {
              const from = next.get(part.partition)!;
              const until = end.get(part.partition)!;
              let reached = from;
              for (const record of part.messages) reached = Math.max(reached, this.collect(record, part.partition, from, until, messages));
              // no progress (only markers or a compacted gap): stop reading this partition
              next.set(part.partition, reached > from ? reached : until);
            }
          }
        }),
      );
    }
    return latestOf(messages, count);
  }

  /** Adds a record in [from, until) to `into`; returns the offset after it. */
  private collect(record: RawRecord, partition: number, from: number, until: number, into: KafkaMessage[]): number {
    const offset = Number(record.offset);
    if (offset >= from && offset < until && !record.isControlRecord) {
      into.push({ partition, offset, timestamp: Number(record.timestamp), key: record.key ? new Uint8Array(record.key) : null, value: record.value ? new Uint8Array(record.value) : null });
    }
    return offset + 1;
  }
}

export function createKafkaService(options: KafkaAdapterOptions): KafkaAdapter {
  return new KafkaAdapter(options);
}
