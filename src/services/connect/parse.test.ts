import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { parseConnectors, parsePlugins, topicsOf, UNKNOWN_STATE } from './parse.js';

const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';

describe('the expanded connector list', () => {
  const body = {
    'snowflake-sink': {
      status: {
        name: 'snowflake-sink',
        connector: { state: 'RUNNING', worker_id: '127.0.0.1:8083' },
        tasks: [
          { id: 1, state: 'FAILED', worker_id: '127.0.0.1:8083', trace: `org.apache.kafka.connect.errors.ConnectException: bad key ${PEM_BODY}\n\tat X.y(X.java:1)` },
          { id: 0, state: 'RESTARTING', worker_id: '127.0.0.1:8083' },
        ],
        type: 'sink',
      },
      info: {
        name: 'snowflake-sink',
        config: {
          'connector.class': 'com.snowflake.kafka.connector.SnowflakeStreamingSinkConnector',
          topics: 'pageviews, orders,,pageviews',
          'snowflake.private.key': PEM_BODY,
          'snowflake.private.key.passphrase': 'correct horse',
          'tasks.max': '2',
        },
        tasks: [],
        type: 'sink',
      },
    },
    'datagen-users': {
      status: { name: 'datagen-users', connector: { state: 'STOPPED', worker_id: 'w1' }, tasks: [], type: 'source' },
      info: { name: 'datagen-users', config: { 'connector.class': 'io.confluent.kafka.connect.datagen.DatagenConnector', 'kafka.topic': 'users' }, tasks: [], type: 'source' },
    },
  };

  it('maps names, types, classes, states and tasks (sorted), states passed through as Connect spells them', () => {
    const [datagen, sink] = parseConnectors(body);
    expect(datagen).toMatchObject({ name: 'datagen-users', type: 'source', className: 'io.confluent.kafka.connect.datagen.DatagenConnector', state: 'STOPPED', workerId: 'w1', tasks: [], topics: ['users'] });
    expect(sink!.tasks.map((t) => [t.id, t.state])).toEqual([
      [0, 'RESTARTING'],
      [1, 'FAILED'],
    ]);
    expect(sink!.topics).toEqual(['pageviews', 'orders']);
  });

  it('redacts secrets in the config and scrubs the connector\'s own secret values from traces', () => {
    const sink = parseConnectors(body).find((c) => c.name === 'snowflake-sink')!;
    expect(sink.config['snowflake.private.key']).toBe('***');
    expect(sink.config['snowflake.private.key.passphrase']).toBe('***');
    expect(sink.config['tasks.max']).toBe('2');
    const trace = sink.tasks.find((t) => t.id === 1)!.trace!;
    expect(trace).toContain('ConnectException: bad key');
    expect(trace).not.toContain(PEM_BODY);
    expect(JSON.stringify(sink)).not.toContain('correct horse');
  });

  it('shows an unknown future state as it is, and a missing one as UNKNOWN, rather than failing', () => {
    const odd = parseConnectors({
      a: { status: { connector: { state: 'DEGRADED', worker_id: 'w' }, tasks: [{ id: 0, state: 'HIBERNATING', worker_id: 'w' }, { id: 'x' }], type: 'mystery' } },
      b: { info: { config: { 'connector.class': 'C' }, type: 'sink' } },
      c: null,
    });
    expect(odd.map((c) => [c.name, c.type, c.state, c.tasks.map((t) => t.state)])).toEqual([
      ['a', 'mystery', 'DEGRADED', ['HIBERNATING']],
      ['b', 'sink', UNKNOWN_STATE, []],
      ['c', 'unknown', UNKNOWN_STATE, []],
    ]);
    expect(odd[0]!.tasks[0]!.trace).toBeUndefined();
  });

  it.each([[[]], [null], ['<html>'], [3]])('rejects %j as a bad response', (value) => {
    expect(() => parseConnectors(value)).toThrow(SfpipeError);
    try {
      parseConnectors(value);
    } catch (err) {
      expect(err).toMatchObject({ kind: 'bad-response', source: 'connect' });
    }
  });
});

describe('an old worker', () => {
  it('that ignores ?expand= answers a list of names: a bad response that says why', () => {
    expect(() => parseConnectors(['a', 'b'])).toThrow(expect.objectContaining({ kind: 'bad-response', hint: expect.stringMatching(/Kafka 2\.3/) }));
  });
});

describe('topics of a connector', () => {
  it('reads topics, topics.regex, kafka.topic and topic', () => {
    expect(topicsOf({ topics: 'a,b' })).toEqual(['a', 'b']);
    expect(topicsOf({ 'topics.regex': 'sf-.*' })).toEqual(['sf-.*']);
    expect(topicsOf({ 'kafka.topic': 'orders' })).toEqual(['orders']);
    expect(topicsOf({ topic: 'lines', file: '/tmp/x' })).toEqual(['lines']);
    expect(topicsOf({ 'connector.class': 'X' })).toEqual([]);
  });
});

describe('connector plugins', () => {
  it('maps class, type and version, skipping entries without a class', () => {
    expect(parsePlugins([{ class: 'A', type: 'source', version: '4.1.1' }, { class: 'B', type: 'sink' }, { type: 'x' }])).toEqual([
      { className: 'A', type: 'source', version: '4.1.1' },
      { className: 'B', type: 'sink', version: undefined },
    ]);
    expect(() => parsePlugins({})).toThrow(/expected a list of plugins/);
  });
});
