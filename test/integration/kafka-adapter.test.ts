/**
 * The Kafka adapter against the harness's real broker: topic creation, exact end offsets
 * and sink-group commits while records are being produced, a request count per refresh that
 * does not grow with the number of topics (counted by kafkajs and, independently, on the
 * wire) and stays within two per broker on every refresh after the first while topics,
 * records, commits and deletions change, latest messages, and the two failure modes: a broker
 * that is down and one that accepts connections but never answers.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Kafka, logLevel, Partitioners, type Admin, type ISocketFactory } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { ManualClock } from '../../src/domain/clock.js';
import type { KafkaSnapshot } from '../../src/domain/model.js';
import { KafkaAdapter } from '../../src/services/kafka/adapter.js';
import type { TopicSpec } from '../../src/services/types.js';

const h = await requireServices(['kafka']);

/** Kafka API keys, to name what was seen on the wire. */
const API_NAMES: Record<number, string> = { 1: 'Fetch', 2: 'ListOffsets', 3: 'Metadata', 9: 'OffsetFetch', 10: 'GroupCoordinator', 18: 'ApiVersions', 19: 'CreateTopics' };

/** A socket factory that counts the request frames the client writes (4-byte size, then api_key). */
function wireCounter(): { factory: ISocketFactory; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const factory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    let buffered = Buffer.alloc(0);
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      buffered = Buffer.concat([buffered, Buffer.from(chunk as Uint8Array)]);
      while (buffered.length >= 6 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const name = API_NAMES[buffered.readInt16BE(4)] ?? `api ${buffered.readInt16BE(4)}`;
        counts.set(name, (counts.get(name) ?? 0) + 1);
        buffered = buffered.subarray(4 + buffered.readInt32BE(0));
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    return socket;
  };
  return { factory, counts };
}

