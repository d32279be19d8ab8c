import avro from 'avsc';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { SfpipeConfig } from '../config/schema.js';
import { ManualClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { topicSpec } from '../domain/topics.js';
import type { SchemaLookup } from '../decode/avro.js';
import { createMessageDecoder } from '../decode/decodeMessage.js';
import { frameWireFormat } from '../decode/wireFormat.js';
import { createFakeServices, fakeConnector, fakeContainer, FakeKafka, type FakeServices } from '../services/fakes.js';
import type { RegisteredSchema } from '../services/schemaRegistry/types.js';
import { unconfigured, type CallOptions, type KafkaMessage } from '../services/types.js';
import { cellText, createDetailsProvider, DETAILS_TIMEOUT_MS, warehouseOf } from './details.js';

const PAGEVIEW = { type: 'record', name: 'pageviews', namespace: 'ksql', fields: [{ name: 'viewtime', type: 'long' }, { name: 'userid', type: 'string' }, { name: 'pageid', type: 'string' }] };
const pageviewType = avro.Type.forSchema(PAGEVIEW as avro.schema.RecordType);

const registry: SchemaLookup = {
  schemaById: (id: number): Promise<RegisteredSchema> =>
    id === 7 ? Promise.resolve({ id, schema: JSON.stringify(PAGEVIEW), schemaType: 'AVRO', references: [] }) : Promise.reject(new SfpipeError('not-found', 'schema-registry', `Schema ${id} not found`)),
};

const enc = (s: string) => new TextEncoder().encode(s);

/** A broker whose retained messages the test writes byte for byte (the stock fake makes up text values). */
class BytesKafka extends FakeKafka {
  retained = new Map<string, KafkaMessage[]>();
  override latestMessages(topic: string, count: number, opts?: CallOptions): Promise<KafkaMessage[]> {
    return this.control.run('latestMessages', opts, () => {
      if (!this.topics.has(topic)) throw new SfpipeError('not-found', 'kafka', `no topic ${topic}`);
      return (this.retained.get(topic) ?? []).slice(-count);
    });
  }
}

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12));
  const config: SfpipeConfig = loadConfig({ cwd: '/nonexistent', env: { HOME: '/nonexistent' }, homedir: '/nonexistent', flags: {}, skipConnections: true });
  const services: FakeServices = createFakeServices(clock);
  const kafka = new BytesKafka(clock, 'connect-snowflake-sink');
  services.kafka = kafka;
  const details = createDetailsProvider({ config, services, clock, decoder: createMessageDecoder({ registry, clock }) });
  return { clock, config, services, kafka, details };
}

const open = () => new AbortController().signal;

describe('details: containers', () => {
  it('returns the last log lines of the container', async () => {
    const t = setup();
    t.services.docker.containers = [fakeContainer('kafka')];
    for (const line of ['one', 'two', 'three']) t.services.docker.emitLog('id-kafka', line);
    expect(await t.details.containerLogs('id-kafka', 2, open())).toEqual(['two', 'three']);
  });

  it('a container that is gone is a not-found error', async () => {
    const t = setup();
    await expect(t.details.containerLogs('id-nope', 10, open())).rejects.toMatchObject({ kind: 'not-found', source: 'docker' });
  });

  it('an unconfigured source says what is missing and what to do, without calling anything', async () => {
    const t = setup();
    t.services.docker = unconfigured('no Docker engine at unix:///nope', 'start Docker or set DOCKER_HOST') as never;
    await expect(t.details.containerLogs('x', 10, open())).rejects.toMatchObject({ kind: 'unsupported', source: 'docker', message: 'no Docker engine at unix:///nope', hint: 'start Docker or set DOCKER_HOST' });
  });
});

