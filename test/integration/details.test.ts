/**
 * The console's details views (src/app/details.ts) over the real adapters, against the harness's
 * engines: a container's log lines from Docker; a connector's config (secrets redacted) and a
 * failed task's trace from the Connect worker; a topic's partitions, the sink group's lag and its
 * last messages decoded — Confluent-framed Avro through the harness's Schema Registry stand-in,
 * JSON and text — from the broker; and a raw table's latest rows and rows per minute of Kafka
 * CreateTime over the last hour from the Snowflake stand-in, which has no tasks (so the view says there is no task history, and still shows the rows).
 * Real Snowflake's TASK_HISTORY answer is played by a small interposer in front of the stand-in,
 * in Snowflake's documented JSON result format, so the driver decodes it as from an account.
 * Everything this file creates has a name of its own run and is removed at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import avro from 'avsc';
import type Docker from 'dockerode';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../harness/docker.js';
import { ensureTestImage, TEST_IMAGE, TEST_LABEL } from '../../harness/images.js';
import { requireServices } from '../../harness/index.js';
import { createDetailsProvider } from '../../src/app/details.js';
import { buildServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';
import type { SfpipeConfig } from '../../src/config/schema.js';
import { frameWireFormat } from '../../src/decode/wireFormat.js';
import { systemClock } from '../../src/domain/clock.js';
import { createSchemaRegistryClient } from '../../src/services/schemaRegistry/client.js';
import type { Services } from '../../src/services/types.js';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../../src/stack/services.js';
import type { DetailsProvider } from '../../src/ui/details/types.js';
import { connectSnowflake, disconnectSnowflake, sql } from '../support/snowflake.js';

const h = await requireServices(['docker', 'kafka', 'connect', 'snowflake', 'schema-registry']);
const run = randomUUID().replace(/-/g, '').slice(0, 8);

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const PAGEVIEW = { type: 'record', name: 'pageviews', namespace: 'ksql', fields: [{ name: 'viewtime', type: 'long' }, { name: 'userid', type: 'string' }, { name: 'pageid', type: 'string' }] };

/** Poll until fn gives a value; fails with what it was waiting for (a bound, not a speed assertion). */
async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await fn().catch((err: unknown) => {
      last = err;
      return undefined;
    });
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last error: ${String(last)}`);
    await sleep(250);
  }
}

const view = () => new AbortController().signal;

/**
 * A proxy in front of the Snowflake stand-in that answers TASK_HISTORY statements itself (the
 * stand-in has no tasks) with `rows`, in Snowflake's JSON result format; everything else passes.
 */
async function taskHistoryInterposer(upstreamPort: number, rows: Array<Array<string | null>>): Promise<{ port: number; statements: string[]; close: () => Promise<void> }> {
  const columns: Array<[string, 'text' | 'timestamp_ltz']> = [
    ['NAME', 'text'], ['STATE', 'text'], ['SCHEDULED_TIME', 'timestamp_ltz'], ['QUERY_START_TIME', 'timestamp_ltz'],
    ['COMPLETED_TIME', 'timestamp_ltz'], ['ERROR_CODE', 'text'], ['ERROR_MESSAGE', 'text'],
  ];
  const rowtype = columns.map(([name, type]) => ({ name, type, nullable: true, database: '', schema: '', table: '', collation: null, byteLength: type === 'text' ? 16777216 : null, length: type === 'text' ? 16777216 : null, scale: type === 'text' ? null : 3, precision: type === 'text' ? null : 0 }));
  const answer = JSON.stringify({
    data: { parameters: [{ name: 'TIMEZONE', value: 'Etc/UTC' }], rowtype, rowset: rows, total: rows.length, returned: rows.length, queryId: randomUUID(), queryResultFormat: 'json', version: 1, statementTypeId: 0x1000 },
    code: null,
    message: null,
    success: true,
  });
  const statements: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/queries/v1/query-request')) {
        const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8');
        const sqlText = String((JSON.parse(text) as { sqlText?: unknown }).sqlText ?? '');
        statements.push(sqlText);
        if (sqlText.includes('INFORMATION_SCHEMA.TASK_HISTORY(')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
          return;
        }
      }
      const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${upstreamPort}` } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    statements,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe.skipIf(!h.ok)('details over the real adapters', () => {
  const harnessEnv = h.ok ? h.env : {};
  const project = `sfpipe-details-${run}`;
  const schema = `SFPIPE_DT_${run.toUpperCase()}`;
  const sinkConnector = `dt-sink-${run}`;
  const topic = `dt-topic-${run}`;
  const connectors = { source: `dt-source-${run}`, failing: `dt-failing-${run}` };
  let dir: string;
  let config: SfpipeConfig;
  let services: Services;
  let details: DetailsProvider;
  let docker: Docker;
  let admin: Admin;
  let kafka: Kafka;
  let sf: Connection | undefined;
  const containers: Docker.Container[] = [];

  const connectRest = (method: string, path: string, body?: unknown) =>
    fetch(`${harnessEnv.SFPIPE_CONNECT_URL}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-details-'));
    // Its own Snowflake schema and sink group, so nothing here touches another suite's objects.
    writeFileSync(join(dir, 'sfpipe.toml'), `[snowflake]\nschema = "${schema}"\n\n[connect]\nsink_connector = "${sinkConnector}"\n`);
    const env = { ...harnessEnv, HOME: dir, SNOWFLAKE_HOME: join(dir, '.snowflake'), XDG_CONFIG_HOME: join(dir, '.config'), SFPIPE_COMPOSE_PROJECT: project };
    config = loadConfig({ cwd: dir, env, homedir: dir });
    expect(config.snowflake.pipeline, 'the harness env names a Snowflake connection').toBeDefined();
    services = buildServices(config);
    details = createDetailsProvider({ config, services, clock: systemClock });
    docker = dockerClient(harnessEnv.DOCKER_HOST!);
    kafka = new Kafka({ clientId: `sfpipe-details-test-${run}`, brokers: harnessEnv.SFPIPE_KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    for (const c of containers) await c.remove({ force: true }).catch(() => undefined);
    for (const name of Object.values(connectors)) await connectRest('DELETE', `/connectors/${name}`).catch(() => undefined);
    await admin?.deleteGroups([`connect-${sinkConnector}`]).catch(() => undefined);
    await admin?.deleteTopics({ topics: [topic], timeout: 30_000 }).catch(() => undefined);
    await admin?.disconnect();
    if (sf) {
      await sql(sf, `DROP SCHEMA IF EXISTS KAFKA_DB.${schema} CASCADE`).catch(() => undefined);
      await disconnectSnowflake(sf);
    }
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("container: the last log lines, and a clear error for a container that is gone", async () => {
    if (h.ok) await ensureTestImage(docker, { ctx: h.ctx });
    const c = await docker.createContainer({
      name: `${project}-talker`,
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line-$i; done; exec sleep 600'],
      Labels: { [COMPOSE_PROJECT_LABEL]: project, [COMPOSE_SERVICE_LABEL]: 'talker', [TEST_LABEL]: run },
      HostConfig: { NetworkMode: 'none' },
    });
    containers.push(c);
    await c.start();
    const lines = await eventually('the five lines in the log', async () => {
      const l = await details.containerLogs(c.id, 3, view());
      return l.length === 3 && l[2] === 'line-5' ? l : undefined;
    });
    expect(lines).toEqual(['line-3', 'line-4', 'line-5']);
    await expect(details.containerLogs(`nope-${run}`, 3, view())).rejects.toMatchObject({ name: 'SfpipeError', source: 'docker', kind: 'not-found' });
  });

  it('connector: state, config with the secret redacted, and the trace of a failed task', async () => {
    const file = join(dir, 'source.txt');
    writeFileSync(file, '');
    const broken = join(dir, 'sink-target');
    mkdirSync(broken);
    const secret = `hunter2-${run}`;
    expect((await connectRest('PUT', `/connectors/${connectors.source}/config`, { 'connector.class': SOURCE, file, topic, 'tasks.max': '1', 'sfpipe.test.password': secret })).status).toBe(201);
    // a directory where the sink wants to write its file: its task fails as it starts
    expect((await connectRest('PUT', `/connectors/${connectors.failing}/config`, { 'connector.class': SINK, topics: topic, file: broken, 'tasks.max': '1' })).status).toBe(201);

    const source = await eventually('the source connector running', async () => {
      const d = await details.connector(connectors.source, view());
      return d.state === 'RUNNING' && d.tasks.length === 1 && d.tasks[0]!.state === 'RUNNING' ? d : undefined;
    });
    expect(source.config).toMatchObject({ 'connector.class': SOURCE, file, topic });
    expect(JSON.stringify(source)).not.toContain(secret);
    expect(source.config['sfpipe.test.password']).toBeDefined();
    expect(source.tasks[0]!.workerId).toMatch(/^127\.0\.0\.1:\d+$/);

    const failing = await eventually('the sink task failed', async () => {
      const d = await details.connector(connectors.failing, view());
      return d.tasks[0]?.state === 'FAILED' ? d : undefined;
    });
    expect(failing.tasks[0]!.trace).toMatch(/ConnectException/);
    expect(failing.tasks[0]!.trace).toContain('Is a directory');

    await expect(details.connector(`nope-${run}`, view())).rejects.toMatchObject({ source: 'connect', kind: 'not-found' });
  });

  it('topic: partitions with the sink group lag, and the last messages decoded (Avro via the registry, JSON, text)', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    const registry = createSchemaRegistryClient({ url: harnessEnv.SFPIPE_SCHEMA_REGISTRY_URL! });
    const id = await registry.register(`${topic}-value`, { schema: JSON.stringify(PAGEVIEW) });
    const type = avro.Type.forSchema(PAGEVIEW as avro.schema.RecordType);
    const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // 12 older filler messages on partition 1, then the ones the view must show, in order, one at a time
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 12 }, (_, i) => ({ partition: 1, key: `f${i}`, value: `filler ${i}` })) });
      const shown = [
        { partition: 0, key: '11', value: frameWireFormat(id, type.toBuffer({ viewtime: 11, userid: 'User_3', pageid: 'Page_42' })) },
        { partition: 1, key: 'j', value: Buffer.from('{"orderid": 7, "address": {"city": "Zürich"}}') },
        { partition: 0, key: 't', value: Buffer.from('plain words') },
      ];
      for (const m of shown) await producer.send({ topic, acks: -1, messages: [m] });
    } finally {
      await producer.disconnect();
    }
    await admin.setOffsets({ groupId: `connect-${sinkConnector}`, topic, partitions: [{ partition: 0, offset: '1' }, { partition: 1, offset: '10' }] });

    const d = await details.topic(topic, 10, view());
    expect(d.topic).toBe(topic);
    expect(d.partitions).toEqual([
      { partition: 0, earliest: 0, end: 2, committed: 1 },
      { partition: 1, earliest: 0, end: 13, committed: 10 },
    ]);
    expect(d.messages).toHaveLength(10);
    const last3 = d.messages.slice(-3).map((m) => [m.partition, m.key, m.format, m.value]);
    expect(last3).toEqual([
      [0, '11', 'avro', '{"viewtime":11,"userid":"User_3","pageid":"Page_42"}'],
      [1, 'j', 'json', '{"orderid":7,"address":{"city":"Zürich"}}'],
      [0, 't', 'text', 'plain words'],
    ]);
    expect(d.messages.slice(0, 7).every((m) => m.format === 'text' && m.value.startsWith('filler '))).toBe(true);
    expect(d.messages.every((m) => typeof m.timestamp === 'number' && m.timestamp > 0)).toBe(true);

    await expect(details.topic(`nope-${run}`, 10, view())).rejects.toMatchObject({ source: 'kafka', kind: 'not-found' });
  });

  it('table: the latest rows of the raw table, newest last; no task history on a server without tasks', async () => {
    sf = await connectSnowflake(harnessEnv);
    await sql(sf, `CREATE SCHEMA IF NOT EXISTS KAFKA_DB.${schema}`);
    await sql(sf, `CREATE TABLE IF NOT EXISTS KAFKA_DB.${schema}.ORDERS (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)`);
    // inserted out of order: the view orders by the records' Kafka CreateTime
    const order = [3, 0, 11, 7, 1, 10, 5, 2, 9, 4, 6, 8];
    for (const i of order) {
      const metadata = { CreateTime: 1_736_500_000_000 + i, topic: 'orders', partition: 0, offset: i };
      const content = { orderid: i, itemid: `Item_${i}`, address: { city: `City_${i}` } };
      await sql(sf, `INSERT INTO KAFKA_DB.${schema}.ORDERS (RECORD_METADATA, RECORD_CONTENT) SELECT PARSE_JSON(?), PARSE_JSON(?)`, [JSON.stringify(metadata), JSON.stringify(content)]);
    }

    const d = await details.table('orders', 10, view());
    expect(d.table).toBe('ORDERS');
    expect(d.columns).toEqual(['RECORD_METADATA', 'RECORD_CONTENT']);
    expect(d.rows.map((r) => JSON.parse(r[1]!) as { orderid: number }).map((c) => c.orderid)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(JSON.parse(d.rows[9]![0]!)).toEqual({ CreateTime: 1_736_500_000_011, topic: 'orders', partition: 0, offset: 11 });
    expect(d.ingestion, 'records produced in 2025 are not in the last hour').toEqual([]);
    expect(d.taskRuns).toEqual([]);
    expect(d.notes[0]).toContain(`warehouse ${config.snowflake.pipeline?.warehouse ?? config.snowflake.objects.adminWarehouse}`);
    expect(d.notes[1]).toMatch(/^No task history for TASK_EXTRACT_AVRO_FROM_ORDERS: this Snowflake server has no tasks/);

    // a raw table that was never created is the view's error, not an empty table
    await expect(details.table('users', 10, view())).rejects.toMatchObject({ source: 'snowflake', kind: 'not-found' });
  });

  it('table: rows ingested per minute of the last hour, by the records’ Kafka CreateTime', async () => {
    sf ??= await connectSnowflake(harnessEnv);
    await sql(sf, `CREATE SCHEMA IF NOT EXISTS KAFKA_DB.${schema}`);
    await sql(sf, `CREATE TABLE IF NOT EXISTS KAFKA_DB.${schema}.PAGEVIEWS (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)`);
    // three whole minutes well inside the last hour: 3, 1 and 2 records, at various seconds
    const first = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
    const produced = [first + 1_000, first + 30_000, first + 59_999, first + 60_000, first + 120_500, first + 179_000];
    const tooOld = Date.now() - 2 * 60 * 60_000;
    const metadata: Array<Record<string, unknown>> = [...produced, tooOld].map((createTime, offset) => ({ CreateTime: createTime, topic: 'pageviews', partition: 0, offset }));
    metadata.push({ topic: 'pageviews', partition: 0, offset: 99 }); // no CreateTime: not counted
    for (const m of metadata) {
      await sql(sf, `INSERT INTO KAFKA_DB.${schema}.PAGEVIEWS (RECORD_METADATA, RECORD_CONTENT) SELECT PARSE_JSON(?), PARSE_JSON(?)`, [JSON.stringify(m), '{"viewtime":1}']);
    }

    const d = await details.table('pageviews', 10, view());
    expect(d.rows).toHaveLength(8);
    expect(d.ingestion).toEqual([
      { minute: first, rows: 3 },
      { minute: first + 60_000, rows: 1 },
      { minute: first + 120_000, rows: 2 },
    ]);
    expect(d.notes.some((n) => n.startsWith('No ingestion history'))).toBe(false);
  });

  it('table: a task history as Snowflake answers it (newest first, errors with their code)', async () => {
    const ltz = (iso: string) => (Date.parse(iso) / 1000).toFixed(3);
    const interposer = await taskHistoryInterposer(Number(harnessEnv.SNOWFLAKE_PORT), [
      ['TASK_EXTRACT_AVRO_FROM_ORDERS', 'SCHEDULED', ltz('2026-01-15T12:03:00Z'), null, null, null, null],
      ['TASK_EXTRACT_AVRO_FROM_ORDERS', 'FAILED', ltz('2026-01-15T12:02:00Z'), ltz('2026-01-15T12:02:01Z'), ltz('2026-01-15T12:02:03Z'), '002003', "Object 'ORDERS_EXTRACTED' does not exist or not authorized."],
      ['TASK_EXTRACT_AVRO_FROM_ORDERS', 'SUCCEEDED', ltz('2026-01-15T12:01:00Z'), ltz('2026-01-15T12:01:01Z'), ltz('2026-01-15T12:01:02Z'), null, null],
    ]);
    const env = { ...harnessEnv, HOME: dir, SNOWFLAKE_HOME: join(dir, '.snowflake'), XDG_CONFIG_HOME: join(dir, '.config'), SNOWFLAKE_PORT: String(interposer.port) };
    const viaInterposer = buildServices(loadConfig({ cwd: dir, env, homedir: dir }));
    try {
      const d = await createDetailsProvider({ config, services: viaInterposer, clock: systemClock }).table('orders', 3, view());
      expect(d.rows).toHaveLength(3);
      expect(d.taskRuns).toEqual([
        { scheduledAt: Date.parse('2026-01-15T12:03:00Z'), state: 'SCHEDULED', error: undefined },
        { scheduledAt: Date.parse('2026-01-15T12:02:00Z'), state: 'FAILED', error: "002003: Object 'ORDERS_EXTRACTED' does not exist or not authorized." },
        { scheduledAt: Date.parse('2026-01-15T12:01:00Z'), state: 'SUCCEEDED', error: undefined },
      ]);
      expect(d.notes).toHaveLength(1);
      const asked = interposer.statements.find((q) => q.includes('TASK_HISTORY('));
      expect(asked).toContain("TASK_NAME => 'TASK_EXTRACT_AVRO_FROM_ORDERS'");
      expect(asked).toContain(`SCHEMA_NAME = '${schema}'`);
    } finally {
      await viaInterposer.close();
      await interposer.close();
    }
  });
});
