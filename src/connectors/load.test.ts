import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { TOPICS, TOPIC_NAMES } from '../domain/topics.js';
import { IN_NETWORK } from '../stack/services.js';
import { DATAGEN_CLASS, SINK_FILES, SNOWFLAKE_V3_CLASS, SNOWFLAKE_V4_CLASS } from './classes.js';
import { checkConnectorText, loadConnectorDir, loadConnectorFile, selectConnectors } from './load.js';

const CONNECTORS_DIR = new URL('../../connectors/', import.meta.url).pathname;

async function thrown(p: Promise<unknown>): Promise<SfpipeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected a rejection');
}

describe('the committed connectors/ files', () => {
  it('every file passes the schema check', async () => {
    const files = (await readdir(CONNECTORS_DIR)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(8);
    for (const f of files) {
      const spec = await loadConnectorFile(join(CONNECTORS_DIR, f));
      expect(spec.name).not.toBe('');
    }
  });

  it('has one datagen connector per topic, written as the original demo configured them', async () => {
    const specs = (await loadConnectorDir(CONNECTORS_DIR)).filter((s) => s.kind === 'datagen');
    expect(specs.map((s) => s.config['kafka.topic']).sort()).toEqual([...TOPIC_NAMES].sort());
    for (const s of specs) {
      const topic = TOPICS.find((t) => t.topic === s.config['kafka.topic']);
      expect(s.name).toBe(`datagen-${topic?.topic}`);
      expect(s.config).toMatchObject({
        'connector.class': DATAGEN_CLASS,
        quickstart: topic?.quickstart,
        'max.interval': '100',
        iterations: '1000000000',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'value.converter.schema.registry.url': IN_NETWORK.schemaRegistryUrl,
      });
    }
  });

  it('defaults to the v4 sink with schematization off, and keeps v3 as the alternative', async () => {
    const specs = await loadConnectorDir(CONNECTORS_DIR);
    for (const [variant, cls] of [['v4', SNOWFLAKE_V4_CLASS], ['v3', SNOWFLAKE_V3_CLASS]] as const) {
      const chosen = selectConnectors(specs, variant);
      expect(chosen).toHaveLength(TOPICS.length + 1);
      const sink = chosen.find((s) => s.kind !== 'datagen');
      expect(sink?.file.endsWith(SINK_FILES[variant])).toBe(true);
      expect(sink?.config['connector.class']).toBe(cls);
      expect(sink?.config['snowflake.enable.schematization']).toBe('false');
      expect(sink?.config.topics?.split(',')).toEqual([...TOPIC_NAMES]);
      expect(sink?.config['snowflake.topic2table.map']).toBe(TOPICS.map((t) => `${t.topic}:${t.rawTable}`).join(','));
      expect(sink?.config['snowflake.private.key']).toBe('${snowflake.private.key}');
    }
    const v3 = selectConnectors(specs, 'v3').find((s) => s.kind === 'snowflake-v3');
    expect(v3?.config['snowflake.ingestion.method']).toBe('SNOWPIPE');
    expect(v3?.config['value.converter']).toBe('com.snowflake.kafka.connector.records.SnowflakeAvroConverter');
  });
});

describe('malformed connector files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-connectors-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
    return path;
  };
  const datagen = (overrides: Record<string, unknown> = {}) => ({
    name: 'datagen-orders',
    config: {
      'connector.class': DATAGEN_CLASS,
      'kafka.topic': 'orders',
      quickstart: 'orders',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': 'http://schema-registry:8081',
      ...overrides,
    },
  });

  it('names the file and the JSON path of a non-string value', async () => {
    const path = write('orders.json', datagen({ 'kafka.topic': 42 }));
    const err = await thrown(loadConnectorFile(path));
    expect(err.kind).toBe('invalid-input');
    expect(err.location).toBe(`${path}: $.config["kafka.topic"]`);
    expect(err.describe()).toContain('orders.json: $.config["kafka.topic"]: expected string, got number');
  });

  it('gives a line and column for a JSON syntax error', async () => {
    const path = write('broken.json', '{\n  "name": "x",\n  "config": {,}\n}\n');
    const err = await thrown(loadConnectorFile(path));
    expect(err.location).toBe(`${path}: line 3, column 14`);
    expect(err.message).toMatch(/^not valid JSON/);
  });

  it('places an unexpected token without quoting the text around it', () => {
    const text = '{\n  "name": "s",\n  "config": {\n    "snowflake.private.key": MIIFsecretBody\n  }\n}\n';
    const [issue] = checkConnectorText(text, 's.json').issues;
    expect(issue?.path).toBe('line 4, column 30');
    expect(issue?.message).toBe('not valid JSON: unexpected character');
    expect(JSON.stringify(issue)).not.toContain('MIIF');
    for (const bad of ['{"a":1,}', '[1,2', '{"a": "x\n"}', '{"a" 1}', '1 2', '']) {
      const at = checkConnectorText(bad, 'b.json').issues[0]?.path;
      expect(at).toMatch(/^line 1, column \d+$/);
    }
  });

  it('reports a missing file as not-found with its name', async () => {
    const err = await thrown(loadConnectorFile(join(dir, 'nope.json')));
    expect(err.kind).toBe('not-found');
    expect(err.location).toContain('nope.json');
  });

  it('refuses a literal private key or passphrase without repeating it', () => {
    const secret = 'MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI';
    const { issues } = checkConnectorText(
      JSON.stringify({
        name: 'snowflake-sink',
        config: {
          'connector.class': SNOWFLAKE_V4_CLASS,
          topics: 'orders',
          'snowflake.url.name': '${snowflake.url.name}',
          'snowflake.user.name': '${snowflake.user.name}',
          'snowflake.private.key': secret,
          'snowflake.private.key.passphrase': 'hunter2-passphrase',
          'snowflake.database.name': 'KAFKA_DB',
          'snowflake.schema.name': 'PUBLIC',
          'snowflake.role.name': 'KAFKA_CONNECTOR_ROLE',
          'snowflake.enable.schematization': 'false',
        },
      }),
      'connectors/snowflake-sink.json',
    );
    expect(issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)).toEqual([
      'connectors/snowflake-sink.json: $.config["snowflake.private.key"]: holds a literal secret',
      'connectors/snowflake-sink.json: $.config["snowflake.private.key.passphrase"]: holds a literal secret',
    ]);
    const text = JSON.stringify(issues);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('hunter2');
  });

  it('accepts a Kafka Connect config-provider reference in a secret key', () => {
    const { issues } = checkConnectorText(JSON.stringify(datagen({ 'sasl.password': '${file:/secrets/kafka.properties:password}' })), 'x.json');
    expect(issues).toEqual([]);
  });

  it('lists every problem of a file, each with its path', () => {
    const { spec, issues } = checkConnectorText(
      JSON.stringify({ name: 'bad name', extra: 1, config: { 'kafka.topic': 'orders', 'max.interval': 'soon', oops: '${snowflake.usr.name}' } }),
      'f.json',
    );
    expect(spec).toBeUndefined();
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      '$.extra: unknown key',
      '$.name: "bad name" is not a usable connector name',
      '$.config["connector.class"]: missing',
      '$.config.oops: unknown placeholder ${snowflake.usr.name}',
    ]);
  });

  it('checks what each known class requires', () => {
    const sink = (config: Record<string, string>) => checkConnectorText(JSON.stringify({ name: 's', config }), 's.json').issues.map((i) => `${i.path}: ${i.message}`);
    expect(sink({ 'connector.class': SNOWFLAKE_V4_CLASS, topics: 'orders' })).toEqual([
      '$.config["snowflake.url.name"]: missing',
      '$.config["snowflake.user.name"]: missing',
      '$.config["snowflake.private.key"]: missing',
      '$.config["snowflake.database.name"]: missing',
      '$.config["snowflake.schema.name"]: missing',
      '$.config["snowflake.role.name"]: missing',
      '$.config["snowflake.enable.schematization"]: missing (v4 defaults to true)',
    ]);
    const base = Object.fromEntries(
      ['snowflake.url.name', 'snowflake.user.name', 'snowflake.private.key', 'snowflake.database.name', 'snowflake.schema.name', 'snowflake.role.name'].map((k) => [k, '${' + k + '}']),
    );
    expect(sink({ ...base, 'connector.class': SNOWFLAKE_V4_CLASS, topics: 'orders', 'snowflake.enable.schematization': 'true', 'snowflake.topic2table.map': 'orders:ORDERS,users:USERS,bad' })).toEqual([
      '$.config["snowflake.topic2table.map"]: maps topic "users", which is not in topics',
      '$.config["snowflake.topic2table.map"]: "bad" is not topic:TABLE',
      '$.config["snowflake.enable.schematization"]: must be "false", got "true"',
    ]);
    expect(
      sink({ ...base, 'connector.class': SNOWFLAKE_V3_CLASS, topics: 'orders', 'snowflake.ingestion.method': 'SNOWPIPE_STREAMING', 'buffer.flush.time': '-1', 'value.converter': 'com.snowflake.kafka.connector.records.SnowflakeJsonConverter' }),
    ).toEqual([
      '$.config["buffer.flush.time"]: expected an integer ≥ 1 as a string, got "-1"',
      '$.config["value.converter"]: Snowflake converters do not work with SNOWPIPE_STREAMING',
    ]);
    expect(checkConnectorText(JSON.stringify(datagen({ 'value.converter.schema.registry.url': 'schema-registry:8081', iterations: '0' })), 'd.json').issues.map((i) => i.path)).toEqual([
      '$.config.iterations',
      '$.config["value.converter.schema.registry.url"]',
    ]);
  });

  it('fails a directory on its first bad file, naming it', async () => {
    write('a-good.json', datagen());
    const bad = write('b-bad.json', datagen({ quickstart: undefined, 'kafka.topic': undefined }));
    const err = await thrown(loadConnectorDir(dir));
    expect(err.location).toBe(`${bad}: $.config["kafka.topic"]`);
    expect(err.message).toBe('missing (and 1 more problem in this file)');
  });

  it('refuses two connectors with one name, and a missing sink variant', async () => {
    write('a.json', datagen());
    const second = write('b.json', datagen());
    const err = await thrown(loadConnectorDir(dir));
    expect(err.kind).toBe('conflict');
    expect(err.location).toBe(`${second}: $.name`);

    rmSync(second);
    const specs = await loadConnectorDir(dir);
    expect(() => selectConnectors(specs, 'v4')).toThrow(/exactly one Snowflake v4 sink connector, found none/);
  });
});

describe('checkConnectorText on any input', () => {
  it('never throws, and returns a connector exactly when it finds no problem', () => {
    const text = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ name: 'n', config: v })));
    fc.assert(
      fc.property(text, (t) => {
        const { spec, issues } = checkConnectorText(t, 'any.json');
        return (spec === undefined) === issues.length > 0 && issues.every((i) => i.file === 'any.json' && i.path.length > 0);
      }),
      { numRuns: 1000 },
    );
  });
});
