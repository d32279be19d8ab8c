/**
 * Message decoding against real encodings: the six datagen quickstarts' Avro value schemas
 * registered in the harness's Schema Registry, Confluent-framed Avro records (avsc + the 5-byte
 * header, as Confluent's serializer writes them), JSON and plain-text messages produced to the
 * harness broker with kafkajs, read back with kafkajs and decoded through the registry.
 * The registry is sfpipe's stand-in (harness/schema-registry/README.md says what it lacks).
 */
import { randomUUID } from 'node:crypto';
import avro from 'avsc';
import { Kafka, logLevel, Partitioners, type Admin, type KafkaMessage as KafkaJsMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { createMessageDecoder, type DecodedRecord } from '../../src/decode/decodeMessage.js';
import { frameWireFormat } from '../../src/decode/wireFormat.js';
import { SfpipeError } from '../../src/domain/errors.js';
import { createSchemaRegistryClient } from '../../src/services/schemaRegistry/client.js';
import type { SchemaRegistryService } from '../../src/services/schemaRegistry/types.js';
import { closedPort } from '../support/faultServers.js';

const h = await requireServices(['kafka', 'schema-registry']);

// ---- the datagen quickstarts' value schemas (PIPELINE.md's table), as Avro records ---------

const rec = (name: string, fields: Array<[string, unknown]>) => ({ type: 'record', name, namespace: 'ksql', fields: fields.map(([n, type]) => ({ name: n, type })) });

const DATAGEN = {
  pageviews: rec('pageviews', [['viewtime', 'long'], ['userid', 'string'], ['pageid', 'string']]),
  orders: rec('orders', [
    ['ordertime', 'long'], ['orderid', 'int'], ['itemid', 'string'], ['orderunits', 'double'],
    ['address', { type: 'record', name: 'address', fields: [{ name: 'city', type: 'string' }, { name: 'state', type: 'string' }, { name: 'zipcode', type: 'long' }] }],
  ]),
  ratings: rec('ratings', [['rating_id', 'long'], ['user_id', 'int'], ['stars', 'int'], ['route_id', 'int'], ['rating_time', 'long'], ['channel', 'string'], ['message', 'string']]),
  stock_trades: rec('StockTrade', [['side', 'string'], ['quantity', 'int'], ['symbol', 'string'], ['price', 'int'], ['account', 'string'], ['userid', 'string']]),
  users: rec('users', [['registertime', 'long'], ['userid', 'string'], ['regionid', 'string'], ['gender', 'string']]),
  clickstream: rec('clickstream', [
    ['ip', 'string'], ['userid', 'int'], ['remote_user', 'string'], ['time', 'string'], ['_time', 'long'],
    ['request', 'string'], ['status', 'string'], ['bytes', 'string'], ['referrer', 'string'], ['agent', 'string'],
  ]),
} as const;
type Quickstart = keyof typeof DATAGEN;
const QUICKSTARTS = Object.keys(DATAGEN) as Quickstart[];

/** Records like datagen's, with the edges that matter: longs past 2^32, negative ints, fractions, non-ASCII. */
function records(q: Quickstart, n: number): Array<{ key: string; value: Record<string, unknown> }> {
  const t0 = 1_717_000_000_000;
  return Array.from({ length: n }, (_, i) => {
    const user = `User_${(i % 9) + 1}`;
    switch (q) {
      case 'pageviews':
        return { key: String(1 + 10 * i), value: { viewtime: 1 + 10 * i, userid: user, pageid: `Page_${10 + i}` } };
      case 'orders':
        return { key: String(i), value: { ordertime: t0 + i, orderid: i, itemid: `Item_${i * 7}`, orderunits: 0.1 + i * 1.37, address: { city: i % 2 ? 'Zürich' : 'City_1', state: `State_${i}`, zipcode: 4_294_967_296 + i } } };
      case 'ratings':
        return { key: String(i), value: { rating_id: i, user_id: i - 1, stars: (i % 5) + 1, route_id: 1000 + i, rating_time: t0 - i, channel: ['web', 'iOS', 'ios', 'iOS-test', 'android'][i % 5], message: 'thank you for the most friendly, helpful experience today at your new lounge' } };
      case 'stock_trades':
        return { key: 'ZVV', value: { side: i % 2 ? 'SELL' : 'BUY', quantity: 1 + i * 999, symbol: 'ZVV', price: 5 + i * 199, account: 'ABC123', userid: user } };
      case 'users':
        return { key: user, value: { registertime: t0 + 86_400_000 * i, userid: user, regionid: `Region_${i + 1}`, gender: ['MALE', 'FEMALE', 'OTHER'][i % 3] } };
      case 'clickstream':
        return { key: `111.152.45.${i}`, value: { ip: `111.152.45.${i}`, userid: i, remote_user: '-', time: `${i}`, _time: t0 + i, request: 'GET /index.html HTTP/1.1', status: '200', bytes: '4006', referrer: '-', agent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' } };
    }
  });
}

// ---- helpers -------------------------------------------------------------------------


async function rejection(p: Promise<unknown>): Promise<SfpipeError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SfpipeError);
  return err as SfpipeError;
}

describe.skipIf(!h.ok)('message decoding against the harness broker and schema registry', () => {
  const env = h.ok ? h.env : {};
  const run = randomUUID().slice(0, 8);
  const topicOf = (what: string) => `sfpipe-decode-${what}-${run}`;
  const kafka = new Kafka({ clientId: 'sfpipe-decode-test', brokers: (env.SFPIPE_KAFKA_BROKERS ?? '').split(','), logLevel: logLevel.NOTHING });
  let admin: Admin;
  let registry: SchemaRegistryService;
  const ids = new Map<Quickstart, number>();
  const produced = new Map<string, Array<{ key: string; value: Buffer }>>();
  const readBack = new Map<string, KafkaJsMessage[]>();
  const topics = [...QUICKSTARTS.map(topicOf), topicOf('json'), topicOf('text'), topicOf('unknown-id')];

  beforeAll(async () => {
    registry = createSchemaRegistryClient({ url: env.SFPIPE_SCHEMA_REGISTRY_URL ?? '' });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })), waitForLeaders: true });

    // register and produce, as a Confluent serializer does: TopicNameStrategy subject, id in the header
    for (const q of QUICKSTARTS) ids.set(q, await registry.register(`${topicOf(q)}-value`, { schema: JSON.stringify(DATAGEN[q]) }));
    for (const q of QUICKSTARTS) {
      const type = avro.Type.forSchema(DATAGEN[q] as avro.schema.RecordType);
      produced.set(topicOf(q), records(q, 5).map((r) => ({ key: r.key, value: frameWireFormat(ids.get(q) ?? -1, type.toBuffer(r.value)) })));
    }
    produced.set(topicOf('json'), records('orders', 3).map((r) => ({ key: r.key, value: Buffer.from(JSON.stringify(r.value)) })));
    produced.set(topicOf('text'), ['plain text line', 'Zürich ✓ ünïcode', '42'].map((t, i) => ({ key: String(i), value: Buffer.from(t) })));
    const orphan = avro.Type.forSchema(DATAGEN.pageviews as avro.schema.RecordType).toBuffer(records('pageviews', 1)[0]?.value);
    produced.set(topicOf('unknown-id'), [{ key: 'x', value: frameWireFormat(2_000_000_001, orphan) }]);

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.sendBatch({ topicMessages: [...produced].map(([topic, messages]) => ({ topic, messages })) });
    await producer.disconnect();

    // read everything back with a fresh consumer group
    const consumer = kafka.consumer({ groupId: `sfpipe-decode-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const expected = [...produced.values()].reduce((n, m) => n + m.length, 0);
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`read ${seen} of ${expected} messages back within 120 s`)), 120_000);
      consumer
        .run({
          eachMessage: async ({ topic, message }) => {
            readBack.set(topic, [...(readBack.get(topic) ?? []), message]);
            if (++seen === expected) {
              clearTimeout(deadline);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
  });

  async function decodedOf(topic: string, decoder = createMessageDecoder({ registry })): Promise<DecodedRecord[]> {
    const messages = readBack.get(topic) ?? [];
    return Promise.all(messages.map((m) => decoder.decodeRecord({ partition: 0, offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key, value: m.value })));
  }

  it.each(QUICKSTARTS)('%s: Confluent-framed Avro decodes field by field to what was produced', async (q) => {
    const decoded = await decodedOf(topicOf(q));
    const sent = records(q, 5);
    expect(decoded).toHaveLength(sent.length);
    decoded.forEach((d, i) => {
      const want = sent[i];
      expect(d.value.format, d.value.text).toBe('avro');
      expect(d.value.schemaId).toBe(ids.get(q));
      expect(d.key).toMatchObject({ format: 'text', text: want?.key });
      const got = d.value.value as Record<string, unknown>;
      for (const [field, value] of Object.entries(want?.value ?? {})) expect(got[field], `${q} #${i} field ${field}`).toEqual(value);
      expect(Object.keys(got)).toEqual(Object.keys(want?.value ?? {}));
      // what the details view shows is the same record
      expect(JSON.parse(d.value.text)).toEqual(want?.value);
    });
  });

  it('JSON messages decode as JSON, field by field', async () => {
    const decoded = await decodedOf(topicOf('json'));
    const sent = records('orders', 3);
    expect(decoded.map((d) => d.value.format)).toEqual(['json', 'json', 'json']);
    decoded.forEach((d, i) => {
      for (const [field, value] of Object.entries(sent[i]?.value ?? {})) expect((d.value.value as Record<string, unknown>)[field], `json #${i} ${field}`).toEqual(value);
    });
  });

  it('plain-text messages decode as the same text', async () => {
    const decoded = await decodedOf(topicOf('text'));
    expect(decoded.map((d) => [d.key.text, d.value.format, d.value.text])).toEqual([
      ['0', 'text', 'plain text line'],
      ['1', 'text', 'Zürich ✓ ünïcode'],
      ['2', 'text', '42'],
    ]);
  });

  it('a schema id the registry does not know → undecodable naming the id', async () => {
    const [d] = await decodedOf(topicOf('unknown-id'));
    expect(d?.value).toMatchObject({ format: 'undecodable', schemaId: 2_000_000_001, text: 'undecodable: schema id 2000000001 is not in the Schema Registry' });
  });

  it('registry down → undecodable saying the registry is unreachable, no throw', async () => {
    const down = createSchemaRegistryClient({ url: `http://127.0.0.1:${await closedPort()}` });
    const decoded = await decodedOf(topicOf('orders'), createMessageDecoder({ registry: down }));
    expect(decoded).toHaveLength(5);
    for (const d of decoded) {
      expect(d.value.format).toBe('undecodable');
      expect(d.value.text).toMatch(new RegExp(`^undecodable: Schema Registry unreachable, cannot fetch schema id ${ids.get('orders')} \\(.*is unreachable \\(ECONNREFUSED\\)\\)$`));
    }
  });

  describe('the registry answers as Confluent documents', () => {
    it('same schema → same id, under the same subject (no new version) and under another subject', async () => {
      const subject = `${topicOf('pageviews')}-value`;
      const schema = JSON.stringify(DATAGEN.pageviews);
      expect(await registry.register(subject, { schema })).toBe(ids.get('pageviews'));
      expect(await registry.register(`${topicOf('other')}-value`, { schema })).toBe(ids.get('pageviews'));
      expect(await registry.latest(subject)).toMatchObject({ subject, version: 1, id: ids.get('pageviews'), schemaType: 'AVRO' });
      expect(JSON.parse((await registry.schemaById(ids.get('pageviews') ?? -1)).schema)).toEqual(DATAGEN.pageviews);
    });

    it('distinct schemas get distinct ids; subjects lists every registered subject', async () => {
      expect(new Set(ids.values()).size).toBe(QUICKSTARTS.length);
      const subjects = await registry.subjects();
      for (const q of QUICKSTARTS) expect(subjects).toContain(`${topicOf(q)}-value`);
    });

    it('a new schema under a subject is its next version and becomes latest', async () => {
      const subject = `${topicOf('evolve')}-value`;
      const v1 = await registry.register(subject, { schema: JSON.stringify(rec(`evolve_${run.replace(/-/g, '')}`, [['a', 'int']])) });
      const v2 = await registry.register(subject, { schema: JSON.stringify(rec(`evolve_${run.replace(/-/g, '')}`, [['a', 'int'], ['b', 'string']])) });
      expect(v2).not.toBe(v1);
      expect(await registry.latest(subject)).toMatchObject({ version: 2, id: v2 });
    });

    it('errors carry the documented codes', async () => {
      const unknownId = await rejection(registry.schemaById(2_000_000_001));
      expect([unknownId.kind, unknownId.message]).toEqual(['not-found', 'schema id 2000000001: Schema 2000000001 not found (error 40403)']);
      const noSubject = await rejection(registry.latest(`${topicOf('nobody')}-value`));
      expect([noSubject.kind, noSubject.message]).toEqual(['not-found', `latest version of subject "${topicOf('nobody')}-value": Subject '${topicOf('nobody')}-value' not found. (error 40401)`]);
      const invalid = await rejection(registry.register(`${topicOf('bad')}-value`, { schema: '{"type":"record","name":"x","fields":[{"name":"a","type":"nope"}]}' }));
      expect(invalid.kind).toBe('invalid-input');
      expect(invalid.message).toMatch(/Invalid schema: .*nope.* \(error 42201\)$/);
    });

    it('a JSON Schema record in the wire format decodes as JSON', async () => {
      const id = await registry.register(`${topicOf('jsonschema')}-value`, { schema: '{"type":"object","properties":{"a":{"type":"integer"}}}', schemaType: 'JSON' });
      const d = await createMessageDecoder({ registry }).decode(frameWireFormat(id, Buffer.from('{"a":1}')));
      expect(d).toMatchObject({ format: 'json', schemaId: id, value: { a: 1 } });
    });
  });
});