describe('details: connectors', () => {
  it('state, task traces and config of the named connector', async () => {
    const t = setup();
    t.services.connect.connectors = [
      fakeConnector('other'),
      fakeConnector('datagen-orders', {
        state: 'RUNNING',
        config: { 'connector.class': 'X', 'kafka.topic': 'orders' },
        tasks: [
          { id: 0, state: 'FAILED', workerId: '127.0.0.1:8083', trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat X' },
          { id: 1, state: 'RUNNING', workerId: '127.0.0.1:8084', trace: undefined },
        ],
      }),
    ];
    expect(await t.details.connector('datagen-orders', open())).toEqual({
      name: 'datagen-orders',
      config: { 'connector.class': 'X', 'kafka.topic': 'orders' },
      state: 'RUNNING',
      trace: undefined,
      tasks: [
        { id: 0, state: 'FAILED', workerId: '127.0.0.1:8083', trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat X' },
        { id: 1, state: 'RUNNING', workerId: '127.0.0.1:8084', trace: undefined },
      ],
    });
  });

  it('a connector that was deleted is a not-found error naming the worker', async () => {
    const t = setup();
    await expect(t.details.connector('gone', open())).rejects.toMatchObject({ kind: 'not-found', source: 'connect', message: expect.stringContaining('http://127.0.0.1:8083') as unknown });
  });
});

describe('details: topics', () => {
  it('partitions with the sink group lag, and the last messages decoded: Avro via the registry, JSON, text, null', async () => {
    const t = setup();
    t.kafka.addTopic('pageviews', 2);
    t.kafka.produce('pageviews', 10);
    t.kafka.commit('pageviews', 4);
    const avroValue = frameWireFormat(7, pageviewType.toBuffer({ viewtime: 11, userid: 'User_3', pageid: 'Page_42' }));
    t.kafka.retained.set('pageviews', [
      { partition: 0, offset: 3, timestamp: 1_000, key: enc('11'), value: avroValue },
      { partition: 1, offset: 4, timestamp: 2_000, key: null, value: enc('{"a": 1,  "b": [true]}') },
      { partition: 0, offset: 4, timestamp: 3_000, key: enc('k'), value: enc('plain words') },
      { partition: 1, offset: 5, timestamp: 4_000, key: enc('k2'), value: null },
      { partition: 0, offset: 5, timestamp: 5_000, key: enc('k3'), value: frameWireFormat(99, Buffer.from([1, 2])) },
    ]);
    const d = await t.details.topic('pageviews', 10, open());
    expect(d.partitions).toEqual([
      { partition: 0, earliest: 0, end: 5, committed: 4 },
      { partition: 1, earliest: 0, end: 5, committed: 0 },
    ]);
    expect(d.messages.map((m) => [m.partition, m.offset, m.timestamp, m.key, m.format, m.value])).toEqual([
      [0, 3, 1_000, '11', 'avro', '{"viewtime":11,"userid":"User_3","pageid":"Page_42"}'],
      [1, 4, 2_000, undefined, 'json', '{"a":1,"b":[true]}'],
      [0, 4, 3_000, 'k', 'text', 'plain words'],
      [1, 5, 4_000, 'k2', 'null', 'null'],
      [0, 5, 5_000, 'k3', 'undecodable', 'undecodable: schema id 99 is not in the Schema Registry'],
    ]);
  });

  it('asks the broker for the number of messages the view shows', async () => {
    const t = setup();
    t.kafka.addTopic('orders', 1);
    t.kafka.retained.set('orders', Array.from({ length: 30 }, (_, i) => ({ partition: 0, offset: i, timestamp: i, key: null, value: enc(`m${i}`) })));
    const d = await t.details.topic('orders', 10, open());
    expect(d.messages.map((m) => m.value)).toEqual(Array.from({ length: 10 }, (_, i) => `m${20 + i}`));
  });

  it('a topic that is gone is a not-found error', async () => {
    const t = setup();
    await expect(t.details.topic('nope', 10, open())).rejects.toMatchObject({ kind: 'not-found', source: 'kafka' });
  });

  it('closing the view ends a call the broker never answers, and releases it', async () => {
    const t = setup();
    t.kafka.addTopic('orders', 1);
    t.kafka.control.hang();
    const view = new AbortController();
    const pending = t.details.topic('orders', 10, view.signal);
    view.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'timeout' });
    expect(t.kafka.control.hungCalls()).toBe(0);
  });

  it('a broker that ignores the abort still cannot hold the view past its bound', async () => {
    const t = setup();
    t.kafka.addTopic('orders', 1);
    t.kafka.control.hang({ ignoreAbort: true });
    const pending = t.details.topic('orders', 10, open());
    const settled = pending.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    t.clock.advance(DETAILS_TIMEOUT_MS.kafka + 1_000);
    expect(await settled).toMatchObject({ kind: 'timeout', source: 'kafka' });
  });
});

