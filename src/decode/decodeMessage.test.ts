import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import type { RegisteredSchema } from '../services/schemaRegistry/types.js';
import type { CallOptions } from '../services/types.js';
import { SchemaCache, type SchemaLookup } from './avro.js';
import { createMessageDecoder, decodeMessage } from './decodeMessage.js';
import { frameWireFormat } from './wireFormat.js';

const PAGEVIEW = { type: 'record', name: 'pageviews', namespace: 'ksql', fields: [{ name: 'viewtime', type: 'long' }, { name: 'userid', type: 'string' }, { name: 'pageid', type: 'string' }] };
const pageviewType = avro.Type.forSchema(PAGEVIEW as avro.schema.RecordType);

/** An in-memory registry for the decoder's logic; the real client is tested against the stand-in. */
class FakeRegistry implements SchemaLookup {
  calls: number[] = [];
  mode: 'up' | 'down' | 'hang' = 'up';
  constructor(private readonly schemas: Record<number, Omit<RegisteredSchema, 'id'>>) {}
  schemaById(id: number, opts: CallOptions = {}): Promise<RegisteredSchema> {
    this.calls.push(id);
    if (this.mode === 'down') return Promise.reject(new SfpipeError('unreachable', 'schema-registry', `schema id ${id}: the Schema Registry at http://127.0.0.1:1 is unreachable (ECONNREFUSED)`));
    if (this.mode === 'hang') return new Promise((_, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const s = this.schemas[id];
    return s ? Promise.resolve({ id, ...s }) : Promise.reject(new SfpipeError('not-found', 'schema-registry', `schema id ${id}: Schema ${id} not found (error 40403)`));
  }
}

const avroSchema = (schema: unknown): Omit<RegisteredSchema, 'id'> => ({ schema: JSON.stringify(schema), schemaType: 'AVRO', references: [] });

function registry(): FakeRegistry {
  return new FakeRegistry({
    1: avroSchema(PAGEVIEW),
    2: { schema: '{"type":"object"}', schemaType: 'JSON', references: [] },
    3: { schema: 'syntax = "proto3"; message M {}', schemaType: 'PROTOBUF', references: [] },
    4: avroSchema({ type: 'record', name: 'big', fields: [{ name: 'n', type: 'long' }, { name: 'b', type: 'bytes' }, { name: 'd', type: 'double' }] }),
    5: { schema: '{"type":"record","name":"x","fields":[{"name":"a","type":"nope"}]}', schemaType: 'AVRO', references: [] },
    7: avroSchema({ type: 'record', name: 'coll', fields: [{ name: 'tags', type: { type: 'array', items: 'string' } }, { name: 'counts', type: { type: 'map', values: 'long' } }, { name: 'gaps', type: { type: 'array', items: 'null' } }] }),
    6: { ...avroSchema({ type: 'record', name: 'y', fields: [{ name: 'c', type: 'other.Common' }] }), references: [{ name: 'other.Common', subject: 'common-value', version: 1 }] },
  });
}

const pageview = { viewtime: 1_700_000_000_001, userid: 'User_3', pageid: 'Page_42' };

describe('decodeMessage picks the decoder', () => {
  it('Confluent-framed Avro → the record, through the schema the id names', async () => {
    const schemas = new SchemaCache({ registry: registry() });
    const d = await decodeMessage(frameWireFormat(1, pageviewType.toBuffer(pageview)), { schemas });
    expect(d.format).toBe('avro');
    expect(d.schemaId).toBe(1);
    expect(d.value).toEqual(pageview);
    expect(d.text).toBe('{"viewtime":1700000000001,"userid":"User_3","pageid":"Page_42"}');
  });

  it('Confluent-framed JSON Schema record → JSON', async () => {
    const schemas = new SchemaCache({ registry: registry() });
    const d = await decodeMessage(frameWireFormat(2, Buffer.from('{"a": [1, 2]}')), { schemas });
    expect(d).toMatchObject({ format: 'json', schemaId: 2, value: { a: [1, 2] }, text: '{"a":[1,2]}' });
  });

  it('unframed JSON object → json; a bare JSON scalar stays text', async () => {
    expect(await decodeMessage(Buffer.from(' {"orderid": 7, "address": {"city": "Oslo"}}\n'))).toMatchObject({ format: 'json', value: { orderid: 7, address: { city: 'Oslo' } } });
    expect(await decodeMessage(Buffer.from('42'))).toMatchObject({ format: 'text', text: '42' });
  });

  it('UTF-8 that is not JSON → text, as it is', async () => {
    expect(await decodeMessage(Buffer.from('User_7 viewed Page_12 — ok ✓'))).toEqual({ format: 'text', text: 'User_7 viewed Page_12 — ok ✓', truncated: false });
    expect(await decodeMessage(Buffer.from('{not json'))).toMatchObject({ format: 'text', text: '{not json' });
  });

  it('bytes that are not text → hex preview', async () => {
    const d = await decodeMessage(Uint8Array.from([0xff, 0xfe, 0x01, 0x02]));
    expect(d).toEqual({ format: 'binary', text: 'hex ff fe 01 02 (4 bytes)', truncated: false });
    expect((await decodeMessage(Uint8Array.from([0x00, 0x01]))).format).toBe('binary'); // too short for a header
  });

  it('a null value (tombstone) and an empty one', async () => {
    expect(await decodeMessage(null)).toEqual({ format: 'null', text: 'null', truncated: false });
    expect(await decodeMessage(new Uint8Array())).toEqual({ format: 'text', text: '', truncated: false });
  });
});

describe('decodeMessage never throws: failures are visible results', () => {
  it('unknown schema id → undecodable naming the id', async () => {
    const d = await decodeMessage(frameWireFormat(99, pageviewType.toBuffer(pageview)), { schemas: new SchemaCache({ registry: registry() }) });
    expect(d).toMatchObject({ format: 'undecodable', schemaId: 99, text: 'undecodable: schema id 99 is not in the Schema Registry' });
  });

  it('registry down → undecodable saying the registry is unreachable', async () => {
    const r = registry();
    r.mode = 'down';
    const d = await decodeMessage(frameWireFormat(1, pageviewType.toBuffer(pageview)), { schemas: new SchemaCache({ registry: r }) });
    expect(d.format).toBe('undecodable');
    expect(d.text).toMatch(/^undecodable: Schema Registry unreachable, cannot fetch schema id 1 \(.*ECONNREFUSED/);
  });

  it('registry that never answers → undecodable after the timeout', async () => {
    const r = registry();
    r.mode = 'hang';
    const clock = new ManualClock();
    const pending = decodeMessage(frameWireFormat(1, pageviewType.toBuffer(pageview)), { schemas: new SchemaCache({ registry: r, clock, timeoutMs: 3_000 }) });
    await Promise.resolve();
    clock.advance(3_000);
    const d = await pending;
    expect(d.text).toMatch(/^undecodable: Schema Registry did not answer for schema id 1 \(fetch schema id 1: no answer within 3s\)/);
  });

  it('framed but no registry configured → says so', async () => {
    const d = await decodeMessage(frameWireFormat(1, pageviewType.toBuffer(pageview)));
    expect(d.text).toBe('undecodable: Confluent-framed record (schema id 1) but no Schema Registry is configured');
  });

  it('payload that does not fit the schema → undecodable naming the id and why', async () => {
    const schemas = new SchemaCache({ registry: registry() });
    const d = await decodeMessage(frameWireFormat(1, Buffer.from([0x02, 0x40])), { schemas });
    expect(d.text).toBe('undecodable: the payload does not fit Avro schema id 1 (truncated buffer)');
    const trailing = await decodeMessage(frameWireFormat(1, Buffer.concat([pageviewType.toBuffer(pageview), Buffer.from([1])])), { schemas });
    expect(trailing.text).toBe('undecodable: the payload does not fit Avro schema id 1 (trailing data)');
  });

  it('Protobuf, invalid Avro and schema references → undecodable with the reason', async () => {
    const schemas = new SchemaCache({ registry: registry() });
    expect((await decodeMessage(frameWireFormat(3, Buffer.from([0])), { schemas })).text).toBe('undecodable: schema id 3 is a Protobuf schema, which sfpipe does not decode');
    expect((await decodeMessage(frameWireFormat(5, Buffer.from([0])), { schemas })).text).toMatch(/^undecodable: schema id 5 is not a valid Avro schema: undefined type name: nope/);
    expect((await decodeMessage(frameWireFormat(6, Buffer.from([0])), { schemas })).text).toBe('undecodable: schema id 6 refers to other schemas (common-value), which sfpipe does not resolve');
  });

  it('JSON Schema id whose payload is not JSON → undecodable', async () => {
    const d = await decodeMessage(frameWireFormat(2, Buffer.from('plain')), { schemas: new SchemaCache({ registry: registry() }) });
    expect(d.text).toBe('undecodable: schema id 2 is a JSON Schema but the payload is not JSON (not a JSON object or array)');
  });

  it('never throws for arbitrary bytes, framed or not, and keeps text within the limit', async () => {
    const schemas = new SchemaCache({ registry: registry() });
    const anyBytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      // a Confluent header with a known or unknown id, then anything
      fc.tuple(fc.integer({ min: 0, max: 8 }), fc.uint8Array({ maxLength: 300 })).map(([id, rest]) => new Uint8Array(frameWireFormat(id, rest))),
    );
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.integer({ min: 1, max: 200 }), async (bytes, maxChars) => {
        const d = await decodeMessage(bytes, { schemas, maxChars });
        expect(['avro', 'json', 'text', 'binary', 'undecodable']).toContain(d.format);
        expect(typeof d.text).toBe('string');
        if (d.format === 'undecodable') expect(d.text).toMatch(/^undecodable: ./);
        if (d.format !== 'undecodable' && d.format !== 'binary') expect(d.text.length).toBeLessThanOrEqual(maxChars);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes any pageview record, encoded independently of avsc, exactly', async () => {
    // avsc's default long writer rounds beyond ±2^52 (its zig-zag is computed in doubles), so
    // the oracle here is Avro's binary encoding written out by hand with BigInt
    const zigzag = (n: bigint) => {
      let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
      const out: number[] = [];
      do {
        const b = Number(z & 0x7fn);
        z >>= 7n;
        out.push(z > 0n ? b | 0x80 : b);
      } while (z > 0n);
      return Buffer.from(out);
    };
    const str = (s: string) => Buffer.concat([zigzag(BigInt(Buffer.byteLength(s))), Buffer.from(s)]);
    const schemas = new SchemaCache({ registry: registry() });
    await fc.assert(
      fc.asyncProperty(fc.record({ viewtime: fc.maxSafeInteger(), userid: fc.string({ unit: 'binary' }), pageid: fc.string() }), async (record) => {
        const payload = Buffer.concat([zigzag(BigInt(record.viewtime)), str(record.userid), str(record.pageid)]);
        const d = await decodeMessage(frameWireFormat(1, payload), { schemas, maxChars: 1_000_000 });
        expect(d.format).toBe('avro');
        expect(d.value).toEqual(record);
        expect(JSON.parse(d.text)).toEqual(record);
      }),
      { numRuns: 200 },
    );
  });
});

describe('values and limits', () => {
  it('longs beyond 2^53 decode exactly (as bigint), bytes as hex, NaN as NaN', async () => {
    const type = avro.Type.forSchema({ type: 'record', name: 'big', fields: [{ name: 'n', type: 'long' }, { name: 'b', type: 'bytes' }, { name: 'd', type: 'double' }] });
    // avsc's own long type cannot write 2^63-1: splice its 10-byte zig-zag varint in by hand
    const small = type.toBuffer({ n: 1, b: Buffer.from([0xca, 0xfe]), d: Number.NaN });
    const maxLong = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    const payload = Buffer.concat([maxLong, small.subarray(1)]);
    const d = await decodeMessage(frameWireFormat(4, payload), { schemas: new SchemaCache({ registry: registry() }) });
    expect(d.value).toMatchObject({ n: 9_223_372_036_854_775_807n });
    expect(d.text).toBe('{"n":9223372036854775807,"b":"0xcafe","d":NaN}');
  });

  it('JSON with integers beyond 2^53 is shown as written, not rounded', async () => {
    const d = await decodeMessage(Buffer.from('{"orderid": 9007199254740993,\n "x": 1}'));
    expect(d.format).toBe('json');
    expect(d.text).toBe('{"orderid": 9007199254740993, "x": 1}');
  });

  it('long values are truncated with an ellipsis and flagged', async () => {
    const text = await decodeMessage(Buffer.from('x'.repeat(5_000)), { maxChars: 100 });
    expect(text).toMatchObject({ format: 'text', truncated: true });
    expect(text.text).toHaveLength(100);
    expect(text.text.endsWith('…')).toBe(true);
    const json = await decodeMessage(Buffer.from(JSON.stringify({ items: Array.from({ length: 10_000 }, (_, i) => i) })), { maxChars: 50 });
    expect(json).toMatchObject({ format: 'json', truncated: true, text: `{"items":[${Array.from({ length: 30 }, (_, i) => i).join(',')}`.slice(0, 49) + '…' });
  });
});

describe('arrays and maps', () => {
  const coll = avro.Type.forSchema({ type: 'record', name: 'coll', fields: [{ name: 'tags', type: { type: 'array', items: 'string' } }, { name: 'counts', type: { type: 'map', values: 'long' } }, { name: 'gaps', type: { type: 'array', items: 'null' } }] });

  it('decode as written', async () => {
    const value = { tags: ['a', 'b', ''], counts: { x: 1, y: -(2 ** 40) }, gaps: [null, null] };
    const d = await decodeMessage(frameWireFormat(7, coll.toBuffer(value)), { schemas: new SchemaCache({ registry: registry() }) });
    expect(d.value).toEqual(value);
  });

  it('a block claiming more items than the data holds is refused at once, not looped over', async () => {
    const schemas = new SchemaCache({ registry: registry() });
    // tags: a block count of 2^40 (zig-zag varint), then nothing
    const bomb = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    const d = await decodeMessage(frameWireFormat(7, bomb), { schemas });
    expect(d.text).toBe('undecodable: the payload does not fit Avro schema id 7 (a block of 1099511627776 items with only 0 bytes left)');
    // 2^24: small enough that avsc itself would allocate and loop over it before giving up
    const medium = await decodeMessage(frameWireFormat(7, Buffer.from([0x80, 0x80, 0x80, 0x10])), { schemas });
    expect(medium.text).toBe('undecodable: the payload does not fit Avro schema id 7 (a block of 16777216 items with only 0 bytes left)');
    // items that do take bytes: the count is plausible but the data runs out
    const short = await decodeMessage(frameWireFormat(7, Buffer.from([0x10, 0x02, 0x61])), { schemas });
    expect(short.text).toBe('undecodable: the payload does not fit Avro schema id 7 (truncated buffer)');
  });
});

describe('the schema cache', () => {
  it('fetches each id once, also for concurrent decodes', async () => {
    const r = registry();
    const decoder = createMessageDecoder({ registry: r });
    const bytes = frameWireFormat(1, pageviewType.toBuffer(pageview));
    await Promise.all(Array.from({ length: 10 }, () => decoder.decode(bytes)));
    await decoder.decode(bytes);
    expect(r.calls).toEqual([1]);
  });

  it('does not keep a failure: the registry coming back is used', async () => {
    const r = registry();
    r.mode = 'down';
    const decoder = createMessageDecoder({ registry: r });
    const bytes = frameWireFormat(1, pageviewType.toBuffer(pageview));
    expect((await decoder.decode(bytes)).format).toBe('undecodable');
    r.mode = 'up';
    expect((await decoder.decode(bytes)).format).toBe('avro');
    expect(r.calls).toEqual([1, 1]);
  });

  it('decodes a record key and value', async () => {
    const decoder = createMessageDecoder({ registry: registry() });
    const rec = await decoder.decodeRecord({ partition: 2, offset: 10, timestamp: 5, key: Buffer.from('User_3'), value: frameWireFormat(1, pageviewType.toBuffer(pageview)) });
    expect(rec).toMatchObject({ partition: 2, offset: 10, timestamp: 5, key: { format: 'text', text: 'User_3' }, value: { format: 'avro', value: pageview } });
  });
});
