/**
 * The Snowflake stand-in, through the library sfpipe uses (snowflake-sdk): key-pair login with
 * an encrypted PKCS#8 key made here, VARIANT columns the sink connector's way, typed reads.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'snowflake-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServices } from '../../harness/index.js';
import { connectSnowflake, disconnectSnowflake, sql } from '../support/snowflake.js';

const h = await requireServices(['snowflake']);

interface TestKey {
  file: string;
  passphrase: string;
  /** the public key as ALTER USER … SET RSA_PUBLIC_KEY takes it: base64 DER, no PEM lines */
  publicKeyBase64: string;
}

function makeEncryptedKey(dir: string, name: string): TestKey {
  const passphrase = `pass-${randomUUID()}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  const file = join(dir, `${name}.p8`);
  writeFileSync(file, privateKey, { mode: 0o600 });
  return { file, passphrase, publicKeyBase64: publicKey.toString('base64') };
}

describe.skipIf(!h.ok)('snowflake stand-in through snowflake-sdk', () => {
  const env = h.ok ? h.env : {};
  // The stand-in keeps its data while it runs: names unique to this run.
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
  const user = `SFPIPE_TEST_${suffix}`;
  const table = `ORDERS_RAW_${suffix}`;
  let dir: string;
  let key: TestKey;
  let conn: Connection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfpipe-snowflake-test-'));
    key = makeEncryptedKey(dir, 'test_user');
    // Register the test user's key the way a setup script does, over the harness's own connection.
    const admin = await connectSnowflake(env);
    try {
      await sql(admin, `ALTER USER ${user} SET RSA_PUBLIC_KEY='${key.publicKeyBase64}'`);
    } finally {
      await disconnectSnowflake(admin);
    }
    conn = await connectSnowflake(env, { username: user, privateKeyPath: key.file, privateKeyPass: key.passphrase });
  });

  afterAll(async () => {
    if (conn) {
      await sql(conn, `DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await disconnectSnowflake(conn);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with SNOWFLAKE_JWT and an encrypted PKCS#8 key made in the test', async () => {
    const rows = await sql<{ DB: string; SCH: string }>(conn, 'SELECT CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH');
    expect(rows).toEqual([{ DB: 'KAFKA_DB', SCH: 'PUBLIC' }]);
  });

  it('rejects a JWT signed by a key that is not the user’s registered key', async () => {
    const other = makeEncryptedKey(dir, 'other');
    const attempt = connectSnowflake(env, { username: user, privateKeyPath: other.file, privateKeyPass: other.passphrase });
    await expect(attempt).rejects.toThrow(/JWT token is invalid/);
    // and the harness's own user cannot be logged into with the test's key either
    const asHarness = connectSnowflake(env, { privateKeyPath: key.file, privateKeyPass: key.passphrase });
    await expect(asHarness).rejects.toThrow(/JWT token is invalid/);
  });

  it('stores VARIANT records with PARSE_JSON and reads typed fields back', async () => {
    await sql(conn, `CREATE TABLE ${table} (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)`);
    const createTime = 1_700_000_000_123;
    await sql(
      conn,
      `INSERT INTO ${table} (RECORD_METADATA, RECORD_CONTENT) SELECT PARSE_JSON(column1), PARSE_JSON(column2) FROM VALUES ` +
        `('{"CreateTime": ${createTime}, "topic": "orders", "partition": 0, "offset": 0}', ` +
        `'{"orderid": 1, "itemid": "Item_7", "orderunits": 2.5, "address": {"city": "City_12", "state": "State_3", "zipcode": 12345}}')`,
    );
    // the second row through binds, as an adapter would send it; it lacks orderunits
    await sql(conn, `INSERT INTO ${table} (RECORD_METADATA, RECORD_CONTENT) SELECT PARSE_JSON(?), PARSE_JSON(?)`, [
      JSON.stringify({ CreateTime: createTime + 1_000, topic: 'orders', partition: 1, offset: 0 }),
      JSON.stringify({ orderid: 2, itemid: 'Item_8', address: { city: 'City_9', state: 'State_1', zipcode: 54321 } }),
    ]);

    const rows = await sql<Record<string, unknown>>(
      conn,
      `SELECT RECORD_CONTENT:itemid::string AS ITEMID, RECORD_CONTENT:orderid::int AS ORDERID,
              RECORD_CONTENT:orderunits::float AS ORDERUNITS, RECORD_CONTENT:address:city::string AS CITY,
              RECORD_CONTENT:address:zipcode::int AS ZIPCODE,
              DATEADD(MS, RECORD_METADATA:CreateTime, '1970-01-01') AS CREATE_TIME,
              RECORD_CONTENT:address AS ADDRESS
         FROM ${table} ORDER BY ORDERID`,
    );
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [Record<string, unknown>, Record<string, unknown>];
    expect(first).toMatchObject({ ITEMID: 'Item_7', ORDERID: 1, ORDERUNITS: 2.5, CITY: 'City_12', ZIPCODE: 12345 });
    expect(typeof first.ITEMID).toBe('string');
    expect(typeof first.ORDERID).toBe('number');
    expect(typeof first.ORDERUNITS).toBe('number');
    expect(typeof first.CITY).toBe('string');
    expect(first.CREATE_TIME).toBeInstanceOf(Date);
    expect((first.CREATE_TIME as Date).getTime()).toBe(createTime);
    // a VARIANT sub-object arrives parsed, not as JSON text
    expect(first.ADDRESS).toEqual({ city: 'City_12', state: 'State_3', zipcode: 12345 });

    expect(second).toMatchObject({ ITEMID: 'Item_8', ORDERID: 2, ORDERUNITS: null, CITY: 'City_9', ZIPCODE: 54321 });
    expect((second.CREATE_TIME as Date).getTime()).toBe(createTime + 1_000);

    const counts = await sql<{ N: number }>(conn, `SELECT COUNT(*) AS N FROM ${table}`);
    expect(counts).toEqual([{ N: 2 }]);
  });

  it('answers SHOW TABLES with the table and a numeric rows column', async () => {
    const rows = await sql<{ name: string; database_name: string; schema_name: string; rows: unknown }>(conn, 'SHOW TABLES IN SCHEMA KAFKA_DB.PUBLIC');
    const ours = rows.find((r) => r.name === table);
    expect(ours).toMatchObject({ database_name: 'KAFKA_DB', schema_name: 'PUBLIC' });
    // fakesnow always reports 0 here (README); the type is what an adapter relies on
    expect(typeof ours?.rows).toBe('number');
  });

  it('encodes the other column types the way the driver decodes Snowflake JSON results', async () => {
    const [row] = await sql<Record<string, unknown>>(
      conn,
      `SELECT DATE '1969-12-31' AS D, TRUE AS B, 1.25::NUMBER(10,2) AS N, -7 AS I, 0.1::FLOAT AS F, NULL AS X,
              '1960-01-01 00:00:00.5'::TIMESTAMP_NTZ AS OLD_TS, TO_BINARY('ABCD', 'HEX') AS BIN,
              PARSE_JSON('[1, "two", null]') AS ARR, 'plain text' AS T`,
    );
    expect(row).toBeDefined();
    const r = row as Record<string, unknown>;
    expect(r.D).toBeInstanceOf(Date);
    expect((r.D as Date).toISOString()).toBe('1969-12-31T00:00:00.000Z');
    expect(r.B).toBe(true);
    expect(r.N).toBe(1.25);
    expect(r.I).toBe(-7);
    expect(r.F).toBe(0.1);
    expect(r.X).toBeNull();
    expect((r.OLD_TS as Date).toISOString()).toBe('1960-01-01T00:00:00.500Z');
    expect(Buffer.isBuffer(r.BIN)).toBe(true);
    expect((r.BIN as Buffer).toString('hex')).toBe('abcd');
    expect(r.ARR).toEqual([1, 'two', null]);
    expect(r.T).toBe('plain text');
  });

  it('answers a statement fakesnow cannot run with an error instead of a hang or a 500', async () => {
    await expect(sql(conn, 'SELECT ARRAY_CONSTRUCT(1, 2) AS A')).rejects.toThrow(/Unsupported feature in the local Snowflake stand-in/);
    await expect(sql(conn, 'SELECT * FROM NO_SUCH_TABLE_' + suffix)).rejects.toThrow(/does not exist/);
  });

  it('reports a wrong passphrase clearly, without key material', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const err: unknown = await connectSnowflake(env, { username: user, privateKeyPath: key.file, privateKeyPass: wrong }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain(key.file);
    expect(message).toMatch(/wrong passphrase/);
    const everything = `${message}\n${String((err as Error).stack)}\n${JSON.stringify(err)}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(key.passphrase);
    expect(everything).not.toMatch(/PRIVATE KEY/);
    for (const line of readFileSync(key.file, 'utf8').split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'))) {
      expect(everything).not.toContain(line);
    }
  });
});
