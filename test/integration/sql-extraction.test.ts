/**
 * The shipped sql/ scripts against the harness's Snowflake stand-in (fakesnow behind a JSON
 * wrapper): raw rows shaped exactly like the Snowflake sink connector writes them go through
 * the views of 02-views.sql and the INSERT … SELECT inside the procedures of
 * 03-streams-and-tasks.sql, and come out with the right values and JS types. The stand-in has
 * no streams, tasks or procedures: those statements are split and checked for the names they
 * create, and a table named like the stream (with METADATA$ACTION) stands in for the stream.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { TOPICS, type TopicName, type TopicSpec } from '../../src/domain/topics.js';
import { extractionSelect, monitorQueries, type SqlScriptName } from '../../src/sql/generate.js';
import { quoteString } from '../../src/sql/identifiers.js';
import { splitStatements, type SqlStatement } from '../../src/sql/splitter.js';
import { defaultVariableValues, substituteVariables } from '../../src/sql/variables.js';
import { connectSnowflake, disconnectSnowflake, sql } from '../support/snowflake.js';

const h = await requireServices(['snowflake']);

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const CREATE_TIME = 1_700_000_000_123;

/** One datagen record per topic (fields as PIPELINE.md's quickstart table) and the row it must become. */
const CASES: Record<TopicName, { key: string; content: Record<string, unknown>; expected: Record<string, string | number> }> = {
  pageviews: {
    key: '1',
    content: { viewtime: 1, userid: 'User_3', pageid: 'Page_42' },
    expected: { PAGEID: 'Page_42', USERID: 'User_3', VIEWTIME: '1' },
  },
  orders: {
    key: '7',
    content: { ordertime: 1497014222380, orderid: 7, itemid: 'Item_184', orderunits: 5.207, address: { city: 'City_72', state: 'State_30', zipcode: 47217 } },
    expected: { CITY: 'City_72', STATE: 'State_30', ZIPCODE: 47217, ITEMID: 'Item_184', ORDERID: 7, ORDERTIME: 1497014222380, ORDERUNITS: 5.207 },
  },
  ratings: {
    key: '11',
    content: { rating_id: 11, user_id: -1, stars: 4, route_id: 7425, rating_time: 121, channel: 'iOS-test', message: 'thank you for the most friendly, helpful experience today at your new lounge' },
    expected: { CHANNEL: 'iOS-test', MESSAGE: 'thank you for the most friendly, helpful experience today at your new lounge', RATINGID: 11, RATINGTIME: 121, ROUTEID: 7425, STARS: 4, USERID: -1 },
  },
  stock_trades: {
    key: 'ZVZZT',
    content: { side: 'SELL', quantity: 1934, symbol: 'ZVZZT', price: 566, account: 'ABC123', userid: 'User_5' },
    expected: { ACCOUNT: 'ABC123', PRICE: 566, QUANTITY: 1934, SIDE: 'SELL', SYMBOL: 'ZVZZT', USERID: 'User_5' },
  },
  users: {
    key: 'User_2',
    content: { registertime: 1493819157000, userid: 'User_2', regionid: 'Region_8', gender: 'OTHER' },
    expected: { GENDER: 'OTHER', REGIONID: 'Region_8', REGISTERTIME: 1493819157000, USERID: 'User_2' },
  },
  clickstream: {
    key: '111.145.8.144',
    content: {
      ip: '111.145.8.144',
      userid: 11,
      remote_user: '-',
      time: '11/Mar/2021:07:46:51 +0000',
      _time: 1615448811000,
      request: 'GET /site/user_status.html HTTP/1.1',
      status: '405',
      bytes: '14096',
      referrer: '-',
      agent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    },
    expected: {
      _TIME: '1615448811000',
      AGENT: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      BYTES: '14096',
      IP: '111.145.8.144',
      REFERRER: '-',
      REMOTE_USER: '-',
      REQUEST: 'GET /site/user_status.html HTTP/1.1',
      STATUS: '405',
      TIME: '11/Mar/2021:07:46:51 +0000',
      USERID: '11',
    },
  },
};

/** RECORD_METADATA as the connector writes it (schematization off). */
const metadata = (topic: string, offset: number, key: string) => ({ CreateTime: CREATE_TIME + offset, offset, partition: 0, topic, key });

