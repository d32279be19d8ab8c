/**
 * Issue 4: produce at a known rate to a topic on the real broker while the real Kafka
 * poller runs (real adapter, real store, system clock): once the rate window has filled,
 * the reported messages/s matches the rate actually produced over that window within 5 %.
 * The true rate is measured from the producer's own acknowledgements, not assumed.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { createKafkaPoller } from '../../src/pollers/kafka.js';
import { createKafkaService } from '../../src/services/kafka/adapter.js';
import { createPipelineStore } from '../../src/store/pipelineStore.js';

const h = await requireServices(['kafka']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const WINDOW_MS = 10_000; // the product default is 30 s; a shorter window keeps the test short
const TARGET_PER_SECOND = 400;
const BATCH = 20; // one batch every 50 ms

describe.skipIf(!h.ok)('message rate from the Kafka poller against the harness broker', () => {
  const brokers = h.ok ? h.env.SFPIPE_KAFKA_BROKERS!.split(',') : [];
  const kafka = new Kafka({ clientId: 'sfpipe-rate-test', brokers, logLevel: logLevel.NOTHING });
  const adapter = createKafkaService({ brokers, timeoutMs: 5_000 });
  const store = createPipelineStore({ settings: { refreshMs: 1_000, slowRefreshMs: 0 } });
  const poller = createKafkaPoller(store, adapter, { clock: systemClock, timeoutMs: 5_000, rates: { windowMs: WINDOW_MS } });

  afterAll(async () => {
    poller.stop();
    await adapter.close();
  });

  it('reports the produced rate within 5 % once the window has filled', async () => {
    const topic = `rate-${randomUUID().slice(0, 8)}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();

    const acks: Array<{ at: number; n: number }> = [];
    let producing = true;
    const start = Date.now();
    // Paced against absolute times, so a slow send does not lower the long-run rate.
    const loop = (async () => {
      for (let i = 0; producing; i++) {
        const due = start + (i * BATCH * 1000) / TARGET_PER_SECOND;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        await producer.send({ topic, messages: Array.from({ length: BATCH }, (_, j) => ({ key: String(j), value: `m${i}-${j}` })) });
        acks.push({ at: Date.now(), n: BATCH });
      }
    })();

    poller.start();
    const checks: Array<{ reported: number; truth: number }> = [];
    try {
      await sleep(WINDOW_MS + 4_000);
      for (let k = 0; k < 3; k++) {
        await sleep(1_500);
        const reported = store.getState().rates[topic]?.perSecond;
        const now = Date.now();
        const inWindow = acks.filter((a) => a.at > now - WINDOW_MS).reduce((s, a) => s + a.n, 0);
        checks.push({ reported: reported ?? NaN, truth: inWindow / (WINDOW_MS / 1000) });
      }
    } finally {
      producing = false;
      await loop;
      await producer.disconnect();
    }
    process.stdout.write(`rate checks (reported vs produced msg/s): ${checks.map((c) => `${c.reported.toFixed(1)} vs ${c.truth.toFixed(1)}`).join(', ')}\n`);
    for (const c of checks) {
      expect(Number.isFinite(c.reported)).toBe(true);
      expect(Math.abs(c.reported - c.truth) / c.truth).toBeLessThan(0.05);
    }
    expect(store.getState().rates[topic]!.history.length).toBeGreaterThan(0);
  });
});
