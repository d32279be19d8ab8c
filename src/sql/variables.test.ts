import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../domain/errors.js';
import { TOPICS } from '../domain/topics.js';
import { splitStatements } from './splitter.js';
import { defaultVariableValues, findVariables, normalizePublicKey, SQL_VARIABLES, substituteVariables, tableVariable } from './variables.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const BODY = PEM.replace(/-----[^-]+-----/g, '').replace(/\s/g, '');
const PRIVATE_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const values = { ...defaultVariableValues(), public_key: PEM };

function errorOf(fn: () => unknown): SfpipeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected an SfpipeError');
}

describe('variable catalog', () => {
  it('has the account objects, the public key and one raw table per topic, with defaults', () => {
    const names = SQL_VARIABLES.map((v) => v.name);
    expect(names).toEqual(['database', 'schema', 'role', 'user', 'admin_warehouse', 'task_warehouse', 'public_key', ...TOPICS.map((t) => `${t.topic}_table`)]);
    expect(defaultVariableValues()).toMatchObject({ database: 'KAFKA_DB', schema: 'PUBLIC', role: 'KAFKA_CONNECTOR_ROLE', user: 'KAFKA_DEMO', pageviews_table: 'PAGEVIEWS' });
    expect(defaultVariableValues()).not.toHaveProperty('public_key');
    expect(tableVariable('stock_trades')).toBe('stock_trades_table');
  });
});

describe('substituteVariables', () => {
  it('quotes identifiers in code and $$ bodies, and canonicalises case', () => {
    const sql = 'USE SCHEMA &{database}.&{schema};\nEXECUTE IMMEDIATE $$ BEGIN DROP TASK IF EXISTS &{database}.&{schema}.T; END; $$;';
    const out = substituteVariables(sql, { ...values, database: 'my_db' }, '05.sql');
    expect(out).toBe('USE SCHEMA "MY_DB"."PUBLIC";\nEXECUTE IMMEDIATE $$ BEGIN DROP TASK IF EXISTS "MY_DB"."PUBLIC".T; END; $$;');
  });

  it('puts an identifier inside a string as a quoted name, and the public key as its bare body', () => {
    const sql = "SELECT SYSTEM$STREAM_HAS_DATA('&{database}.&{schema}.S');\nALTER USER &{user} SET RSA_PUBLIC_KEY = '&{public_key}';";
    expect(substituteVariables(sql, values, '01.sql')).toBe(
      `SELECT SYSTEM$STREAM_HAS_DATA('"KAFKA_DB"."PUBLIC".S');\nALTER USER "KAFKA_DEMO" SET RSA_PUBLIC_KEY = '${BODY}';`,
    );
  });

  it('keeps line numbers: no substitution adds or removes a line', () => {
    const sql = "USE ROLE &{role};\n\nALTER USER &{user} SET RSA_PUBLIC_KEY = '&{public_key}';\nSELECT 1;";
    const out = substituteVariables(sql, values, 'f.sql');
    expect(splitStatements(out).map((s) => s.line)).toEqual([1, 3, 4]);
  });

  it.each([
    ['SELECT 1;\nUSE ROLE &{rol};', 'f.sql:2', 'unknown variable &{rol}'],
    ["SELECT 1;\n\nALTER USER X SET RSA_PUBLIC_KEY = '&{public_key}';", 'f.sql:3', 'has no value'],
    ['SELECT 1 & 2;', 'f.sql:1', "stray '&'"],
    ['USE ROLE &role;', 'f.sql:1', "stray '&'"],
    ['-- uses &{database}\nSELECT 1;', 'f.sql:1', 'in a comment'],
    ['SELECT "&{database}";', 'f.sql:1', 'quoted identifier'],
    ['CREATE STREAM STREAM_&{pageviews_table} ON TABLE T;', 'f.sql:1', 'glued'],
    ['CREATE TABLE &{database}X (A INT);', 'f.sql:1', 'glued'],
    ['ALTER USER X SET RSA_PUBLIC_KEY = &{public_key};', 'f.sql:1', "must be inside '…'"],
    ["SELECT 'unterminated &{database};", 'f.sql:1', 'unterminated'],
  ])('rejects %j at the right place', (sql, location, message) => {
    const v = sql.includes('RSA_PUBLIC_KEY = \'&{public_key}\'') ? defaultVariableValues() : values;
    const err = errorOf(() => substituteVariables(sql, v, 'f.sql'));
    expect(err.kind).toBe('invalid-input');
    expect(err.location).toBe(location);
    expect(err.message).toContain(message);
  });

  it('a plain & in a comment is prose and is left alone', () => {
    expect(substituteVariables('-- R&D\nSELECT 1;', values, 'f.sql')).toBe('-- R&D\nSELECT 1;');
  });

  it('rejects a bad identifier value, naming the variable and the line', () => {
    const err = errorOf(() => substituteVariables('SELECT 1;\nUSE DATABASE &{database};', { ...values, database: 'x"; DROP DATABASE PROD; --' }, 'f.sql'));
    expect(err.message).toContain('variable database');
    expect(err.location).toBe('f.sql:2');
  });

  it('property: no identifier value can add a statement or escape its quotes', () => {
    const plainName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,12}$/);
    const sql = 'USE DATABASE &{database};\nCREATE STREAM IF NOT EXISTS S ON TABLE &{pageviews_table} APPEND_ONLY = TRUE;';
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), plainName), fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), plainName), (db, table) => {
        let out: string;
        try {
          out = substituteVariables(sql, { ...values, database: db, pageviews_table: table }, 'p.sql');
        } catch (err) {
          expect(err).toBeInstanceOf(SfpipeError);
          return;
        }
        const stmts = splitStatements(out);
        expect(stmts.map((s) => s.text)).toEqual([`USE DATABASE "${db.toUpperCase()}"`, `CREATE STREAM IF NOT EXISTS S ON TABLE "${table.toUpperCase()}" APPEND_ONLY = TRUE`]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('normalizePublicKey', () => {
  it('accepts the PEM file or its body and returns the body', () => {
    expect(normalizePublicKey(PEM)).toBe(BODY);
    expect(normalizePublicKey(BODY)).toBe(BODY);
    expect(normalizePublicKey(`\n  ${PEM}  \n`)).toBe(BODY);
  });

  it('refuses a private key without ever echoing it', () => {
    const err = errorOf(() => normalizePublicKey(PRIVATE_PEM, 'variable public_key'));
    expect(err.message).toContain('private key');
    const everything = `${err.message} ${err.hint ?? ''} ${err.location ?? ''}`;
    const privateBody = PRIVATE_PEM.split('\n')[1] as string;
    expect(everything).not.toContain(privateBody.slice(0, 20));
  });

  it.each([
    ['not base64 at all!', 'not base64'],
    ['QUJD', 'not a DER'],
    ['', 'not base64'],
  ])('rejects %j', (value, why) => {
    const err = errorOf(() => normalizePublicKey(value));
    expect(err.kind).toBe('invalid-input');
    expect(err.message).toContain(why);
  });

  it('rejects a key that is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(errorOf(() => normalizePublicKey(ec)).message).toContain('a ec key');
  });
});

describe('findVariables', () => {
  it('lists each reference with its line and context', () => {
    const uses = findVariables("USE ROLE &{role};\nSELECT '&{database}';", 'f.sql');
    expect(uses.map(({ name, line, context }) => ({ name, line, context }))).toEqual([
      { name: 'role', line: 1, context: 'code' },
      { name: 'database', line: 2, context: 'string' },
    ]);
  });
});