/** A row must equal the expected values, with JS types from the catalog's column types. */
function expectRow(spec: TopicSpec, row: Record<string, unknown>, offset: number): void {
  expect(Object.keys(row)).toEqual(['CREATE_TIME', ...spec.columns.map((c) => c.name)]);
  expect(row.CREATE_TIME).toBeInstanceOf(Date);
  expect((row.CREATE_TIME as Date).getTime()).toBe(CREATE_TIME + offset);
  const { expected } = CASES[spec.topic];
  for (const c of spec.columns) {
    expect(row[c.name], `${spec.topic}.${c.name}`).toBe(expected[c.name]);
    expect(typeof row[c.name], `${spec.topic}.${c.name}`).toBe(c.type === 'STRING' ? 'string' : 'number');
  }
}

describe.skipIf(!h.ok)('sql/ scripts against the Snowflake stand-in', () => {
  const env = h.ok ? h.env : {};
  // The stand-in keeps its data while it runs: a database of this run's own.
  const database = `SFPIPE_SQLX_${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
  const values = {
    ...defaultVariableValues(),
    database,
    public_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  const script = (name: SqlScriptName): SqlStatement[] => splitStatements(substituteVariables(readFileSync(`${SQL_DIR}${name}`, 'utf8'), values, name), name);
  const run = async (conn: Connection, statements: SqlStatement[], file: string) => {
    for (const s of statements) {
      try {
        await sql(conn, s.text);
      } catch (err) {
        throw new Error(`${file}:${s.line}: ${(err as Error).message}`, { cause: err });
      }
    }
  };
  const isTableOrUse = (s: SqlStatement) => /^(USE |CREATE TABLE IF NOT EXISTS )/.test(s.text);
  let conn: Connection;

  beforeAll(async () => {
    conn = await connectSnowflake(env);
    // From 01-setup only what the stand-in knows: the database and schema (no roles, users, warehouses).
    await run(conn, script('01-setup.sql').filter((s) => /^CREATE (DATABASE|SCHEMA) IF NOT EXISTS /.test(s.text)), '01-setup.sql');
  });

  afterAll(async () => {
    if (conn) await disconnectSnowflake(conn);
  });

  it('runs every statement of 02-views.sql: raw tables and secure views', async () => {
    await run(conn, script('02-views.sql'), '02-views.sql');
    const [where] = await sql<{ DB: string; SCH: string }>(conn, 'SELECT CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH');
    expect(where).toEqual({ DB: database, SCH: 'PUBLIC' });
  });

  it('loads connector-shaped rows into every raw table', async () => {
    for (const spec of TOPICS) {
      const c = CASES[spec.topic];
      await sql(conn, `INSERT INTO "${spec.rawTable}" (RECORD_METADATA, RECORD_CONTENT) SELECT PARSE_JSON(?), PARSE_JSON(?)`, [
        JSON.stringify(metadata(spec.topic, 0, c.key)),
        JSON.stringify(c.content),
      ]);
      const [count] = await sql<{ N: number }>(conn, `SELECT COUNT(*) AS N FROM "${spec.rawTable}"`);
      expect(count).toEqual({ N: 1 });
    }
  });

  it.each(TOPICS.map((t) => t.topic))('the %s view turns the record into typed columns', async (topic) => {
    const spec = TOPICS.find((t) => t.topic === topic) as TopicSpec;
    const rows = await sql<Record<string, unknown>>(conn, `SELECT * FROM ${spec.view}`);
    expect(rows).toHaveLength(1);
    expectRow(spec, rows[0] as Record<string, unknown>, 0);
  });

  it('runs the table statements of 03-streams-and-tasks.sql, and they are safe to re-run', async () => {
    const tables = script('03-streams-and-tasks.sql').filter(isTableOrUse);
    expect(tables.filter((s) => s.text.startsWith('CREATE TABLE'))).toHaveLength(TOPICS.length * 2);
    await run(conn, tables, '03-streams-and-tasks.sql');
    await run(conn, tables, '03-streams-and-tasks.sql (again)');
    await run(conn, script('02-views.sql'), '02-views.sql (again)');
    for (const spec of TOPICS) {
      const [raw] = await sql<{ N: number }>(conn, `SELECT COUNT(*) AS N FROM "${spec.rawTable}"`);
      expect(raw, `${spec.rawTable} keeps its rows`).toEqual({ N: 1 });
    }
  });

  it.each(TOPICS.map((t) => t.topic))('the %s procedure body moves new stream rows into the extracted table with the right types', async (topic) => {
    const spec = TOPICS.find((t) => t.topic === topic) as TopicSpec;
    // The statement inside the shipped procedure, exactly as written in the file.
    const proc = script('03-streams-and-tasks.sql').find((s) => s.text.startsWith(`CREATE OR REPLACE PROCEDURE ${spec.procedure}()`));
    expect(proc).toBeDefined();
    const body = /\$\$\s*BEGIN([\s\S]*)END;\s*\$\$$/.exec(proc?.text ?? '')?.[1] ?? '';
    const insert = splitStatements(body).find((s) => s.text.startsWith(`INSERT INTO ${spec.extractedTable} `));
    expect(insert, 'the procedure inserts into its extracted table').toBeDefined();
    expect(insert?.text).toContain(`FROM ${spec.stream}\n`);

    // A stand-in for the stream: the raw rows as INSERT actions, plus a DELETE action that must be skipped.
    await sql(conn, `CREATE TABLE ${spec.stream} AS SELECT RECORD_METADATA, RECORD_CONTENT, 'INSERT' AS METADATA$ACTION FROM "${spec.rawTable}"`);
    await sql(conn, `INSERT INTO ${spec.stream} SELECT PARSE_JSON(?), PARSE_JSON(?), 'DELETE'`, [
      JSON.stringify(metadata(spec.topic, 99, 'gone')),
      JSON.stringify(CASES[spec.topic].content),
    ]);

    await sql(conn, insert?.text ?? '');
    const rows = await sql<Record<string, unknown>>(conn, `SELECT * FROM ${spec.extractedTable}`);
    expect(rows).toHaveLength(1);
    expectRow(spec, rows[0] as Record<string, unknown>, 0);

    // The exported extraction SELECT (what monitoring and tests reuse) reads the same.
    const selected = await sql<Record<string, unknown>>(conn, extractionSelect(spec));
    expect(selected).toEqual(rows);
  });

  it('the extracted tables keep their rows when the table statements of 03 run again', async () => {
    await run(conn, script('03-streams-and-tasks.sql').filter(isTableOrUse), '03-streams-and-tasks.sql (third run)');
    for (const spec of TOPICS) {
      const [n] = await sql<{ N: number }>(conn, `SELECT COUNT(*) AS N FROM ${spec.extractedTable}`);
      expect(n, spec.extractedTable).toEqual({ N: 1 });
    }
  });

  it('the statements the stand-in cannot run create the stream, procedure and task of every topic', () => {
    const rest = script('03-streams-and-tasks.sql')
      .filter((s) => !isTableOrUse(s))
      .map((s) => s.text.replace(/\s+/g, ' '));
    const expected = TOPICS.flatMap((t) => [
      `CREATE STREAM IF NOT EXISTS ${t.stream} ON TABLE "${t.rawTable}" APPEND_ONLY = TRUE`,
      `CREATE OR REPLACE PROCEDURE ${t.procedure}()`,
      `CREATE OR REPLACE TASK ${t.task} WAREHOUSE = "KAFKA_TASK_WH" SCHEDULE = '1 minute' WHEN SYSTEM$STREAM_HAS_DATA('${t.stream}') AS CALL ${t.procedure}()`,
    ]).concat(TOPICS.map((t) => `ALTER TASK ${t.task} RESUME`));
    expect(rest.map((s) => (s.startsWith('CREATE OR REPLACE PROCEDURE') ? s.slice(0, s.indexOf('()') + 2) : s))).toEqual(expected);
  });

  it('the [no warehouse] monitoring query SHOW TABLES lists every raw and extracted table', async () => {
    const tables = monitorQueries().find((q) => q.id === 'tables');
    expect(tables?.warehouse).toBe('no');
    const rows = await sql<{ name: string; database_name: string }>(conn, substituteVariables(tables?.sql ?? '', values, 'monitor:tables'));
    const names = rows.filter((r) => r.database_name === database).map((r) => r.name);
    for (const spec of TOPICS) expect(names).toEqual(expect.arrayContaining([spec.rawTable, spec.extractedTable, spec.stream]));
  });

  it('a string with quotes survives the trip through quoteString into a VARIANT', async () => {
    const tricky = `it's a \\ "test"; -- not a comment`;
    const [row] = await sql<{ V: string }>(conn, `SELECT PARSE_JSON(${quoteString(JSON.stringify({ m: tricky }))}):m::STRING AS V`);
    expect(row).toEqual({ V: tricky });
  });
});
