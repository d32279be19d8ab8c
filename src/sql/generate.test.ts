import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOPICS, topicSpec, type TopicName } from '../domain/topics.js';
import { columnExpression, extractionInsert, generateSqlScripts, monitorQueries, selectList, SQL_SCRIPT_NAMES, type SqlScriptName } from './generate.js';
import { splitStatements } from './splitter.js';
import { defaultVariableValues, findVariables, SQL_VARIABLES, substituteVariables } from './variables.js';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const committed = (name: SqlScriptName) => readFileSync(`${SQL_DIR}${name}`, 'utf8');
const generated = generateSqlScripts();
const statements = (name: SqlScriptName) => splitStatements(generated[name], name).map((s) => s.text);
/** Whitespace-insensitive view of a statement, so checks do not depend on indentation. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

// Written out by hand, not derived from the catalog, so a misspelt name in the catalog fails here.
const UPPER: Record<TopicName, string> = {
  pageviews: 'PAGEVIEWS',
  orders: 'ORDERS',
  ratings: 'RATINGS',
  stock_trades: 'STOCK_TRADES',
  users: 'USERS',
  clickstream: 'CLICKSTREAM',
};

describe('the committed sql/ files', () => {
  it.each(SQL_SCRIPT_NAMES)('%s equals the generator output (run npx tsx scripts/gen-sql.ts)', (name) => {
    expect(committed(name)).toBe(generated[name]);
  });

  it.each(SQL_SCRIPT_NAMES)('%s splits, and substitutes cleanly with the defaults and a public key', (name) => {
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const text = substituteVariables(committed(name), { ...defaultVariableValues(), public_key: publicKey }, name);
    expect(text).not.toContain('&{');
    expect(splitStatements(text, name).length).toBe(splitStatements(committed(name), name).length);
  });

  it.each(SQL_SCRIPT_NAMES)('%s lists in its header exactly the variables it uses', (name) => {
    const used = new Set(findVariables(generated[name], name).map((u) => u.name));
    const header = /^-- Variables: (.*)\.$/m.exec(generated[name])?.[1]?.split(', ');
    expect(new Set(header)).toEqual(used);
    for (const v of used) expect(SQL_VARIABLES.map((x) => x.name)).toContain(v);
  });
});

describe('every topic gets its objects, with the right names', () => {
  it.each(TOPICS.map((t) => t.topic))('%s', (topic) => {
    const T = UPPER[topic];
    const raw = `&{${topic}_table}`;
    const views = statements('02-views.sql').map(flat);
    const three = statements('03-streams-and-tasks.sql').map(flat);
    const monitor = statements('04-monitor.sql').map(flat).join('\n');
    const cleanup = statements('05-cleanup.sql').map(flat).join('\n');
    const spec = topicSpec(topic);

    const rawDdl = `CREATE TABLE IF NOT EXISTS ${raw} (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)`;
    expect(views).toContain(rawDdl);
    expect(three).toContain(rawDdl);
    expect(views.filter((s) => s.startsWith(`CREATE OR REPLACE SECURE VIEW ${T}_VW COPY GRANTS AS SELECT `) && s.endsWith(` FROM ${raw}`))).toHaveLength(1);
    expect(three).toContain(`CREATE STREAM IF NOT EXISTS STREAM_${T} ON TABLE ${raw} APPEND_ONLY = TRUE`);
    expect(three.filter((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${T}_EXTRACTED ( CREATE_TIME TIMESTAMP_NTZ, `))).toHaveLength(1);

    const proc = three.filter((s) => s.startsWith(`CREATE OR REPLACE PROCEDURE SP_EXTRACT_AVRO_${T}() RETURNS STRING LANGUAGE SQL EXECUTE AS OWNER AS $$`));
    expect(proc).toHaveLength(1);
    expect(proc[0]).toContain(flat(`INSERT INTO ${T}_EXTRACTED (`));
    expect(proc[0]).toContain(flat(`FROM STREAM_${T} WHERE METADATA$ACTION = 'INSERT';`));
    expect(proc[0]).toContain(flat(extractionInsert(spec)));

    expect(three).toContain(
      `CREATE OR REPLACE TASK TASK_EXTRACT_AVRO_FROM_${T} WAREHOUSE = &{task_warehouse} SCHEDULE = '1 minute' WHEN SYSTEM$STREAM_HAS_DATA('STREAM_${T}') AS CALL SP_EXTRACT_AVRO_${T}()`,
    );
    // resumed only after every task and what it calls exist
    const resume = three.indexOf(`ALTER TASK TASK_EXTRACT_AVRO_FROM_${T} RESUME`);
    const lastCreate = Math.max(...three.map((s, i) => (/^CREATE /.test(s) ? i : -1)));
    expect(resume).toBeGreaterThan(lastCreate);

    expect(monitor).toContain(`SYSTEM$STREAM_HAS_DATA('&{database}.&{schema}.STREAM_${T}')`);
    expect(monitor).toContain(`(SELECT COUNT(*) FROM &{database}.&{schema}.STREAM_${T}) AS STREAM_ROWS`);
    expect(monitor).toContain(`(SELECT COUNT(*) FROM &{database}.&{schema}.${T}_EXTRACTED) AS EXTRACTED_ROWS`);
    expect(cleanup).toContain(`ALTER TASK IF EXISTS &{database}.&{schema}.TASK_EXTRACT_AVRO_FROM_${T} SUSPEND;`);
    expect(cleanup).toContain(`DROP TASK IF EXISTS &{database}.&{schema}.TASK_EXTRACT_AVRO_FROM_${T};`);
  });

  it('the extracted table, the view and the procedure use the catalog columns, in order', () => {
    for (const spec of TOPICS) {
      const ddl = statements('03-streams-and-tasks.sql').find((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${spec.extractedTable} (`)) as string;
      const declared = [...ddl.matchAll(/^\s+(\w+) (\w+),?$/gm)].map((m) => `${m[1]} ${m[2]}`);
      expect(declared).toEqual(['CREATE_TIME TIMESTAMP_NTZ', ...spec.columns.map((c) => `${c.name} ${c.type}`)]);
      const view = statements('02-views.sql').find((s) => s.startsWith(`CREATE OR REPLACE SECURE VIEW ${spec.view} `)) as string;
      expect(flat(view)).toContain(flat(selectList(spec).join(', ')));
    }
  });
});

describe('the original defects are gone', () => {
  const all = SQL_SCRIPT_NAMES.map((n) => generated[n]).join('\n');
  const allStatements = SQL_SCRIPT_NAMES.flatMap((n) => statements(n).map(flat));

  it('no password, only the public key', () => {
    for (const s of allStatements) expect(s).not.toMatch(/PASSWORD/i);
    expect(allStatements.filter((s) => s.includes('RSA_PUBLIC_KEY'))).toEqual([
      "ALTER USER &{user} SET TYPE = SERVICE DEFAULT_ROLE = &{role} DEFAULT_WAREHOUSE = &{admin_warehouse} RSA_PUBLIC_KEY = '&{public_key}'",
    ]);
  });

  it('nothing that holds data or grants is replaced; only views, procedures and tasks are', () => {
    const replaced = allStatements.filter((s) => s.startsWith('CREATE OR REPLACE')).map((s) => s.split(' ').slice(3, 5).join(' '));
    expect(new Set(replaced)).toEqual(new Set(['SECURE VIEW', ...TOPICS.map((t) => `PROCEDURE ${t.procedure}()`), ...TOPICS.map((t) => `TASK ${t.task}`)]));
    for (const s of allStatements.filter((x) => /^CREATE (DATABASE|SCHEMA|WAREHOUSE|ROLE|USER|TABLE|STREAM)\b/.test(x))) expect(s).toMatch(/^CREATE \w+ IF NOT EXISTS /);
  });

  it('no grant to a user the account may not have, and no ALL privileges', () => {
    expect(all).not.toMatch(/TO USER ADMIN/i);
    expect(all).not.toMatch(/GRANT ALL/i);
    expect(allStatements.filter((s) => s.startsWith('GRANT ROLE'))).toEqual(['GRANT ROLE &{role} TO ROLE SYSADMIN', 'GRANT ROLE &{role} TO USER &{user}']);
  });

  it('no misspelt task name: every task named anywhere is one of the catalog tasks', () => {
    const named = new Set([...all.matchAll(/TASK_EXTRACT_AVRO_FROM_\w+/g)].map((m) => m[0]));
    expect(named).toEqual(new Set(Object.values(UPPER).map((t) => `TASK_EXTRACT_AVRO_FROM_${t}`)));
    expect(all).not.toContain('CLICKSTRERAM');
  });

  it('every statement of every script ends with ; (the cleanup script lacked one)', () => {
    for (const name of SQL_SCRIPT_NAMES) {
      const text = generated[name];
      for (const s of splitStatements(text, name)) expect(text[s.offset + s.text.length], `${name}:${s.line}`).toBe(';');
    }
  });

  it('setup: XSMALL warehouses, auto-suspend 60, auto-resume, created suspended', () => {
    const whs = statements('01-setup.sql').map(flat).filter((s) => s.startsWith('CREATE WAREHOUSE'));
    expect(whs).toHaveLength(2);
    for (const w of whs) expect(w).toMatch(/WAREHOUSE_SIZE = 'XSMALL' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE/);
  });

  it('cleanup: re-runnable (IF EXISTS everywhere), tasks before the database, user before role', () => {
    const s = statements('05-cleanup.sql').map(flat);
    const order = ['EXECUTE IMMEDIATE', 'DROP DATABASE IF EXISTS &{database}', 'DROP WAREHOUSE IF EXISTS &{admin_warehouse}', 'DROP WAREHOUSE IF EXISTS &{task_warehouse}', 'DROP USER IF EXISTS &{user}', 'DROP ROLE IF EXISTS &{role}'];
    const at = order.map((o) => s.findIndex((x) => x.startsWith(o)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const x of s.filter((y) => /^(DROP|ALTER) /.test(y))) expect(x).toMatch(/ IF EXISTS /);
  });
});

describe('sql/README.md', () => {
  const readme = readFileSync(`${SQL_DIR}README.md`, 'utf8');

  it('documents every variable, and its SnowSQL example defines each at its default', () => {
    for (const v of SQL_VARIABLES) {
      if (!v.name.endsWith('_table')) expect(readme).toContain(`| \`${v.name}\` |`);
      if (v.defaultValue !== undefined) expect(readme).toMatch(new RegExp(`-D ${v.name}=${v.defaultValue}(\\s|$)`, 'm'));
    }
  });

  it('is right that the scripts hold no & besides their variables', () => {
    for (const name of SQL_SCRIPT_NAMES) expect(generated[name].replace(/&\{[a-z_]+\}/g, '')).not.toContain('&');
  });
});

describe('monitoring queries', () => {
  it('04-monitor.sql holds every query, each preceded by its warehouse mark', () => {
    const text = generated['04-monitor.sql'];
    const stmts = splitStatements(text, '04-monitor.sql');
    const queries = monitorQueries();
    const bodies = stmts.slice(3).map((s) => s.text);
    expect(bodies).toEqual(queries.map((q) => q.sql));
    const marks = { no: '[no warehouse]', yes: '[warehouse]', unconfirmed: '[warehouse?]' };
    stmts.slice(3).forEach((s, i) => {
      const before = text.slice(0, s.offset).trimEnd().split('\n').at(-1) ?? '';
      expect(before).toContain(marks[queries[i]!.warehouse]);
    });
  });

  it('only SHOW commands are marked free of a warehouse', () => {
    for (const q of monitorQueries()) expect(q.warehouse === 'no').toBe(q.sql.startsWith('SHOW '));
  });
});

describe('select expressions', () => {
  it('walk nested paths and cast to the column type', () => {
    const orders = topicSpec('orders');
    expect(columnExpression(orders.columns[2]!)).toBe('RECORD_CONTENT:address:zipcode::INT');
    expect(columnExpression({ name: 'X', path: ['a b', 'c"d'], type: 'STRING' })).toBe('RECORD_CONTENT:"a b":"c""d"::STRING');
    expect(selectList(orders)[0]).toBe("DATEADD(MS, RECORD_METADATA:CreateTime, '1970-01-01') AS CREATE_TIME");
    expect(selectList(orders)).toHaveLength(orders.columns.length + 1);
  });
});
