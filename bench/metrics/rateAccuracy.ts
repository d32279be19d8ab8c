/**
 * Metric 6 — rate accuracy. A kafkajs producer paced to a target rate writes to a topic of the
 * bench on the harness broker while the product's Kafka poller (createPipeline, system clock,
 * default refresh and 30 s window) reports the topic's rate. The true rate comes independently
 * from end offsets read with a separate admin client every 500 ms: at each refresh T, the
 * messages appended in [T − window, T] (interpolated between readings) over the window.
 * Refreshes count once the window has filled (T ≥ start + window + 2 s) and while production
 * still runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { createPipeline, RATE_WINDOW_MS } from '../../src/app/pipeline.js';
import { loadConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/domain/clock.js';
import { createKafkaService } from '../../src/services/kafka/adapter.js';
import { unconfigured, type Services } from '../../src/services/types.js';
import { measured, notMeasured, type MetricResult } from '../lib/result.js';
import type { BenchStack } from '../lib/stack.js';
import { max, median, round } from '../lib/stats.js';

interface OffsetReading {
  at: number;
  end: number;
}

/** The end offset at time t, linear between the readings around it. */
export function interpolate(readings: readonly OffsetReading[], t: number): number | undefined {
  for (let i = 1; i < readings.length; i++) {
    const a = readings[i - 1]!;
    const b = readings[i]!;
    if (a.at <= t && t <= b.at) return b.at === a.at ? b.end : a.end + ((b.end - a.end) * (t - a.at)) / (b.at - a.at);
  }
  return undefined;
}

async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((s, p) => s + Number(p.high), 0);
}

/** Send `rate` messages per second in 20 ms slices until `until`; returns messages sent. */
async function produce(producer: Producer, topic: string, rate: number, until: number): Promise<number> {
  const start = Date.now();
  let sent = 0;
  const value = 'x'.repeat(64);
  while (Date.now() < until) {
    const due = Math.floor(((Date.now() - start) * rate) / 1000);
    if (due > sent) {
      const n = due - sent;
      await producer.send({ topic, acks: 1, messages: Array.from({ length: n }, (_, i) => ({ value: `${sent + i} ${value}` })) });
      sent += n;
    }
    await sleep(20);
  }
  return sent;
}

export async function rateAccuracy(stack: BenchStack, rate: number, seconds: number): Promise<MetricResult> {
  const name = `6${rate <= 500 ? 'a' : 'b'} rate accuracy at ${rate} msg/s (max error after the window fills)`;
  const goal = { op: '<=' as const, value: 2 };
  const brokers = stack.env.SFPIPE_KAFKA_BROKERS;
  if (!brokers) return notMeasured(name, '%', goal, 'no harness Kafka broker');
  const topic = `sfb_rate_${rate}`;
  await stack.createTopics([topic], 3);
  const kafka = new Kafka({ clientId: 'sfpipe-bench-producer', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const setup = stack.consoleSetup(`rate-${rate}`);
  const config = loadConfig({ cwd: setup.cwd, env: setup.env, homedir: setup.env.HOME!, flags: {} });
  const kafkaService = createKafkaService({ brokers: config.kafka.brokers });
  const services: Services = {
    docker: unconfigured('bench: Kafka only'),
    kafka: kafkaService,
    connect: unconfigured('bench: Kafka only'),
    snowflake: unconfigured('bench: Kafka only'),
    close: () => kafkaService.close(),
  };
  const { store, pollers } = createPipeline(config, services, { clock: systemClock });
  const readings: OffsetReading[] = [];
  const reported: { at: number; perSecond: number }[] = [];
  const unsubscribe = store.subscribe((s, prev) => {
    const r = s.rates[topic];
    if (r?.perSecond !== undefined && s.sources.kafka.updatedAt !== prev.sources.kafka.updatedAt) reported.push({ at: s.sources.kafka.updatedAt!, perSecond: r.perSecond });
  });
  let stopReading = false;
  const reader = (async () => {
    while (!stopReading) {
      const t0 = Date.now();
      try {
        const end = await endOffset(admin, topic);
        readings.push({ at: (t0 + Date.now()) / 2, end });
      } catch {
        // a fresh topic's leader may not be known yet: the next reading will do
      }
      await sleep(500);
    }
  })();
  try {
    pollers.start();
    await sleep(1_000);
    const start = Date.now();
    const until = start + seconds * 1000;
    const sent = await produce(producer, topic, rate, until);
    await sleep(600); // one more offset reading after the last message
    const from = start + RATE_WINDOW_MS + 2_000;
    const errors: number[] = [];
    const pairs: { reported: number; truth: number }[] = [];
    for (const r of reported) {
      if (r.at < from || r.at > until) continue;
      const endNow = interpolate(readings, r.at);
      const endThen = interpolate(readings, r.at - RATE_WINDOW_MS);
      if (endNow === undefined || endThen === undefined) continue;
      const truth = ((endNow - endThen) * 1000) / RATE_WINDOW_MS;
      pairs.push({ reported: r.perSecond, truth });
      errors.push((Math.abs(r.perSecond - truth) / truth) * 100);
    }
    if (errors.length === 0) return notMeasured(name, '%', goal, `no refresh fell after the window filled (production ${seconds} s, window ${RATE_WINDOW_MS / 1000} s)`);
    const achieved = (sent * 1000) / (until - start);
    return measured(
      name,
      round(max(errors), 3),
      '%',
      goal,
      `${errors.length} refreshes compared after the ${RATE_WINDOW_MS / 1000} s window filled, production ${seconds} s to a 3-partition topic (producer achieved ${round(achieved, 1)} msg/s); error median ${round(median(errors), 3)} %, max ${round(max(errors), 3)} %; e.g. reported ${round(pairs[0]!.reported, 1)} vs true ${round(pairs[0]!.truth, 1)} msg/s`,
      { errorsPercent: errors.map((e) => round(e, 4)), pairs: pairs.map((p) => ({ reported: round(p.reported, 2), truth: round(p.truth, 2) })), sent, achievedRate: round(achieved, 2) },
    );
  } finally {
    unsubscribe();
    pollers.stop();
    stopReading = true;
    await reader.catch(() => undefined);
    await services.close();
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await stack.deleteTopics([topic]);
  }
}
