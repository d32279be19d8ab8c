import { describe, expect, it } from 'vitest';
import { fakeSnowflakeTopic } from './fixtures.js';
import { advanceWaits, funnelCounts, topicFunnel, type FunnelWaits } from './funnel.js';
import type { KafkaSnapshot, SnowflakeSnapshot, SourceState, SourceStatus } from './model.js';

const kafkaSnap = (end: number, committed: number | undefined, sinkGroup: string | undefined = 'connect-snowflake-sink'): KafkaSnapshot => ({
  brokers: 1,
  sinkGroup,
  topics: [{ name: 'orders', internal: false, partitions: [{ partition: 0, earliest: 0, end, committed }] }],
});

const sfSnap = (raw: number | undefined, extracted: number | undefined, extra: { backlog?: number; hasData?: boolean; taskState?: string } = {}): SnowflakeSnapshot => {
  const t = fakeSnowflakeTopic('orders', { rawRows: raw, extractedRows: extracted });
  return {
    database: 'KAFKA_DB',
    schema: 'PUBLIC',
    topics: [
      {
        ...t,
        stream: { ...t.stream!, backlog: extra.backlog, hasData: extra.hasData, backlogAt: extra.backlog === undefined ? undefined : 0 },
        task: { ...t.task!, state: extra.taskState ?? 'started' },
      },
    ],
  };
};

function src<T>(status: SourceStatus, data: T | undefined, updatedAt: number | undefined = 0): SourceState<T> {
  return { status, data, error: undefined, updatedAt, attemptedAt: updatedAt, latencyMs: 1 };
}

/**
 * Drive the funnel like the store does: every `step` ms new counts arrive, waits advance,
 * and the verdict is read at the end.
 */
function run(steps: { kafka: KafkaSnapshot; sf: SnowflakeSnapshot }[], stepMs: number, rate: number | undefined) {
  let waits: FunnelWaits | undefined;
  let now = 0;
  for (const s of steps) {
    waits = advanceWaits(waits, funnelCounts('orders', s.kafka, s.sf), now);
    now += stepMs;
  }
  now -= stepMs;
  const last = steps.at(-1)!;
  return topicFunnel({ topic: 'orders', kafka: src('ok', last.kafka, now), snowflake: src('ok', last.sf, now), waits, ratePerSecond: rate, now });
}

const repeat = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('funnel counts', () => {
  it('sums end offsets and committed offsets; an uncommitted partition lags from its earliest offset', () => {
    const k: KafkaSnapshot = {
      brokers: 1,
      sinkGroup: 'g',
      topics: [{ name: 'orders', internal: false, partitions: [
        { partition: 0, earliest: 0, end: 100, committed: 90 },
        { partition: 1, earliest: 5, end: 50, committed: undefined },
      ] }],
    };
    const c = funnelCounts('orders', k, undefined);
    expect(c.produced).toBe(150);
    expect(c.sinkLag).toBe(10 + 45);
    expect(c.committedBySink).toBe(95);
    expect(c.rawRows).toBeUndefined();
  });
});

