/**
 * The harness Connect worker is a real distributed worker: a FileStreamSource connector
 * streams a file's lines into a topic, pause really stops it, resume picks up what was
 * appended meanwhile, and a bad config is refused with Connect's own message.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';

const h = await requireServices(['connect']);

interface Reply {
  status: number;
  body: unknown;
}

describe.skipIf(!h.ok)('kafka connect worker from the harness, through its REST API', () => {
  const url = h.ok ? (h.env.SFPIPE_CONNECT_URL ?? '') : '';
  const brokers = h.ok ? (h.env.SFPIPE_KAFKA_BROKERS ?? '') : '';
  const kafka = new Kafka({ clientId: 'sfpipe-test', brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 5_000, requestTimeout: 30_000 });
  const id = randomUUID().slice(0, 8);
  const topic = `harness-connect-${id}`;
  const connector = `harness-file-source-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'sfpipe-connect-'));
  const file = join(dir, 'lines.txt');
  let admin: Admin;

  /** One REST call with a timeout; 409 (rebalance in progress) is retried, as Connect asks. */
  async function rest(method: string, path: string, body?: unknown): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      if (res.status === 409 && attempt < 20) {
        await sleep(500);
        continue;
      }
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    }
  }

  /** Poll until fn returns a value (not undefined), or fail with the last thing seen. */
  async function eventually<T>(what: string, fn: () => Promise<T | undefined>, last: () => unknown, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await fn();
      if (value !== undefined) return value;
      await sleep(250);
    }
    throw new Error(`${what} did not happen; last seen: ${JSON.stringify(last())}`);
  }

  let lastStatus: unknown;
  const statesAre = (want: string) =>
    eventually(
      `connector and task ${want}`,
      async () => {
        const r = await rest('GET', `/connectors/${connector}/status`);
        lastStatus = r.body;
        const s = r.body as { connector?: { state?: string }; tasks?: { state?: string }[] };
        return r.status === 200 && s.connector?.state === want && s.tasks?.length === 1 && s.tasks.every((t) => t.state === want) ? s : undefined;
      },
      () => lastStatus,
    );

  let lastOffset = -1;
  const endOffset = async () => {
    const [p] = await admin.fetchTopicOffsets(topic);
    lastOffset = Number(p?.high ?? -1);
    return lastOffset;
  };
  const offsetReaches = (n: number) =>
    eventually(`end offset ${n}`, async () => ((await endOffset()) >= n ? lastOffset : undefined), () => lastOffset);

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true, timeout: 30_000 });
  });

  afterAll(async () => {
    await rest('DELETE', `/connectors/${connector}`).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 }).catch(() => undefined);
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams lines, stops while paused, catches up after resume', async () => {
    const first = Array.from({ length: 5 }, (_, i) => `first line ${i}`);
    const second = Array.from({ length: 5 }, (_, i) => `appended while paused ${i}`);
    writeFileSync(file, first.map((l) => `${l}\n`).join(''));

    const created = await rest('PUT', `/connectors/${connector}/config`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file,
      topic,
    });
    expect(created.status).toBe(201);
    await statesAre('RUNNING');
    expect(await offsetReaches(first.length)).toBe(first.length);

    expect((await rest('PUT', `/connectors/${connector}/pause`)).status).toBe(202);
    await statesAre('PAUSED');
    const pausedAt = await endOffset();
    appendFileSync(file, second.map((l) => `${l}\n`).join(''));
    // Several offset-flush intervals (1 s in the harness) and task poll cycles: a running
    // task would have produced the appended lines by now.
    await sleep(5_000);
    expect(await endOffset()).toBe(pausedAt);
    expect(((await rest('GET', `/connectors/${connector}/status`)).body as { connector: { state: string } }).connector.state).toBe('PAUSED');

    expect((await rest('PUT', `/connectors/${connector}/resume`)).status).toBe(202);
    await statesAre('RUNNING');
    expect(await offsetReaches(first.length + second.length)).toBe(first.length + second.length);

    // The records are the file's lines, in order (JsonConverter, schemas off: JSON strings).
    const values: string[] = [];
    const consumer = kafka.consumer({ groupId: `${topic}-reader`, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`only ${values.length} records consumed: ${JSON.stringify(values)}`)), 60_000);
        consumer
          .run({
            eachMessage: async ({ message }) => {
              values.push(JSON.parse(message.value?.toString() ?? 'null') as string);
              if (values.length >= first.length + second.length) {
                clearTimeout(deadline);
                resolve();
              }
            },
          })
          .catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
      });
    } finally {
      await consumer.disconnect();
    }
    expect(values).toEqual([...first, ...second]);
  });

  it('refuses an invalid connector config with Connect’s own message and creates nothing', async () => {
    const bad = `harness-bad-${id}`;
    const badValue = await rest('PUT', `/connectors/${bad}/config`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': 'not-a-number',
      file,
      topic,
    });
    expect(badValue.status).toBe(400);
    const badValueMessage = (badValue.body as { message?: string }).message ?? '';
    expect(badValueMessage).toMatch(/Connector configuration is invalid/);
    expect(badValueMessage).toMatch(/Invalid value not-a-number for configuration tasks\.max/);

    const noSuchClass = await rest('PUT', `/connectors/${bad}/config`, { 'connector.class': 'com.example.NoSuchConnector', topic });
    expect(noSuchClass.status).toBe(400);
    expect((noSuchClass.body as { message?: string }).message ?? '').toMatch(/Failed to find any class that implements Connector and which name matches com\.example\.NoSuchConnector/);

    const list = await rest('GET', '/connectors');
    expect(list.body).not.toContain(bad);
    expect((await rest('GET', `/connectors/${bad}`)).status).toBe(404);
  });
});
