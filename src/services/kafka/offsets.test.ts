import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from '../types.js';
import type { RawMetadata } from './internals.js';
import {
  buildSnapshot,
  checkMessageCount,
  checkTopicSpecs,
  clusterLayout,
  committedOffsetsOf,
  isInternalTopic,
  latestOf,
  listOffsetsByLeader,
  offsetsOf,
  partitionKey,
  selectTopics,
  startOffsets,
} from './offsets.js';

const metadata = (topics: Record<string, number[]>, brokers = 3, internal: string[] = []): RawMetadata => ({
  brokers: Array.from({ length: brokers }, (_, i) => ({ nodeId: i + 1, host: '127.0.0.1', port: 9092 + i })),
  topicMetadata: Object.entries(topics).map(([topic, leaders]) => ({
    topicErrorCode: 0,
    topic,
    isInternal: internal.includes(topic),
    // listed out of order on purpose
    partitionMetadata: leaders.map((leader, partitionId) => ({ partitionErrorCode: 0, partitionId, leader })).reverse(),
  })),
});

describe('cluster layout', () => {
  it('sorts topics and partitions and marks internal topics', () => {
    const layout = clusterLayout(metadata({ orders: [1, 2], __consumer_offsets: [1], _schemas: [2], 'sfpipe-connect-offsets': [3], pageviews: [3] }, 3, ['__consumer_offsets']));
    expect(layout.brokers).toBe(3);
    expect(layout.topics.map((t) => [t.name, t.internal])).toEqual([
      ['__consumer_offsets', true],
      ['_schemas', true],
      ['orders', false],
      ['pageviews', false],
      ['sfpipe-connect-offsets', true],
    ]);
    expect(layout.topics.find((t) => t.name === 'orders')!.partitions).toEqual([
      { partition: 0, leader: 1 },
      { partition: 1, leader: 2 },
    ]);
    expect(selectTopics(layout, false).map((t) => t.name)).toEqual(['orders', 'pageviews']);
    expect(selectTopics(layout, true)).toHaveLength(5);
  });

  it('keeps user topics that merely contain "connect"', () => {
    expect(isInternalTopic('connect-events')).toBe(false);
    expect(isInternalTopic('connect-status')).toBe(true);
    expect(isInternalTopic('my.connect-configs')).toBe(true);
    expect(isInternalTopic('orders', true)).toBe(true);
  });
});

describe('one ListOffsets per leader broker', () => {
  it('groups every partition of every topic by its leader, whatever the number of topics', () => {
    for (const n of [6, 1_000]) {
      const topics = Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, [1, 2, 3, 1]]));
      const requests = listOffsetsByLeader(clusterLayout(metadata(topics)).topics, -1, 0);
      expect([...requests.keys()].sort()).toEqual([1, 2, 3]);
      const partitionsAsked = [...requests.values()].flatMap((r) => r.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.topic, p.partition))));
      expect(partitionsAsked).toHaveLength(n * 4);
      expect(new Set(partitionsAsked).size).toBe(n * 4);
      expect(requests.get(1)!.topics[0]!.partitions).toEqual([
        { partition: 0, timestamp: -1 },
        { partition: 3, timestamp: -1 },
      ]);
    }
  });

  it('leaves leaderless partitions out', () => {
    const requests = listOffsetsByLeader(clusterLayout(metadata({ a: [1, -1] }, 1)).topics, -2, 0);
    expect(requests.get(1)!.topics).toEqual([{ topic: 'a', partitions: [{ partition: 0, timestamp: -2 }] }]);
    expect(requests.size).toBe(1);
  });
});