describe('funnel verdict', () => {
  it('waiting at produced: the sink commits nothing for 3 minutes', () => {
    // 1,000 committed long ago; the topic reached 2,204 and the sink stopped committing
    const steps = repeat(19, (i) => ({ kafka: kafkaSnap(1_000 + Math.min(1_204, i * 200), 1_000), sf: sfSnap(1_000, 1_000, { hasData: false }) }));
    const f = run(steps, 10_000, 0);
    expect(f.verdict.waitingAt).toBe('produced');
    expect(f.verdict.waiting).toBe(1_204);
    expect(f.verdict.since).toBe(10_000);
    expect(f.verdict.explanation).toBe('1,204 records produced but not yet committed by the sink for 2m 50s');
  });

  it('a steady pipeline whose sink commits every minute is flowing, not waiting', () => {
    // 10 msg/s produced; the sink commits everything every 60 s; Snowflake keeps up
    const steps = repeat(60, (i) => {
      const t = i * 10;
      const produced = t * 10;
      const committed = Math.floor(t / 60) * 600;
      return { kafka: kafkaSnap(produced, committed), sf: sfSnap(committed, committed, { hasData: false }) };
    });
    const f = run(steps, 10_000, 10);
    expect(f.verdict.waitingAt).toBe('flowing');
    expect(f.sinkLag).toBeGreaterThan(0);
    expect(f.verdict.explanation).toMatch(/on their way, none stuck/);
  });

  it('waiting at sink: committed but not in the raw table', () => {
    const steps = repeat(20, () => ({ kafka: kafkaSnap(5_000, 5_000), sf: sfSnap(4_000, 4_000) }));
    const f = run(steps, 10_000, 0);
    expect(f.verdict.waitingAt).toBe('sink');
    expect(f.verdict.waiting).toBe(1_000);
    expect(f.verdict.explanation).toBe('1,000 records committed by the sink but not yet in raw table ORDERS for 3m 10s');
  });

  it('waiting at raw (backlog unknown), naming a suspended task', () => {
    const steps = repeat(20, () => ({ kafka: kafkaSnap(5_000, 5_000), sf: sfSnap(5_000, 3_500, { taskState: 'suspended' }) }));
    const f = run(steps, 10_000, 0);
    expect(f.verdict.waitingAt).toBe('raw');
    expect(f.verdict.waiting).toBe(1_500);
    expect(f.verdict.explanation).toContain('in raw table ORDERS but not yet in ORDERS_EXTRACTED for 3m 10s');
    expect(f.verdict.explanation).toContain('task TASK_EXTRACT_AVRO_FROM_ORDERS is suspended');
  });

  it('waiting in the stream when the backlog is known, and the backlog beats the raw−extracted gap', () => {
    // 200 raw rows predate the stream and will never be extracted; 300 wait in the stream
    const steps = repeat(20, () => ({ kafka: kafkaSnap(5_000, 5_000), sf: sfSnap(5_000, 4_500, { backlog: 300 }) }));
    const f = run(steps, 10_000, 0);
    expect(f.verdict.waitingAt).toBe('stream');
    expect(f.verdict.waiting).toBe(300);
    expect(f.inStream).toBe(300);
    expect(f.verdict.explanation).toContain('waiting in stream STREAM_ORDERS for the extract task');

    const drained = run(repeat(20, () => ({ kafka: kafkaSnap(5_000, 5_000), sf: sfSnap(5_000, 4_500, { backlog: 0 }) })), 10_000, 0);
    expect(drained.verdict.waitingAt).toBe('idle');
  });

  it('a gap younger than its stage grace is not a wait yet', () => {
    const steps = repeat(5, () => ({ kafka: kafkaSnap(5_000, 4_000), sf: sfSnap(4_000, 4_000, { hasData: false }) }));
    const f = run(steps, 10_000, 0);
    expect(f.verdict.waitingAt).toBe('flowing');
    expect(f.verdict.waiting).toBe(1_000);
  });

  it('reports the earliest stuck stage first', () => {
    const steps = repeat(20, () => ({ kafka: kafkaSnap(5_000, 4_000), sf: sfSnap(3_000, 1_000) }));
    expect(run(steps, 10_000, 0).verdict.waitingAt).toBe('produced');
  });

  it('idle when nothing was produced, or everything arrived and nothing is produced lately', () => {
    expect(run([{ kafka: kafkaSnap(0, undefined), sf: sfSnap(0, 0) }], 1, undefined).verdict).toMatchObject({ waitingAt: 'idle', explanation: 'nothing produced yet' });
    const all = run(repeat(3, () => ({ kafka: kafkaSnap(700, 700), sf: sfSnap(700, 700) })), 10_000, 0);
    expect(all.verdict.waitingAt).toBe('idle');
    expect(all.verdict.explanation).toBe('nothing produced lately; all 700 records reached ORDERS_EXTRACTED');
  });

  it('unknown when a needed source is down or unconfigured, saying which', () => {
    const down = topicFunnel({ topic: 'orders', kafka: src('down', undefined, undefined), snowflake: src('ok', sfSnap(1, 1)), waits: undefined, ratePerSecond: undefined, now: 0 });
    expect(down.verdict.waitingAt).toBe('unknown');
    expect(down.verdict.explanation).toBe('kafka is down: produced and committed counts unknown');

    const noSf = topicFunnel({ topic: 'orders', kafka: src('ok', kafkaSnap(10, 10)), snowflake: src('unconfigured', undefined, undefined), waits: undefined, ratePerSecond: 1, now: 0 });
    expect(noSf.verdict.waitingAt).toBe('unknown');
    expect(noSf.verdict.explanation).toContain('snowflake is not configured: raw and extracted counts unknown');

    const noGroup = topicFunnel({ topic: 'orders', kafka: src('ok', { ...kafkaSnap(10, undefined), sinkGroup: undefined }), snowflake: src('ok', sfSnap(1, 1)), waits: undefined, ratePerSecond: 1, now: 0 });
    expect(noGroup.verdict.explanation).toBe('no sink consumer group known: committed counts unknown');

    const missing = topicFunnel({ topic: 'ratings', kafka: src('ok', kafkaSnap(10, 10)), snowflake: src('ok', sfSnap(1, 1)), waits: undefined, ratePerSecond: 1, now: 0 });
    expect(missing.verdict.explanation).toBe('topic ratings not found in Kafka');
  });

  it('still points at an earlier stuck stage when a later source is unknown', () => {
    let waits: FunnelWaits | undefined;
    for (let t = 0; t <= 200_000; t += 10_000) waits = advanceWaits(waits, funnelCounts('orders', kafkaSnap(900, 100), undefined), t);
    const f = topicFunnel({ topic: 'orders', kafka: src('ok', kafkaSnap(900, 100)), snowflake: src('down', undefined, undefined), waits, ratePerSecond: 0, now: 200_000 });
    expect(f.verdict.waitingAt).toBe('produced');
    expect(f.verdict.waiting).toBe(800);
  });

  it('says how old the data is when a source is stale', () => {
    const f = topicFunnel({ topic: 'orders', kafka: src('stale', kafkaSnap(10, 10), 0), snowflake: src('ok', sfSnap(10, 10), 120_000), waits: undefined, ratePerSecond: 0, now: 120_000 });
    expect(f.verdict.explanation).toMatch(/\(kafka data 2m old\)$/);
  });
});

