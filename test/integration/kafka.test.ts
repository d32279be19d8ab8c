/**
 * The harness broker is a real Kafka that kafkajs (the client sfpipe uses) can work with:
 * topics with partitions, produce, end offsets, consume back — exact counts and contents.
 */
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';

const h = await requireServices(['kafka']);
const MESSAGES = 10_000;

describe.skipIf(!h.ok)('kafka broker from the harness, through kafkajs', () => {
  const brokers = h.ok ? h.env.SFPIPE_KAFKA_BROKERS : '';
  const kafka = new Kafka({ clientId: 'sfpipe-test', brokers: [brokers ?? ''], logLevel: logLevel.NOTHING, connectionTimeout: 5_000, requestTimeout: 30_000 });
  const topic = `harness-kafka-${randomUUID().slice(0, 8)}`;
  let admin: Admin;

  beforeAll(async () => {
    expect(brokers).toMatch(/^127\.0\.0\.1:\d+$/);
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a 3-partition topic, takes 10,000 messages and gives exactly those back', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true, timeout: 30_000 })).toBe(true);
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(meta?.partitions).toHaveLength(3);

    const expected = Array.from({ length: MESSAGES }, (_, i) => `message-${i}`);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (let start = 0; start < MESSAGES; start += 1_000) {
        const messages = expected.slice(start, start + 1_000).map((value, j) => ({ key: `k${start + j}`, value }));
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets).toHaveLength(3);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(MESSAGES); // end offsets of a fresh topic
    // keys spread over partitions: every partition got some
    for (const p of offsets) expect(Number(p.high)).toBeGreaterThan(0);

    const received: string[] = [];
    const consumer = kafka.consumer({ groupId: `${topic}-reader`, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        // A bound, not a timing assertion: fail with what arrived instead of hanging the run.
        const deadline = setTimeout(() => reject(new Error(`only ${received.length} of ${MESSAGES} messages consumed`)), 150_000);
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const m of batch.messages) received.push(m.value?.toString() ?? '<null>');
              if (received.length >= MESSAGES) {
                clearTimeout(deadline);
                resolve();
              }
            },
          })
          .catch((err: unknown) => {
            clearTimeout(deadline);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received).toHaveLength(MESSAGES);
    expect(new Set(received)).toEqual(new Set(expected));
  });
});
