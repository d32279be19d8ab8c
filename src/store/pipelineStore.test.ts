import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import type { KafkaSnapshot, SnowflakeSnapshot } from '../domain/model.js';
import { fakeContainer, fakeSnowflakeTopic } from '../domain/fixtures.js';
import { createPipelineStore, MAX_EVENTS } from './pipelineStore.js';

const kafka = (end: number, committed = 0): KafkaSnapshot => ({
  brokers: 1,
  sinkGroup: 'connect-snowflake-sink',
  topics: [{ name: 'orders', internal: false, partitions: [{ partition: 0, earliest: 0, end, committed }] }],
});

const snowflake = (): SnowflakeSnapshot => ({ database: 'KAFKA_DB', schema: 'PUBLIC', topics: [fakeSnowflakeTopic('orders', { rawRows: 10, extractedRows: 5 })] });

const boom = (kind: 'unreachable' | 'timeout' | 'auth' = 'unreachable') => new SfpipeError(kind, 'kafka', `${kind} happened`);

describe('pipeline store', () => {
  it('gives a fresh store per call', () => {
    const a = createPipelineStore();
    const b = createPipelineStore();
    a.getState().addEvent({ at: 1, level: 'info', source: 'sfpipe', message: 'hi' });
    expect(b.getState().events).toEqual([]);
    expect(createPipelineStore({ settings: { refreshMs: 5_000, slowRefreshMs: 60_000 } }).getState().settings.refreshMs).toBe(5_000);
  });

  it('ok on success; down on failure without data; stale on failure with data, keeping data and updatedAt', () => {
    const store = createPipelineStore();
    const s = () => store.getState().sources.kafka;
    store.getState().sourceFailed('kafka', boom(), 100);
    expect(s()).toMatchObject({ status: 'down', data: undefined, updatedAt: undefined, attemptedAt: 100 });
    expect(s().error?.kind).toBe('unreachable');

    store.getState().sourceSucceeded('kafka', kafka(10), 200, 12);
    expect(s()).toMatchObject({ status: 'ok', error: undefined, updatedAt: 200, attemptedAt: 200, latencyMs: 12 });

    store.getState().sourceFailed('kafka', boom('timeout'), 300);
    expect(s().status).toBe('stale');
    expect(s().data).toEqual(kafka(10));
    expect(s().updatedAt).toBe(200);
    expect(s().attemptedAt).toBe(300);
    expect(s().error?.kind).toBe('timeout');
  });

  it('unconfigured keeps the reason and hint as the error', () => {
    const store = createPipelineStore();
    store.getState().sourceUnconfigured('snowflake', 'no Snowflake connection configured', { hint: 'run sfpipe doctor', at: 5 });
    const sf = store.getState().sources.snowflake;
    expect(sf.status).toBe('unconfigured');
    expect(sf.error?.message).toBe('no Snowflake connection configured');
    expect(sf.error?.hint).toBe('run sfpipe doctor');
    expect(store.getState().events).toEqual([{ at: 5, level: 'info', source: 'snowflake', message: 'snowflake: not configured — no Snowflake connection configured' }]);
  });

  it('emits events on transitions only, not on every refresh', () => {
    const store = createPipelineStore();
    const st = () => store.getState();
    st().sourceSucceeded('docker', [fakeContainer('kafka')], 0, 1);
    for (let t = 1; t <= 50; t++) st().sourceSucceeded('docker', [fakeContainer('kafka')], t * 1_000, 1);
    st().sourceFailed('docker', new SfpipeError('unreachable', 'docker', 'connect ENOENT /var/run/docker.sock'), 60_000);
    for (let t = 61; t <= 90; t++) st().sourceFailed('docker', new SfpipeError('unreachable', 'docker', `retry ${t}`), t * 1_000);
    st().sourceFailed('docker', new SfpipeError('auth', 'docker', 'permission denied'), 91_000);
    st().sourceSucceeded('docker', [], 120_000, 1);
    st().sourceSucceeded('docker', [], 122_000, 1);
    expect(st().events.map((e) => `${e.at} ${e.level} ${e.message}`)).toEqual([
      '0 info docker: ok',
      '60000 warn docker: stale (showing last good data) — unreachable: connect ENOENT /var/run/docker.sock',
      '91000 warn docker: stale (showing last good data) — auth: permission denied',
      '120000 info docker: ok again (was stale, no fresh data for 1m 10s)',
    ]);
  });

  it('announces the first failure of a source that never answered', () => {
    const store = createPipelineStore();
    store.getState().sourceFailed('connect', new SfpipeError('unreachable', 'connect', 'ECONNREFUSED'), 0);
    store.getState().sourceFailed('connect', new SfpipeError('unreachable', 'connect', 'ECONNREFUSED'), 2_000);
    expect(store.getState().events.map((e) => e.message)).toEqual(['connect: down — unreachable: ECONNREFUSED']);
    expect(store.getState().events[0]!.level).toBe('error');
  });

  it('keeps at most 200 events, newest last', () => {
    const store = createPipelineStore();
    for (let i = 0; i < 1_000; i++) store.getState().addEvent({ at: i, level: 'info', source: 'action', message: `e${i}` });
    const events = store.getState().events;
    expect(events).toHaveLength(MAX_EVENTS);
    expect(events[0]!.message).toBe('e800');
    expect(events.at(-1)!.message).toBe('e999');
  });

  it('merges the slow backlog poll into the Snowflake data without touching its status or age', () => {
    const store = createPipelineStore();
    store.getState().sourceSucceeded('snowflake', snowflake(), 1_000, 5);
    store.getState().backlogSucceeded({ at: 2_000, topics: [{ topic: 'orders', streamBacklog: 42, lastRun: { state: 'SUCCEEDED', at: 1_500, error: undefined }, nextRunAt: 61_500 }] }, 2_000, 900);
    let sf = store.getState().sources.snowflake;
    expect(sf.updatedAt).toBe(1_000);
    expect(sf.data!.topics[0]!.stream!.backlog).toBe(42);
    expect(sf.data!.topics[0]!.task!.nextRunAt).toBe(61_500);
    expect(store.getState().snowflakeBacklog?.status).toBe('ok');
    // a later metadata refresh (which knows no backlog) keeps the backlog merged in
    store.getState().sourceSucceeded('snowflake', snowflake(), 3_000, 5);
    sf = store.getState().sources.snowflake;
    expect(sf.data!.topics[0]!.stream!.backlog).toBe(42);
    expect(sf.data!.topics[0]!.stream!.backlogAt).toBe(2_000);
    store.getState().backlogFailed(new SfpipeError('timeout', 'snowflake', 'warehouse did not resume'), 4_000);
    expect(store.getState().snowflakeBacklog?.status).toBe('stale');
    expect(store.getState().sources.snowflake.status).toBe('ok');
  });

  it('tracks funnel waits from Kafka and Snowflake updates, dropping topics that are gone', () => {
    const store = createPipelineStore();
    store.getState().sourceSucceeded('kafka', kafka(100, 0), 0, 1);
    expect(store.getState().funnelWaits?.orders?.produced).toEqual({ since: 0, target: 100 });
    store.getState().sourceSucceeded('kafka', kafka(200, 50), 10_000, 1);
    expect(store.getState().funnelWaits?.orders?.produced).toEqual({ since: 0, target: 100 });
    store.getState().sourceSucceeded('kafka', { ...kafka(0), topics: [] }, 20_000, 1);
    expect(store.getState().funnelWaits).toEqual({});
  });
});
