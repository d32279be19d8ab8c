/**
 * The Snowflake adapter against the harness's Snowflake protocol server (fakesnow behind the
 * JSON wrapper), through the real snowflake-sdk:
 * - raw and extracted row counts after rows are written the sink connector's way
 *   (RECORD_METADATA / RECORD_CONTENT via PARSE_JSON) and extracted the task's way;
 * - login through the config path (toConnectionOptions) and a wrong key passphrase;
 * - through an interposer on 127.0.0.1 in front of the server: a statement held past its
 *   timeout (cancelled, reported as timeout), a session that is gone (logged in again), and
 *   SHOW STREAMS / SHOW TASKS / backlog answers, which the stand-in cannot give, in
 *   Snowflake's documented result format so the driver decodes them as from a real account.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import type { SnowflakeConnection } from '../../src/config/schema.js';
import { Secret } from '../../src/config/secret.js';
import { toConnectionOptions } from '../../src/config/snowflake-options.js';
import { topicSpec, type TopicSpec } from '../../src/domain/topics.js';
import { SnowflakeAdapter } from '../../src/services/snowflake/adapter.js';
import { topicObjects } from '../../src/services/snowflake/objects.js';
import { extractedTableDdl, outputColumns, rawTableDdl, viewSelect } from '../../src/sql/generate.js';
import { connectionOptionsFromEnv, connectSnowflake, disconnectSnowflake, sql } from '../support/snowflake.js';

const h = await requireServices(['snowflake']);

// ---- an interposer between the driver and the server ------------------------------------

type Cell = string | null;
interface Column {
  name: string;
  type: 'text' | 'fixed' | 'timestamp_ltz';
}

/** A query answer in Snowflake's JSON result format (what the server sends for queryResultFormat json). */
function resultBody(columns: Column[], rows: Cell[][]): object {
  const rowtype = columns.map((c) => ({
    name: c.name,
    database: '',
    schema: '',
    table: '',
    nullable: true,
    type: c.type,
    byteLength: c.type === 'text' ? 16777216 : null,
    length: c.type === 'text' ? 16777216 : null,
    scale: c.type === 'timestamp_ltz' ? 3 : c.type === 'fixed' ? 0 : null,
    precision: c.type === 'fixed' ? 38 : c.type === 'timestamp_ltz' ? 0 : null,
    collation: null,
  }));
  const parameters = [
    { name: 'TIMEZONE', value: 'Etc/UTC' },
    { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
    { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  ];
  return {
    data: { parameters, rowtype, rowset: rows, total: rows.length, returned: rows.length, queryId: randomUUID(), queryResultFormat: 'json', version: 1, statementTypeId: 0x1000 },
    code: null,
    message: null,
    success: true,
  };
}

/** Snowflake's JSON cell for a TIMESTAMP_LTZ: epoch seconds with the column's scale. */
const ltz = (iso: string) => (Date.parse(iso) / 1000).toFixed(3);

interface Rule {
  match: RegExp;
  /** answer with this body, or hold the request until the interposer closes */
  reply: object | 'hold';
  once?: boolean;
}

interface Interposer {
  port: number;
  rules: Rule[];
  logins: number;
  aborts: number;
  queries: string[];
  /** the statement-level parameters each query carried, in order */
  parameters: Record<string, unknown>[];
  close(): Promise<void>;
}

async function startInterposer(upstreamPort: number): Promise<Interposer> {
  const held: http.ServerResponse[] = [];
  const state: Interposer = { port: 0, rules: [], logins: 0, aborts: 0, queries: [], parameters: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '';
      if (path.includes('/abort-request')) {
        state.aborts++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: null, code: null, message: null, success: true }));
        return;
      }
      if (path.startsWith('/session/v1/login-request')) state.logins++;
      if (path.startsWith('/queries/v1/query-request')) {
        const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8');
        const request = JSON.parse(text) as { sqlText?: unknown; parameters?: Record<string, unknown> };
        const sqlText = String(request.sqlText ?? '');
        state.queries.push(sqlText);
        state.parameters.push(request.parameters ?? {});
        const rule = state.rules.find((r) => r.match.test(sqlText));
        if (rule) {
          if (rule.once) state.rules.splice(state.rules.indexOf(rule), 1);
          if (rule.reply === 'hold') held.push(res);
          else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rule.reply));
          return;
        }
      }
      const upstream = http.request(
        { host: '127.0.0.1', port: upstreamPort, method: req.method, path, headers: { ...req.headers, host: `127.0.0.1:${upstreamPort}` } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}

const SESSION_GONE = { data: { errorCode: '390111', sqlState: null }, code: '390111', message: 'Session no longer exists.  New login required to access the service.', success: false };

// ---- the sink connector's rows ------------------------------------------------------------

const orders = topicSpec('orders');
const pageviews = topicSpec('pageviews');

function connectorRows(spec: TopicSpec, from: number, count: number): [string, string][] {
  return Array.from({ length: count }, (_, j) => {
    const i = from + j;
    const metadata = { CreateTime: 1_736_500_000_000 + i, topic: spec.topic, partition: i % 3, offset: Math.floor(i / 3), key: `k${i}` };
    const content =
      spec.topic === 'orders'
        ? { ordertime: 1_736_500_000_000 + i, orderid: i, itemid: `Item_${i}`, orderunits: 1.5, address: { city: `City_${i % 9}`, state: `State_${i % 5}`, zipcode: 10_000 + i } }
        : { viewtime: i, userid: `User_${i % 9}`, pageid: `Page_${10 + (i % 80)}` };
    return [JSON.stringify(metadata), JSON.stringify(content)];
  });
}

describe.skipIf(!h.ok)('snowflake adapter against the harness Snowflake stand-in', () => {
  const env = h.ok ? h.env : {};
  const schema = `SFPIPE_SA_${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
  const topics = topicObjects(['orders', 'pageviews', 'users']);
  let conn: Connection;
  let interposer: Interposer;
  const adapters: SnowflakeAdapter[] = [];

  /** An adapter on the harness's login, optionally through the interposer or with other options. */
  const adapter = (over: { port?: number; privateKeyPass?: string } = {}) => {
    const a = new SnowflakeAdapter({
      connectionOptions: () =>
        connectionOptionsFromEnv(env, {
          ...(over.port ? { accessUrl: `http://127.0.0.1:${over.port}` } : {}),
          ...(over.privateKeyPass ? { privateKeyPass: over.privateKeyPass } : {}),
        }),
      database: 'KAFKA_DB',
      schema,
      warehouse: 'KAFKA_ADMIN_WAREHOUSE',
      topics,
      keyFile: env.SNOWFLAKE_PRIVATE_KEY_FILE,
      secrets: [env.PRIVATE_KEY_PASSPHRASE, over.privateKeyPass],
    });
    adapters.push(a);
    return a;
  };

  beforeAll(async () => {
    const admin = await connectSnowflake(env);
    try {
      await sql(admin, `CREATE SCHEMA IF NOT EXISTS KAFKA_DB.${schema}`);
    } finally {
      await disconnectSnowflake(admin);
    }
    conn = await connectSnowflake(env, { schema });
    for (const spec of [orders, pageviews]) {
      await sql(conn, rawTableDdl(spec, spec.rawTable));
      await sql(conn, extractedTableDdl(spec));
    }
    interposer = await startInterposer(Number(env.SNOWFLAKE_PORT));
  });

  afterAll(async () => {
    for (const a of adapters) await a.close();
    await interposer?.close();
    if (conn) {
      await sql(conn, `DROP SCHEMA IF EXISTS KAFKA_DB.${schema} CASCADE`).catch(() => undefined);
      await disconnectSnowflake(conn);
    }
  });

  const insertRaw = (spec: TopicSpec, from: number, count: number) =>
    sql(conn, `INSERT INTO ${spec.rawTable} (RECORD_METADATA, RECORD_CONTENT) SELECT PARSE_JSON(?), PARSE_JSON(?)`, connectorRows(spec, from, count));
  const extractAll = (spec: TopicSpec) => sql(conn, `INSERT INTO ${spec.extractedTable} (${outputColumns(spec).join(', ')})\n${viewSelect(spec, spec.rawTable)}`);

  it('reads raw and extracted row counts; tables that do not exist have none', async () => {
    const a = adapter();
    const empty = await a.metadata();
    expect(empty.topics.map((t) => [t.topic, t.rawRows, t.extractedRows])).toEqual([
      ['orders', 0, 0],
      ['pageviews', 0, 0],
      ['users', undefined, undefined],
    ]);

    await insertRaw(orders, 0, 10);
    await extractAll(orders);
    await insertRaw(orders, 10, 15);
    await insertRaw(pageviews, 0, 7);
    const snap = await a.metadata();
    expect(snap).toMatchObject({ database: 'KAFKA_DB', schema });
    expect(snap.topics.map((t) => [t.topic, t.rawTable, t.rawRows, t.extractedTable, t.extractedRows])).toEqual([
      ['orders', 'ORDERS', 25, 'ORDERS_EXTRACTED', 10],
      ['pageviews', 'PAGEVIEWS', 7, 'PAGEVIEWS_EXTRACTED', 0],
      ['users', 'USERS', undefined, 'USERS_EXTRACTED', undefined],
    ]);
    // the extraction really produced typed rows, not just a count
    const extracted = await sql<{ ORDERID: number; CITY: string }>(conn, `SELECT ORDERID, CITY FROM ${orders.extractedTable} ORDER BY ORDERID LIMIT 2`);
    expect(extracted).toEqual([
      { ORDERID: 0, CITY: 'City_0' },
      { ORDERID: 1, CITY: 'City_1' },
    ]);

    // the stand-in cannot list streams or tasks: unknown, not an error; asked once, then remembered
    expect(snap.topics.every((t) => t.stream === undefined && t.task === undefined)).toBe(true);
    const stats = a.stats();
    expect(stats.unsupported.sort()).toEqual(['STREAMS', 'TASKS']);
    expect(stats.statements.warehouse).toBe(0);
    expect(stats.logins).toBe(1);
    const before = stats.statements.metadata;
    await a.metadata();
    expect(a.stats().statements.metadata - before).toBe(2); // SHOW TABLES + the exact count of the tables SHOW says are empty

    // backlog on this server: nothing it can count, and no warehouse-bound statement sent for it
    const backlog = await a.backlog();
    expect(backlog.topics).toEqual(topics.map((t) => ({ topic: t.topic, streamBacklog: undefined, lastRun: undefined, nextRunAt: undefined })));
    expect(a.stats().statements.warehouse).toBe(0);
  });

  it('logs in through the config path (toConnectionOptions) and rejects a wrong passphrase as auth, without key material', async () => {
    const connection = (passphrase: string): SnowflakeConnection => ({
      name: 'harness',
      chosenBy: 'flag',
      origins: ['test'],
      account: env.SNOWFLAKE_ACCOUNT!,
      user: env.SNOWFLAKE_USER,
      authenticator: 'SNOWFLAKE_JWT',
      privateKeyFile: env.SNOWFLAKE_PRIVATE_KEY_FILE,
      privateKeyPassphrase: new Secret(passphrase),
      password: undefined,
      warehouse: undefined,
      role: undefined,
      database: 'KAFKA_DB',
      schema: undefined,
      host: env.SNOWFLAKE_HOST,
      port: Number(env.SNOWFLAKE_PORT),
      protocol: 'http',
    });
    const viaConfig = (passphrase: string, inlineKey: boolean) => {
      const c = connection(passphrase);
      const a = new SnowflakeAdapter({ connectionOptions: () => toConnectionOptions(c, { inlineKey }), database: 'KAFKA_DB', schema, topics, keyFile: c.privateKeyFile, secrets: [c.privateKeyPassphrase] });
      adapters.push(a);
      return a;
    };
    expect((await viaConfig(env.PRIVATE_KEY_PASSPHRASE!, true).metadata()).topics[0]!.rawRows).toBe(25);

    const wrong = 'not-the-passphrase-4711';
    const keyText = (await import('node:fs')).readFileSync(env.SNOWFLAKE_PRIVATE_KEY_FILE!, 'utf8');
    const keyBody = keyText.split('\n').filter((l) => l && !l.startsWith('-----'))[1]!;
    // sfpipe decrypts the key itself (the default) …
    const inline = await viaConfig(wrong, true).metadata().catch((e: unknown) => e);
    // … or hands path and passphrase to the driver, which reports OpenSSL's "bad decrypt"
    const byDriver = await viaConfig(wrong, false).metadata().catch((e: unknown) => e);
    const direct = await adapter({ privateKeyPass: wrong }).metadata().catch((e: unknown) => e);
    for (const err of [inline, byDriver, direct]) {
      expect(err).toMatchObject({ name: 'SfpipeError', kind: 'auth' });
      const e = err as Error & { describe(): string; hint?: string };
      const shown = `${e.describe()} ${JSON.stringify(e)} ${String(e.stack)}`;
      expect(shown).toContain(env.SNOWFLAKE_PRIVATE_KEY_FILE!);
      expect(shown).not.toContain(wrong);
      expect(shown).not.toContain(env.PRIVATE_KEY_PASSPHRASE!);
      expect(shown).not.toContain(keyBody);
      expect(shown).not.toMatch(/PRIVATE KEY-----/);
    }
    expect((byDriver as Error).message).toMatch(/wrong passphrase/);
  });

  it('cancels a statement that outlives its timeout and reports a timeout', async () => {
    const a = adapter({ port: interposer.port });
    await a.metadata(); // logged in
    const rule: Rule = { match: /^SHOW TABLES IN SCHEMA/, reply: 'hold' };
    interposer.rules.push(rule);
    try {
      await expect(a.metadata({ timeoutMs: 1_500 })).rejects.toMatchObject({ kind: 'timeout', source: 'snowflake', message: 'Snowflake metadata: no answer within 1.5s' });
      expect(a.stats().cancelled).toBeGreaterThanOrEqual(1);
      // the driver told the server to stop it
      await expect.poll(() => interposer.aborts, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      // the held statement carried Snowflake's own bound: the call's 1.5 s, in whole seconds
      const held = interposer.queries.lastIndexOf(interposer.queries.filter((q) => q.startsWith('SHOW TABLES')).at(-1)!);
      expect(interposer.parameters[held]).toMatchObject({ STATEMENT_TIMEOUT_IN_SECONDS: 2 });
    } finally {
      interposer.rules.splice(interposer.rules.indexOf(rule), 1);
    }
    // the connection is still good afterwards
    expect((await a.metadata()).topics[0]!.rawRows).toBe(25);
  });

  it('logs in again, once, when the session is gone', async () => {
    const a = adapter({ port: interposer.port });
    await a.metadata();
    const loginsBefore = interposer.logins;
    interposer.rules.push({ match: /^SHOW TABLES IN SCHEMA/, reply: SESSION_GONE, once: true });
    const snap = await a.metadata();
    expect(snap.topics[0]!.rawRows).toBe(25);
    expect(interposer.logins - loginsBefore).toBe(1);
    expect(a.stats()).toMatchObject({ logins: 2, reconnects: 1 });

    // gone again right after logging in again: reported, not retried forever
    interposer.rules.push({ match: /^SHOW TABLES IN SCHEMA/, reply: SESSION_GONE }, { match: /^SHOW TABLES IN SCHEMA/, reply: SESSION_GONE });
    try {
      await expect(a.metadata()).rejects.toMatchObject({ source: 'snowflake', kind: 'unreachable' });
    } finally {
      interposer.rules.length = 0;
    }
  });

  it('maps SHOW STREAMS / SHOW TASKS and the backlog queries, in Snowflake’s result format, through the driver', async () => {
    const a = adapter({ port: interposer.port });
    const text = (name: string): Column => ({ name, type: 'text' });
    const time = (name: string): Column => ({ name, type: 'timestamp_ltz' });
    const streams = resultBody(
      [time('created_on'), ...['name', 'database_name', 'schema_name', 'owner', 'comment', 'table_name', 'source_type', 'base_tables', 'type', 'stale', 'mode'].map(text), time('stale_after'), text('invalid_reason'), text('owner_role_type')],
      [[ltz('2025-01-10T09:05:00Z'), 'STREAM_ORDERS', 'KAFKA_DB', schema, 'KAFKA_CONNECTOR_ROLE', '', `KAFKA_DB.${schema}.ORDERS`, 'Table', `KAFKA_DB.${schema}.ORDERS`, 'DELTA', 'false', 'APPEND_ONLY', ltz('2025-01-24T09:05:00Z'), 'N/A', 'ROLE']],
    );
    const taskColumns = ['name', 'id', 'database_name', 'schema_name', 'owner', 'comment', 'warehouse', 'schedule', 'predecessors', 'state', 'definition', 'condition', 'allow_overlapping_execution', 'error_integration'];
    const tasks = resultBody(
      [time('created_on'), ...taskColumns.map(text), time('last_committed_on'), time('last_suspended_on'), ...['owner_role_type', 'config', 'budget', 'task_relations', 'last_suspended_reason'].map(text)],
      [
        [ltz('2025-01-10T09:06:00Z'), 'TASK_EXTRACT_AVRO_FROM_ORDERS', '01b2', 'KAFKA_DB', schema, 'KAFKA_CONNECTOR_ROLE', '', 'KAFKA_TASK_WH', '1 minute', '[]', 'started', 'CALL SP_EXTRACT_AVRO_ORDERS()', "SYSTEM$STREAM_HAS_DATA('STREAM_ORDERS')", 'false', 'null', null, null, 'ROLE', null, null, '{}', null],
        [ltz('2025-01-10T09:06:00Z'), 'TASK_EXTRACT_AVRO_FROM_PAGEVIEWS', '01b3', 'KAFKA_DB', schema, 'KAFKA_CONNECTOR_ROLE', '', 'KAFKA_TASK_WH', '1 minute', '[]', 'suspended', 'CALL SP_EXTRACT_AVRO_PAGEVIEWS()', "SYSTEM$STREAM_HAS_DATA('STREAM_PAGEVIEWS')", 'false', 'null', null, ltz('2025-01-11T10:00:00Z'), 'ROLE', null, null, '{}', 'SUSPENDED_DUE_TO_ERRORS'],
      ],
    );
    const backlogCounts = resultBody([text('NAME'), { name: 'N', type: 'fixed' }], [['STREAM_ORDERS', '15']]);
    const history = resultBody(
      [text('NAME'), text('STATE'), time('SCHEDULED_TIME'), time('QUERY_START_TIME'), time('COMPLETED_TIME'), time('NEXT_SCHEDULED_TIME'), text('ERROR_CODE'), text('ERROR_MESSAGE')],
      [
        ['TASK_EXTRACT_AVRO_FROM_ORDERS', 'SCHEDULED', ltz('2025-01-11T10:03:00Z'), null, null, null, null, null],
        ['TASK_EXTRACT_AVRO_FROM_ORDERS', 'SUCCEEDED', ltz('2025-01-11T10:02:00Z'), ltz('2025-01-11T10:02:01Z'), ltz('2025-01-11T10:02:04Z'), ltz('2025-01-11T10:03:00Z'), null, null],
        ['TASK_EXTRACT_AVRO_FROM_PAGEVIEWS', 'FAILED', ltz('2025-01-11T09:59:00Z'), ltz('2025-01-11T09:59:01Z'), ltz('2025-01-11T09:59:02Z'), null, '100038', "Numeric value 'abc' is not recognized"],
      ],
    );
    interposer.rules.push(
      { match: /^SHOW STREAMS IN SCHEMA/, reply: streams },
      { match: /^SHOW TASKS IN SCHEMA/, reply: tasks },
      { match: /COUNT\(\*\) AS N FROM "KAFKA_DB"\."\w+"\."STREAM_ORDERS"/, reply: backlogCounts },
      { match: /TASK_HISTORY/, reply: history },
    );
    try {
      const snap = await a.metadata();
      const [o, p, u] = snap.topics;
      expect(o!.rawRows).toBe(25); // SHOW TABLES still from the server itself
      expect(o!.stream).toEqual({ name: 'STREAM_ORDERS', stale: false, staleAfter: Date.parse('2025-01-24T09:05:00Z'), mode: 'APPEND_ONLY', hasData: undefined, backlog: undefined, backlogAt: undefined });
      expect(o!.task).toEqual({
        name: 'TASK_EXTRACT_AVRO_FROM_ORDERS',
        state: 'started',
        schedule: '1 minute',
        condition: "SYSTEM$STREAM_HAS_DATA('STREAM_ORDERS')",
        lastSuspendedReason: undefined,
        lastRun: undefined,
        nextRunAt: undefined,
      });
      expect(p!.stream).toBeUndefined();
      expect(p!.task).toMatchObject({ state: 'suspended', lastSuspendedReason: 'SUSPENDED_DUE_TO_ERRORS' });
      expect(u!.task).toBeUndefined();
      expect(a.stats().statements.warehouse).toBe(0);

      const backlog = await a.backlog();
      expect(backlog.topics).toEqual([
        { topic: 'orders', streamBacklog: 15, lastRun: { state: 'SUCCEEDED', at: Date.parse('2025-01-11T10:02:04Z'), error: undefined }, nextRunAt: Date.parse('2025-01-11T10:03:00Z') },
        { topic: 'pageviews', streamBacklog: undefined, lastRun: { state: 'FAILED', at: Date.parse('2025-01-11T09:59:02Z'), error: "100038: Numeric value 'abc' is not recognized" }, nextRunAt: undefined },
        { topic: 'users', streamBacklog: undefined, lastRun: undefined, nextRunAt: undefined },
      ]);
      // exactly the two warehouse-bound statements, only for objects SHOW listed
      expect(a.stats().statements.warehouse).toBe(2);
      const sent = interposer.queries.filter((q) => /TASK_HISTORY|STREAM_ORDERS"/.test(q));
      expect(sent.some((q) => q.includes("NAME IN ('TASK_EXTRACT_AVRO_FROM_ORDERS', 'TASK_EXTRACT_AVRO_FROM_PAGEVIEWS')"))).toBe(true);
      expect(interposer.queries.some((q) => q.includes('STREAM_PAGEVIEWS"'))).toBe(false);
    } finally {
      interposer.rules.length = 0;
    }
  });

  it('suspends, resumes and runs a task by its quoted name; a bad name sends nothing', async () => {
    const a = adapter({ port: interposer.port });
    const ok = resultBody([{ name: 'status', type: 'text' }], [['Statement executed successfully.']]);
    // the stand-in has no tasks: a clear error, not a crash
    await expect(a.suspendTask('TASK_EXTRACT_AVRO_FROM_ORDERS')).rejects.toMatchObject({ kind: 'unsupported', source: 'snowflake' });
    interposer.rules.push({ match: /^(ALTER|EXECUTE) TASK /, reply: ok });
    try {
      const sentBefore = interposer.queries.length;
      await a.suspendTask('task_extract_avro_from_orders');
      await a.resumeTask('TASK_EXTRACT_AVRO_FROM_ORDERS');
      await a.executeTask('TASK_EXTRACT_AVRO_FROM_ORDERS');
      expect(interposer.queries.slice(sentBefore)).toEqual([
        `ALTER TASK "KAFKA_DB"."${schema}"."TASK_EXTRACT_AVRO_FROM_ORDERS" SUSPEND`,
        `ALTER TASK "KAFKA_DB"."${schema}"."TASK_EXTRACT_AVRO_FROM_ORDERS" RESUME`,
        `EXECUTE TASK "KAFKA_DB"."${schema}"."TASK_EXTRACT_AVRO_FROM_ORDERS"`,
      ]);
      await expect(a.resumeTask('T"; DROP SCHEMA X; --')).rejects.toMatchObject({ kind: 'invalid-input', location: 'task' });
      expect(interposer.queries.length - sentBefore).toBe(3);
    } finally {
      interposer.rules.length = 0;
    }
  });

  it('a server that is not there is unreachable', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(adapter({ port }).metadata({ timeoutMs: 60_000 })).rejects.toMatchObject({ kind: 'unreachable', source: 'snowflake' });
  });
});
