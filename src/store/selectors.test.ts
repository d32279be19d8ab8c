import { describe, expect, it } from 'vitest';
import { fakeConnector, fakeContainer, fakeSnowflakeTopic } from '../domain/fixtures.js';
import { createPipelineStore } from './pipelineStore.js';
import {
  selectConnectorRows,
  selectContainerRows,
  selectFunnels,
  selectFunnelTopics,
  selectSnowflakeRows,
  selectSourceAge,
  selectTopicRows,
} from './selectors.js';

function storeWithData() {
  const store = createPipelineStore({ pipelineTopics: ['pageviews', 'orders'] });
  const s = store.getState();
  s.sourceSucceeded('kafka', {
    brokers: 1,
    sinkGroup: 'connect-snowflake-sink',
    topics: [
      { name: 'pageviews', internal: false, partitions: [{ partition: 0, earliest: 0, end: 30, committed: 30 }] },
      { name: '__consumer_offsets', internal: true, partitions: [{ partition: 0, earliest: 0, end: 5, committed: undefined }] },
      { name: 'orders', internal: false, partitions: [{ partition: 0, earliest: 2, end: 10, committed: 4 }, { partition: 1, earliest: 0, end: 5, committed: undefined }] },
    ],
  }, 1_000, 3);
  s.sourceSucceeded('connect', [
    fakeConnector('sink', { type: 'sink', tasks: [{ id: 0, state: 'FAILED', workerId: 'w', trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat x' }] }),
    fakeConnector('datagen-orders'),
  ], 1_000, 3);
  s.sourceSucceeded('docker', [fakeContainer('zookeeper'), fakeContainer('broker'), fakeContainer('connect', { service: undefined })], 1_000, 3);
  s.sourceSucceeded('snowflake', { database: 'KAFKA_DB', schema: 'PUBLIC', topics: [fakeSnowflakeTopic('users'), fakeSnowflakeTopic('orders'), fakeSnowflakeTopic('pageviews')] }, 1_000, 3);
  return store;
}

describe('selectors', () => {
  it('topic rows: sorted by name, with offsets, retained records and sink lag', () => {
    const rows = selectTopicRows(storeWithData().getState());
    expect(rows.map((r) => r.name)).toEqual(['__consumer_offsets', 'orders', 'pageviews']);
    const orders = rows[1]!;
    expect(orders).toMatchObject({ partitions: 2, endOffset: 15, retained: 13, sinkLag: 6 + 5, ratePerSecond: undefined, rateHistory: [] });
  });

  it('connector rows: sorted by name, task counts and the first trace line', () => {
    const rows = selectConnectorRows(storeWithData().getState());
    expect(rows.map((r) => r.name)).toEqual(['datagen-orders', 'sink']);
    expect(rows[1]).toMatchObject({ tasksTotal: 1, tasksRunning: 0, failedTasks: [0], traceSummary: 'org.apache.kafka.connect.errors.ConnectException: boom' });
  });

  it('container rows: by service name, else container name', () => {
    expect(selectContainerRows(storeWithData().getState()).map((r) => r.name)).toEqual(['broker', 'connect', 'zookeeper']);
  });

  it('snowflake rows: configured topic order first, then by name', () => {
    expect(selectSnowflakeRows(storeWithData().getState()).map((r) => r.topic)).toEqual(['pageviews', 'orders', 'users']);
  });

  it('funnels follow the configured topics, else every non-internal topic by name', () => {
    const store = storeWithData();
    expect(selectFunnels(store.getState(), 2_000).map((f) => f.topic)).toEqual(['pageviews', 'orders']);
    store.setState({ pipelineTopics: undefined });
    expect(selectFunnelTopics(store.getState())).toEqual(['orders', 'pageviews', 'users']);
  });

  it('return the same array while inputs are unchanged, so subscribers do not re-render', () => {
    const store = storeWithData();
    const a = store.getState();
    expect(selectTopicRows(a)).toBe(selectTopicRows(a));
    expect(selectFunnels(a, 5)).toBe(selectFunnels(a, 5));
    const before = selectConnectorRows(a);
    store.getState().addEvent({ at: 1, level: 'info', source: 'sfpipe', message: 'unrelated' });
    expect(selectConnectorRows(store.getState())).toBe(before);
    store.getState().sourceSucceeded('connect', [], 2_000, 1);
    expect(selectConnectorRows(store.getState())).toEqual([]);
  });

  it('source age from updatedAt and now; undefined before any answer', () => {
    const state = storeWithData().getState();
    expect(selectSourceAge(state, 'kafka', 4_500)).toBe(3_500);
    expect(selectSourceAge(createPipelineStore().getState(), 'kafka', 4_500)).toBeUndefined();
  });
});