describe('funnel waits', () => {
  it('restart when the downstream count reaches the old target, keep `since` while it does not', () => {
    let w = advanceWaits(undefined, funnelCounts('orders', kafkaSnap(100, 0), undefined), 0);
    expect(w.produced).toEqual({ since: 0, target: 100 });
    w = advanceWaits(w, funnelCounts('orders', kafkaSnap(200, 50), undefined), 10);
    expect(w.produced).toEqual({ since: 0, target: 100 });
    w = advanceWaits(w, funnelCounts('orders', kafkaSnap(300, 150), undefined), 20);
    expect(w.produced).toEqual({ since: 20, target: 300 });
    w = advanceWaits(w, funnelCounts('orders', kafkaSnap(300, 300), undefined), 30);
    expect(w.produced).toBeUndefined();
  });

  it('keep a wait through an outage of its source, and restart when offsets go backwards', () => {
    let w = advanceWaits(undefined, funnelCounts('orders', kafkaSnap(100, 0), undefined), 0);
    w = advanceWaits(w, funnelCounts('orders', undefined, undefined), 10);
    expect(w.produced).toEqual({ since: 0, target: 100 });
    w = advanceWaits(w, funnelCounts('orders', kafkaSnap(40, 0), undefined), 20);
    expect(w.produced).toEqual({ since: 20, target: 40 });
  });
});