describe('snapshot from answers', () => {
  const layout = clusterLayout(metadata({ orders: [1, 1], pageviews: [1, -1] }, 1));
  const ok = (partition: number, offset: string) => ({ partition, errorCode: 0, offset });
  const earliest = offsetsOf([{ responses: [{ topic: 'orders', partitions: [ok(0, '0'), ok(1, '5')] }, { topic: 'pageviews', partitions: [ok(0, '0')] }] }]).offsets;
  const latest = offsetsOf([{ responses: [{ topic: 'orders', partitions: [ok(0, '10'), ok(1, '12')] }, { topic: 'pageviews', partitions: [ok(0, '7')] }] }]).offsets;

  it('keeps what a broker answered when it could not answer for some partitions', () => {
    // error 6: NOT_LEADER_OR_FOLLOWER, as for a topic created a moment ago
    const answer = offsetsOf([{ responses: [{ topic: 'orders', partitions: [ok(0, '10'), { partition: 1, errorCode: 6, offset: '-1' }] }] }]);
    expect([...answer.offsets]).toEqual([[partitionKey('orders', 0), 10]]);
    expect([...answer.failed]).toEqual([[partitionKey('orders', 1), 6]]);
  });

  it('puts earliest, end and committed offsets per partition; -1 commits are "none"', () => {
    const committed = committedOffsetsOf({ responses: [{ topic: 'orders', partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '-1' }] }] });
    const snap = buildSnapshot({ brokers: 1, topics: layout.topics, earliest, latest, committed, sinkGroup: 'connect-snowflake-sink' });
    expect(snap).toEqual({
      brokers: 1,
      sinkGroup: 'connect-snowflake-sink',
      topics: [
        {
          name: 'orders',
          internal: false,
          partitions: [
            { partition: 0, earliest: 0, end: 10, committed: 4 },
            { partition: 1, earliest: 5, end: 12, committed: undefined },
          ],
        },
        // partition 1 has no leader and was never seen: left out, not shown as 0
        { name: 'pageviews', internal: false, partitions: [{ partition: 0, earliest: 0, end: 7, committed: undefined }] },
      ],
    });
  });

  it('without a sink group no partition has a committed offset', () => {
    const snap = buildSnapshot({ brokers: 1, topics: layout.topics, earliest, latest, committed: undefined, sinkGroup: undefined });
    expect(snap.topics.flatMap((t) => t.partitions.map((p) => p.committed))).toEqual([undefined, undefined, undefined]);
  });
});

describe('input checks', () => {
  it('names the bad field and what is wrong', () => {
    expect(() => checkTopicSpecs([{ name: 'ok', partitions: 1, replicationFactor: 1 }, { name: 'bad name', partitions: 1, replicationFactor: 1 }])).toThrow(
      expect.objectContaining({ kind: 'invalid-input', location: 'topics[1].name' }),
    );
    expect(() => checkTopicSpecs([{ name: 'a', partitions: 0, replicationFactor: 1 }])).toThrow(expect.objectContaining({ location: 'topics[0].partitions' }));
    expect(() => checkTopicSpecs([{ name: 'a', partitions: 1, replicationFactor: 1.5 }])).toThrow(expect.objectContaining({ location: 'topics[0].replicationFactor' }));
    expect(() => checkTopicSpecs([{ name: 'a', partitions: 1, replicationFactor: 1 }, { name: 'a', partitions: 2, replicationFactor: 1 }])).toThrow(/listed twice/);
    expect(() => checkTopicSpecs([{ name: 'a', partitions: 3, replicationFactor: 1 }])).not.toThrow();
    expect(() => checkMessageCount(0)).toThrow(expect.objectContaining({ kind: 'invalid-input', location: 'count' }));
    expect(checkMessageCount(20)).toBe(20);
  });
});

describe('latest messages', () => {
  it('starts each partition count records before its end, never before its earliest offset', () => {
    const start = startOffsets([0, 1, 2], new Map([[0, 0], [1, 95], [2, 0]]), new Map([[0, 50], [1, 100], [2, 3]]), 10);
    expect([...start]).toEqual([
      [0, 40],
      [1, 95],
      [2, 0],
    ]);
  });

  it('keeps the most recent across partitions, oldest first', () => {
    const m = (partition: number, offset: number, timestamp: number): KafkaMessage => ({ partition, offset, timestamp, key: null, value: null });
    const all = [m(0, 7, 100), m(1, 3, 105), m(0, 8, 110), m(2, 1, 103), m(1, 4, 110)];
    expect(latestOf(all, 3)).toEqual([m(1, 3, 105), m(0, 8, 110), m(1, 4, 110)]);
    expect(latestOf(all, 10)).toHaveLength(5);
  });
});