describe('details: raw tables (on demand, wakes a warehouse)', () => {
  const orders = topicSpec('orders');

  it('latest rows as text, newest last, the task history, and a note naming the warehouse it woke', async () => {
    const t = setup();
    t.services.snowflake.tables.set(orders.rawTable, {
      columns: ['RECORD_METADATA', 'RECORD_CONTENT'],
      rows: Array.from({ length: 12 }, (_, i) => [{ CreateTime: i, offset: i }, i === 11 ? null : { orderid: i, address: { city: 'Oslo' } }]),
    });
    t.services.snowflake.taskRuns.set(orders.task, [
      { scheduledAt: 3_000, state: 'SCHEDULED', startedAt: undefined, completedAt: undefined, error: undefined },
      { scheduledAt: 2_000, state: 'FAILED', startedAt: 2_100, completedAt: 2_200, error: '002003: Object does not exist' },
      { scheduledAt: 1_000, state: 'SUCCEEDED', startedAt: 1_100, completedAt: 1_200, error: undefined },
    ]);
    const d = await t.details.table('orders', 10, open());
    expect(d.table).toBe('ORDERS');
    expect(d.columns).toEqual(['RECORD_METADATA', 'RECORD_CONTENT']);
    expect(d.rows).toHaveLength(10);
    expect(d.rows[0]).toEqual(['{"CreateTime":2,"offset":2}', '{"orderid":2,"address":{"city":"Oslo"}}']);
    expect(d.rows[9]).toEqual(['{"CreateTime":11,"offset":11}', 'NULL']);
    expect(d.taskRuns).toEqual([
      { scheduledAt: 3_000, state: 'SCHEDULED', error: undefined },
      { scheduledAt: 2_000, state: 'FAILED', error: '002003: Object does not exist' },
      { scheduledAt: 1_000, state: 'SUCCEEDED', error: undefined },
    ]);
    expect(d.notes).toEqual([expect.stringContaining(`warehouse ${warehouseOf(t.config)}`)]);
    expect(warehouseOf(t.config)).toBe('KAFKA_ADMIN_WAREHOUSE');
    expect(d.ingestion).toEqual([]);
    expect(t.services.snowflake.warehouseQueries).toBe(3);
  });

  it('rows ingested per minute over the last hour (by the clock), newest last, at most the shown minutes', async () => {
    const t = setup();
    const minute = (h: number, m: number) => Date.UTC(2026, 0, 15, h, m);
    t.services.snowflake.tables.set(orders.rawTable, { columns: ['RECORD_CONTENT'], rows: [[{ orderid: 1 }]] });
    t.services.snowflake.ingestion.set(orders.rawTable, [
      { minute: minute(10, 59), rows: 99 },
      ...Array.from({ length: 12 }, (_, i) => ({ minute: minute(11, 40 + i), rows: i + 1 })),
    ]);
    const d = await t.details.table('orders', 10, open());
    expect(d.ingestion).toEqual(Array.from({ length: 10 }, (_, i) => ({ minute: minute(11, 42 + i), rows: i + 3 })));
    const asked = await t.services.snowflake.ingestionHistory(orders.rawTable, { since: minute(12, 0) - 60 * 60_000, limit: 20 });
    expect(asked.map((m) => m.rows)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('an ingestion history that cannot be read leaves the rows and says why', async () => {
    const t = setup();
    t.services.snowflake.tables.set(orders.rawTable, { columns: ['RECORD_CONTENT'], rows: [[{ orderid: 1 }]] });
    vi.spyOn(t.services.snowflake, 'ingestionHistory').mockRejectedValue(new SfpipeError('bad-response', 'snowflake', 'Snowflake error 100038: Numeric value is not recognized'));
    const d = await t.details.table('orders', 10, open());
    expect(d.rows).toEqual([['{"orderid":1}']]);
    expect(d.ingestion).toBeUndefined();
    expect(d.notes[1]).toMatch(/^No ingestion history for ORDERS: .*Numeric value is not recognized/);
  });

  it('a server without tasks still shows the rows, and says why there is no history', async () => {
    const t = setup();
    t.services.snowflake.tables.set(orders.rawTable, { columns: ['RECORD_CONTENT'], rows: [[{ orderid: 1 }]] });
    t.services.snowflake.tasksUnsupported = true;
    const d = await t.details.table('orders', 10, open());
    expect(d.rows).toEqual([['{"orderid":1}']]);
    expect(d.taskRuns).toEqual([]);
    expect(d.notes[1]).toMatch(/^No task history for TASK_EXTRACT_AVRO_FROM_ORDERS: this Snowflake server has no tasks/);
  });

  it('a raw table that does not exist is the view’s error (not an empty table)', async () => {
    const t = setup();
    await expect(t.details.table('orders', 10, open())).rejects.toMatchObject({ kind: 'not-found', source: 'snowflake' });
    expect(t.services.snowflake.control.count('taskHistory')).toBe(0);
  });

  it('topics outside the configured list use the same naming rule', async () => {
    const t = setup();
    t.services.snowflake.tables.set('MY_TOPIC', { columns: ['C'], rows: [['x']] });
    expect((await t.details.table('my-topic', 10, open())).table).toBe('MY_TOPIC');
  });

  it('without a Snowflake connection: the reason and what to do', async () => {
    const t = setup();
    t.services.snowflake = unconfigured('no Snowflake connection configured', 'run `sfpipe doctor`') as never;
    await expect(t.details.table('orders', 10, open())).rejects.toMatchObject({ kind: 'unsupported', source: 'snowflake', hint: 'run `sfpipe doctor`' });
  });
});

describe('cellText', () => {
  it('renders what the driver returns on one bounded line', () => {
    expect(cellText(null)).toBe('NULL');
    expect(cellText(undefined)).toBe('NULL');
    expect(cellText(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05.000Z');
    expect(cellText('Item_1')).toBe('Item_1');
    expect(cellText(42)).toBe('42');
    expect(cellText(true)).toBe('true');
    expect(cellText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    const long = cellText('y'.repeat(5_000));
    expect(long.length).toBeLessThanOrEqual(400);
    expect(long.endsWith('…')).toBe(true);
    expect(cellText({ big: 'z'.repeat(5_000) }).length).toBeLessThanOrEqual(400);
  });
});
