import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import type { SqlRunner } from '../../services/types.js';
import { splitStatements } from '../../sql/splitter.js';
import { defaultVariableValues } from '../../sql/variables.js';
import { describeObject, probeObjects, scriptObjects, showFor } from './objects.js';
import { prepareScript } from './script.js';

const sql = (name: string) => fileURLToPath(new URL(`../../../sql/${name}`, import.meta.url));
const VALUES = defaultVariableValues();

describe('scriptObjects on the shipped scripts', () => {
  it('01 creates the database, schema, warehouses, role and user', async () => {
    const s = await prepareScript(sql('01-setup.sql'), VALUES, undefined);
    expect(scriptObjects(s.statements, s.file).map(describeObject)).toEqual([
      'database KAFKA_DB',
      'schema KAFKA_DB.PUBLIC',
      'warehouse KAFKA_ADMIN_WAREHOUSE',
      'warehouse KAFKA_TASK_WH',
      'role KAFKA_CONNECTOR_ROLE',
      'user KAFKA_DEMO',
    ]);
  });

  it('03 resolves unqualified names against USE SCHEMA: per topic a table, stream, table, procedure, task', async () => {
    const s = await prepareScript(sql('03-streams-and-tasks.sql'), VALUES, undefined);
    const objects = scriptObjects(s.statements, s.file);
    expect(objects).toHaveLength(6 * 5);
    expect(objects.slice(0, 5).map(describeObject)).toEqual([
      'table KAFKA_DB.PUBLIC.PAGEVIEWS',
      'stream KAFKA_DB.PUBLIC.STREAM_PAGEVIEWS',
      'table KAFKA_DB.PUBLIC.PAGEVIEWS_EXTRACTED',
      'procedure KAFKA_DB.PUBLIC.SP_EXTRACT_AVRO_PAGEVIEWS',
      'task KAFKA_DB.PUBLIC.TASK_EXTRACT_AVRO_FROM_PAGEVIEWS',
    ]);
    expect(objects[0]!.at).toMatch(/03-streams-and-tasks\.sql:\d+$/);
  });

  it('05 drops the database, the warehouses, the user and the role (task drops sit in a block)', async () => {
    const s = await prepareScript(sql('05-cleanup.sql'), VALUES, undefined);
    const objects = scriptObjects(s.statements, s.file);
    expect(objects.every((o) => o.verb === 'drop')).toBe(true);
    expect(objects.map(describeObject)).toEqual(['database KAFKA_DB', 'warehouse KAFKA_ADMIN_WAREHOUSE', 'warehouse KAFKA_TASK_WH', 'user KAFKA_DEMO', 'role KAFKA_CONNECTOR_ROLE']);
  });

  it('skips an object whose schema the script never names', () => {
    expect(scriptObjects(splitStatements('CREATE TABLE T (A INT);'), 'x.sql')).toEqual([]);
    expect(scriptObjects(splitStatements('USE DATABASE "D"; CREATE SCHEMA s; CREATE TABLE s.t (a int)'), 'x.sql').map(describeObject)).toEqual(['schema D.S', 'table D.S.T']);
  });
});

describe('probeObjects', () => {
  const objects = scriptObjects(splitStatements('CREATE DATABASE IF NOT EXISTS "DB"; USE SCHEMA "DB"."S"; CREATE TABLE IF NOT EXISTS T1 (a int); CREATE OR REPLACE SECURE VIEW V1 AS SELECT 1; CREATE ROLE IF NOT EXISTS R'), 'x.sql');

  function runner(answers: Record<string, Record<string, unknown>[] | Error>): SqlRunner & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      run: async (statement) => {
        asked.push(statement);
        const a = answers[statement];
        if (a instanceof Error) throw a;
        return a ?? [];
      },
      close: async () => undefined,
    };
  }

  it('asks one SHOW per kind and container and compares names exactly', async () => {
    const r = runner({
      'SHOW DATABASES': [{ name: 'DB' }, { name: 'OTHER' }],
      'SHOW TABLES IN SCHEMA "DB"."S"': [{ name: 'T1_OLD' }],
      'SHOW VIEWS IN SCHEMA "DB"."S"': [{ name: 'V1' }],
      'SHOW ROLES': new SfpipeError('invalid-input', 'snowflake', 'Snowflake error 001003 (42000): syntax error'),
    });
    const probe = await probeObjects(r, objects);
    expect(r.asked.sort()).toEqual(['SHOW DATABASES', 'SHOW ROLES', 'SHOW TABLES IN SCHEMA "DB"."S"', 'SHOW VIEWS IN SCHEMA "DB"."S"']);
    expect(probe.present.map(describeObject)).toEqual(['database DB', 'view DB.S.V1']);
    expect(probe.absent.map(describeObject)).toEqual(['table DB.S.T1']);
    expect(probe.unknown.map((u) => describeObject(u.object))).toEqual(['role R']);
  });

  it('a container that does not exist means its objects do not either', async () => {
    const r = runner({ 'SHOW TABLES IN SCHEMA "DB"."S"': new SfpipeError('not-found', 'snowflake', "Snowflake error 002003 (02000): Database 'DB' does not exist or not authorized.") });
    const table = objects.find((o) => o.kind === 'TABLE')!;
    expect(showFor(table)).toBe('SHOW TABLES IN SCHEMA "DB"."S"');
    expect((await probeObjects(r, [table])).absent).toEqual([table]);
  });
});