const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
const text = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('utf8') : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Partitions per topic whose name starts with prefix, as the adapter reports them. */
async function partitionCounts(adapter: KafkaAdapter, prefix: string): Promise<Record<string, number>> {
  const snap = await adapter.snapshot();
  return Object.fromEntries(snap.topics.filter((t) => t.name.startsWith(prefix)).map((t) => [t.name, t.partitions.length]));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe.skipIf(!h.ok)('kafka adapter against the harness broker', () => {
  const brokers = h.ok ? h.env.SFPIPE_KAFKA_BROKERS!.split(',') : [];
  const run = randomUUID().slice(0, 8);
  const prefix = `sfpipe-ka-${run}`;
  const sinkGroup = `connect-${prefix}-sink`;
  // the test's own client plays the outside world: producers and the sink's commits
  const kafka = new Kafka({ clientId: 'sfpipe-test', brokers, logLevel: logLevel.NOTHING });
  const wire = wireCounter();
  const six: TopicSpec[] = Array.from({ length: 6 }, (_, i) => ({ name: `${prefix}-t${i}`, partitions: 3, replicationFactor: 1 }));
  const more: TopicSpec[] = Array.from({ length: 194 }, (_, i) => ({ name: `${prefix}-m${i}`, partitions: 1, replicationFactor: 1 }));
  const watchedTopics = [`${prefix}-r0`, `${prefix}-r1`];
  const watchedGroup = `${prefix}-rgroup`;
  let admin: Admin;
  let adapter: KafkaAdapter;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    adapter = new KafkaAdapter({ brokers, metadataRefreshMs: 3_600_000, socketFactory: wire.factory });
  });

  afterAll(async () => {
    await adapter?.close();
    await admin?.deleteGroups([sinkGroup, watchedGroup]).catch(() => undefined);
    await admin?.deleteTopics({ topics: [...six, ...more].map((t) => t.name).concat(watchedTopics), timeout: 60_000 }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('creates only the topics that are missing', async () => {
    expect(await adapter.createTopics(six.slice(0, 2))).toEqual(six.slice(0, 2).map((t) => t.name));
    expect(await adapter.createTopics(six)).toEqual(six.slice(2).map((t) => t.name));
    expect(await adapter.createTopics(six)).toEqual([]);
    const { topics } = await admin.fetchTopicMetadata({ topics: six.map((t) => t.name) });
    expect(topics.map((t) => t.partitions.length)).toEqual([3, 3, 3, 3, 3, 3]);
    // a partition is readable a moment after it has a leader; until then the snapshot leaves it out
    await vi.waitFor(async () => expect(await partitionCounts(adapter, prefix)).toEqual(Object.fromEntries(six.map((t) => [t.name, 3]))), { timeout: 30_000, interval: 200 });
    await expect(adapter.createTopics([{ name: 'bad topic', partitions: 1, replicationFactor: 1 }])).rejects.toMatchObject({ kind: 'invalid-input', location: 'topics[0].name' });
  });

  it('reports end offsets and sink commits exactly while records are produced', async () => {
    const topic = six[0]!.name;
    const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const issued = [0, 0, 0];
    const acked = [0, 0, 0];
    let producing = true;
    const production = (async () => {
      // a steady stream: one record every 10 ms after the previous one was acknowledged, round-robin over the partitions
      for (let i = 0; i < 200; i++) {
        const partition = i % 3;
        issued[partition]!++;
        const [meta] = await producer.send({ topic, acks: -1, messages: [{ partition, key: `k${i}`, value: `v${i}` }] });
        acked[partition] = Math.max(acked[partition]!, Number(meta!.baseOffset) + 1);
        await sleep(10);
      }
      producing = false;
    })();
    let snapshots = 0;
    try {
      while (producing) {
        const before = [...acked];
        const snap = await adapter.snapshot({ sinkGroup });
        const after = [...issued];
        const parts = snap.topics.find((t) => t.name === topic)!.partitions;
        expect(parts.map((p) => p.partition)).toEqual([0, 1, 2]);
        for (const p of parts) {
          // what was acknowledged before is in; nothing beyond what was sent so far
          expect(p.end).toBeGreaterThanOrEqual(before[p.partition]!);
          expect(p.end).toBeLessThanOrEqual(after[p.partition]!);
          expect(p.earliest).toBe(0);
        }
        snapshots++;
      }
      await production;
    } finally {
      await producer.disconnect();
    }
    expect(snapshots).toBeGreaterThan(1);

    const settled = (await adapter.snapshot({ sinkGroup })).topics.find((t) => t.name === topic)!;
    expect(settled.partitions.map((p) => p.end)).toEqual(issued);
    expect(issued.reduce((a, b) => a + b, 0)).toBe(200);
    expect(settled.partitions.map((p) => p.committed)).toEqual([undefined, undefined, undefined]);

    // the sink commits known offsets (partition 2 never): committed and lag are exact
    await admin.setOffsets({ groupId: sinkGroup, topic, partitions: [{ partition: 0, offset: '10' }, { partition: 1, offset: '0' }] });
    let parts = (await adapter.snapshot({ sinkGroup })).topics.find((t) => t.name === topic)!.partitions;
    expect(parts.map((p) => p.committed)).toEqual([10, 0, undefined]);
    expect(parts.map((p) => p.end - (p.committed ?? p.earliest))).toEqual([issued[0]! - 10, issued[1]!, issued[2]!]);

    await admin.setOffsets({ groupId: sinkGroup, topic, partitions: [0, 1, 2].map((partition) => ({ partition, offset: String(issued[partition]! - partition) })) });
    parts = (await adapter.snapshot({ sinkGroup })).topics.find((t) => t.name === topic)!.partitions;
    expect(parts.map((p) => p.end - p.committed!)).toEqual([0, 1, 2]);
    // another group's view: nothing committed
    const other = (await adapter.snapshot({ sinkGroup: `${sinkGroup}-none` })).topics.find((t) => t.name === topic)!;
    expect(other.partitions.every((p) => p.committed === undefined)).toBe(true);
  });

  it('hides internal topics unless asked', async () => {
    const plain = await adapter.snapshot({ sinkGroup });
    expect(plain.topics.some((t) => t.name === '__consumer_offsets')).toBe(false);
    const all = await adapter.snapshot({ sinkGroup, includeInternal: true });
    expect(all.topics.find((t) => t.name === '__consumer_offsets')).toMatchObject({ internal: true });
    expect(all.brokers).toBe(plain.brokers);
  });

  it('sends as many requests per refresh at 200 topics as at 6', async () => {
    // A second adapter whose metadata is always due (every refresh is cold): the cost of a full refresh.
    const fullWire = wireCounter();
    const full = new KafkaAdapter({ brokers, metadataRefreshMs: 0, socketFactory: fullWire.factory });
    try {
      const measure = async (a: KafkaAdapter, w: { counts: Map<string, number> }) => {
        a.resetRequestCounts();
        w.counts.clear();
        const snap = await a.snapshot({ sinkGroup });
        const counted = a.requestCounts();
        expect(sorted(w.counts)).toEqual(counted.byApi); // kafkajs's count agrees with the wire
        expect(Object.values(counted.byBroker).reduce((x, y) => x + y, 0)).toBe(counted.total);
        return { topics: snap.topics.length, brokers: snap.brokers, byApi: counted.byApi };
      };
      await full.snapshot({ sinkGroup }); // connect once
      const steady6 = await measure(adapter, wire);
      const full6 = await measure(full, fullWire);

      expect(await adapter.createTopics(more, { timeoutMs: 60_000 })).toHaveLength(194);
      const expected = Object.fromEntries([...six.map((t) => [t.name, 3]), ...more.map((t) => [t.name, 1])]);
      await vi.waitFor(async () => expect(await partitionCounts(adapter, prefix)).toEqual(expected), { timeout: 60_000, interval: 200 });
      await vi.waitFor(async () => expect(await partitionCounts(full, prefix)).toEqual(expected), { timeout: 60_000, interval: 200 });
      const steady200 = await measure(adapter, wire);
      const full200 = await measure(full, fullWire);

      const ours = (await adapter.snapshot({ sinkGroup })).topics.filter((t) => t.name.startsWith(prefix));
      expect(ours).toHaveLength(200);
      expect(steady200.topics - steady6.topics).toBe(194);
      // steady state: one ListOffsets per broker and one OffsetFetch, whatever the topic count
      expect(steady6.byApi).toEqual({ ListOffsets: steady6.brokers, OffsetFetch: 1 });
      expect(steady200.byApi).toEqual(steady6.byApi);
      // a full (cold) refresh adds one Metadata and the earliest offsets (one more ListOffsets per broker)
      expect(full6.byApi).toEqual({ ListOffsets: 2 * full6.brokers, Metadata: 1, OffsetFetch: 1 });
      expect(full200.byApi).toEqual(full6.byApi);
      console.log(`[kafka-adapter] requests per refresh: steady ${JSON.stringify(steady6.byApi)} at ${steady6.topics} topics, ${JSON.stringify(steady200.byApi)} at ${steady200.topics}; ` +
        `full ${JSON.stringify(full6.byApi)} at ${full6.topics}, ${JSON.stringify(full200.byApi)} at ${full200.topics}`);
    } finally {
      await full.close();
    }
  });

  it('sends at most two requests to any broker on every refresh after the first, with offsets, commits and earliest offsets right', async () => {
    const STEP_MS = 2_000;
    const INTERVAL_MS = 10_000;
    /** refreshes until a slow-cadence read is certain: the interval, then one refresh each for metadata, committed and earliest offsets */
    const SLOT_BOUND = INTERVAL_MS / STEP_MS + 3;
    const [topicA, topicB] = watchedTopics as [string, string];
    const clock = new ManualClock(1_000_000);
    const watched = new KafkaAdapter({ brokers, clock, metadataRefreshMs: INTERVAL_MS });
    const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    const produced: Record<string, number[]> = { [topicA]: [0, 0, 0], [topicB]: [0, 0] };
    const produce = async (topic: string, perPartition: number[]) => {
      const messages = perPartition.flatMap((n, partition) => Array.from({ length: n }, (_, i) => ({ partition, value: `${topic}-${partition}-${produced[topic]![partition]! + i}` })));
      await producer.send({ topic, acks: -1, messages });
      perPartition.forEach((n, p) => (produced[topic]![p]! += n));
    };
    // what the group has committed on topicA, with the clock time it was committed at
    const commits: { at: number; offsets: (number | undefined)[] }[] = [{ at: -Infinity, offsets: [undefined, undefined, undefined] }];
    const committedAsOf = (at: number) => commits.filter((c) => c.at <= at).at(-1)!.offsets;
    // the sink's part, played by a real consumer in the group, committing by hand
    const consumer = kafka.consumer({ groupId: watchedGroup });
    const consumed = new Map<number, number>();
    const commit = async (offsets: number[]) => {
      await consumer.commitOffsets(offsets.map((o, partition) => ({ topic: topicA, partition, offset: String(o) })));
      commits.push({ at: clock.now(), offsets });
    };
    let earliestA0 = { at: -Infinity, value: 0 };
    let createdB = Infinity;
    const perRefresh: { byApi: Record<string, number>; byBroker: Record<string, number> }[] = [];
    let reused = 0;
    let lastSnap: KafkaSnapshot | undefined;

    await admin.createTopics({ topics: [{ topic: topicA, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await producer.connect();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topicA], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => void consumed.set(partition, Number(message.offset) + 1) });
      await produce(topicA, [4, 2, 0]);
      for (let i = 0; i <= 40; i++) {
        if (i > 0) clock.advance(STEP_MS);
        // the outside world changes between refreshes
        if (i === 5) await produce(topicA, [10, 0, 3]);
        if (i === 9) {
          // everything read so far
          const target = [...produced[topicA]!];
          await vi.waitFor(() => expect([0, 1, 2].map((p) => consumed.get(p) ?? 0)).toEqual(target), { timeout: 60_000, interval: 100 });
          await commit(target);
        }
        if (i === 14) {
          await admin.fetchTopicMetadata({ topics: [topicA] }); // the admin finds leaders in its own metadata
          await admin.deleteTopicRecords({ topic: topicA, partitions: [{ partition: 0, offset: '6' }] });
          earliestA0 = { at: i, value: 6 };
        }
        if (i === 18) {
          await admin.createTopics({ topics: [{ topic: topicB, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
          await produce(topicB, [3, 1]);
          createdB = i;
        }
        // from here on a commit before every refresh: a reused answer must show the one before
        if (i >= 25) await commit([8, 1, i - 25]);
        if (i % 3 === 0) await produce(topicA, [1, 1, 1]);

        watched.resetRequestCounts();
        const snap = await watched.snapshot({ sinkGroup: watchedGroup });
        const counts = watched.requestCounts();
        perRefresh.push({ byApi: counts.byApi, byBroker: counts.byBroker });
        lastSnap = snap;
        const where = `refresh ${i}: ${JSON.stringify(counts.byApi)}`;

        expect(Object.keys(counts.byBroker).length, where).toBeGreaterThan(0);
        if (i > 0) expect(Math.max(...Object.values(counts.byBroker)), where).toBeLessThanOrEqual(2);

        const a = snap.topics.find((t) => t.name === topicA)!.partitions;
        expect(a.map((p) => p.end), where).toEqual(produced[topicA]);
        // earliest: the old value until the next earliest read, the new one after it
        expect([0, earliestA0.value], where).toContain(a[0]!.earliest);
        if (i >= earliestA0.at + SLOT_BOUND) expect(a[0]!.earliest, where).toBe(earliestA0.value);
        expect(a.slice(1).map((p) => p.earliest), where).toEqual([0, 0]);

        // committed offsets are never older than one refresh, and are what the group had committed when they were read
        expect(snap.committedAt, where).toBeDefined();
        expect([clock.now(), clock.now() - STEP_MS], where).toContain(snap.committedAt);
        if (snap.committedAt! < clock.now()) reused++;
        expect(a.map((p) => p.committed), where).toEqual(committedAsOf(snap.committedAt!));

        // a new topic shows up by the next metadata and earliest reads, complete and exact
        const b = snap.topics.find((t) => t.name === topicB);
        if (i >= createdB + SLOT_BOUND) expect(b?.partitions.length, where).toBe(2);
        if (b && b.partitions.length > 0) {
          expect(b.partitions.map((p) => [p.partition, p.earliest, p.end]), where).toEqual([[0, 0, 3], [1, 0, 1]]);
        }
      }
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await watched.close();
    }
    const after = perRefresh.slice(1);
    const total = (api: string) => after.reduce((n, r) => n + (r.byApi[api] ?? 0), 0);
    // the slow-cadence reads did happen, in place of OffsetFetch, with its answer reused meanwhile
    expect(total('Metadata')).toBeGreaterThanOrEqual(6);
    expect(reused).toBe(after.filter((r) => !r.byApi.OffsetFetch).length);
    expect(reused).toBeGreaterThanOrEqual(10);
    expect(Object.keys(perRefresh[0]!.byBroker)).toEqual(brokers);
    const lag = lastSnap!.topics.find((t) => t.name === topicA)!.partitions.map((p) => p.end - p.committed!);
    expect(lag).toEqual(produced[topicA]!.map((n, p) => n - committedAsOf(lastSnap!.committedAt!)[p]!));
    console.log(`[kafka-adapter] 41 refreshes 2 s apart, metadata every 10 s: first ${JSON.stringify(perRefresh[0]!.byApi)}, ` +
      `then at most ${Math.max(...after.map((r) => Math.max(...Object.values(r.byBroker))))} per broker; totals Metadata ${total('Metadata')}, ListOffsets ${total('ListOffsets')}, OffsetFetch ${total('OffsetFetch')}; committed reused ${reused}×`);
  });

  it('returns the latest N messages across partitions, oldest first', async () => {
    const topic = six[1]!.name;
    const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const base = Date.now() - 60_000;
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, key: `k${i}`, value: `v${i}`, timestamp: String(base + i) })),
      });
    } finally {
      await producer.disconnect();
    }
    const last7 = await adapter.latestMessages(topic, 7);
    expect(last7.map((m) => text(m.value))).toEqual(['v23', 'v24', 'v25', 'v26', 'v27', 'v28', 'v29']);
    expect(last7.map((m) => text(m.key))).toEqual(['k23', 'k24', 'k25', 'k26', 'k27', 'k28', 'k29']);
    expect(last7.map((m) => [m.partition, m.offset, m.timestamp])).toEqual([23, 24, 25, 26, 27, 28, 29].map((i) => [i % 3, Math.floor(i / 3), base + i]));
    expect((await adapter.latestMessages(topic, 500)).map((m) => text(m.value))).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`));
    expect(await adapter.latestMessages(six[2]!.name, 5)).toEqual([]);
    await expect(adapter.latestMessages(`${prefix}-missing`, 5)).rejects.toMatchObject({ kind: 'not-found', source: 'kafka' });
    await expect(adapter.latestMessages(topic, 0)).rejects.toMatchObject({ kind: 'invalid-input', location: 'count' });
  });

  it('a broker that is down is unreachable, without waiting for the timeout', async () => {
    const down = new KafkaAdapter({ brokers: [`127.0.0.1:${await freePort()}`] });
    try {
      // a generous timeout: the refusal must come back as 'unreachable', not as 'timeout'
      await expect(down.snapshot({ timeoutMs: 60_000 })).rejects.toMatchObject({ kind: 'unreachable', source: 'kafka' });
      await expect(down.latestMessages('orders', 5, { timeoutMs: 60_000 })).rejects.toMatchObject({ kind: 'unreachable' });
    } finally {
      await down.close();
    }
  });

  it('a listener that never answers is a timeout, its connection is dropped, nothing is left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const accepted: net.Socket[] = [];
    let closed = 0;
    const server = net.createServer((socket) => {
      accepted.push(socket);
      socket.resume(); // read and ignore what the client sends; never answer
      socket.on('error', () => undefined);
      socket.on('close', () => closed++);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    // kafkajs's own request timeout far away: only sfpipe dropping the connection closes it
    const hung = new KafkaAdapter({ brokers: [`127.0.0.1:${port}`], requestTimeoutMs: 600_000 });
    // and one whose kafkajs request timeout comes first
    const hungShort = new KafkaAdapter({ brokers: [`127.0.0.1:${port}`], requestTimeoutMs: 1_000 });
    try {
      await expect(hung.snapshot({ timeoutMs: 1_000 })).rejects.toMatchObject({ kind: 'timeout', source: 'kafka', message: 'Kafka snapshot: no answer within 1s' });
      expect(accepted.length).toBe(1);
      await vi.waitFor(() => expect(closed).toBe(accepted.length), { timeout: 10_000 });
      // the caller's own signal works the same way
      const controller = new AbortController();
      const call = hung.snapshot({ timeoutMs: 600_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      await expect(call).rejects.toMatchObject({ kind: 'timeout', message: 'Kafka snapshot: cancelled' });
      expect(accepted.length).toBe(2);
      await vi.waitFor(() => expect(closed).toBe(accepted.length), { timeout: 10_000 });

      await expect(hungShort.latestMessages('orders', 5, { timeoutMs: 600_000 })).rejects.toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^latest messages of orders: Request ApiVersions.* timed out/) });
      await vi.waitFor(() => expect(closed).toBe(accepted.length), { timeout: 10_000 });
      // well past every timer kafkajs started: still nothing unhandled
      await sleep(2_000);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await hung.close();
      await hungShort.close();
      for (const s of accepted) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
