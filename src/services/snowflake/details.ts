/**
 * What the console's details view asks of Snowflake, on demand only: a raw table's latest rows,
 * its rows ingested per minute, and one task's history. All WAKE A WAREHOUSE (an ORDER BY or
 * GROUP BY over a table is not answered from metadata; TASK_HISTORY is treated so), which is why
 * nothing polls them.
 *
 * Statements and result parsing are pure; the adapter runs them through its one session
 * (adapter.ts: latestRows, ingestionHistory, taskHistory). Names go in through src/sql/identifiers.ts like every
 * other statement, so a table or task name cannot change what is run.
 */
import { SfpipeError } from '../../domain/errors.js';
import { canonicalIdentifier, qualifiedName, quoteString } from '../../sql/identifiers.js';
import type { IngestionMinute, TableRows, TaskRun } from '../types.js';
import type { SchemaRef, Statement } from './queries.js';
import { asEpochMs, asNumber, asText, cell, type Row } from './rows.js';

/** Most rows or runs one details call may ask for: enough to read, little enough to show. */
export const MAX_DETAIL_ROWS = 1_000;
export const DEFAULT_TASK_RUNS = 20;
export const DEFAULT_INGESTION_MINUTES = 10;
/** TASK_HISTORY's RESULT_LIMIT applies before the WHERE on schema: leave room for same-named tasks elsewhere. */
const HISTORY_SCAN_LIMIT = 1_000;

export function checkRowCount(count: unknown, what: string): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_DETAIL_ROWS) {
    throw new SfpipeError('invalid-input', 'snowflake', `${what}: asked for ${String(count)} rows`, { hint: `ask for a whole number from 1 to ${MAX_DETAIL_ROWS}` });
  }
  return count;
}

/**
 * The newest `count` rows of a raw table, newest first (the adapter turns them around).
 * Kafka's CreateTime orders records across partitions; the offset breaks ties within one.
 */
export function latestRowsStatement(ref: SchemaRef, table: string, count: number): Statement {
  const name = qualifiedName(
    [
      [ref.database, 'snowflake.database'],
      [ref.schema, 'snowflake.schema'],
      [table, 'table'],
    ],
    'snowflake',
  );
  return {
    sql: `SELECT * FROM ${name} ORDER BY RECORD_METADATA:CreateTime DESC NULLS LAST, RECORD_METADATA:offset DESC NULLS LAST LIMIT ${checkRowCount(count, `latest rows of ${table}`)}`,
    cost: 'warehouse',
    what: `latest rows of ${canonicalIdentifier(table, 'table', 'snowflake')}`,
  };
}

/**
 * Rows per minute of the records' Kafka CreateTime (when they were PRODUCED, not when Snowflake
 * stored them), the newest `limit` minutes since `since` (epoch ms), newest first. Read from the
 * raw table itself because that works for both connectors: COPY_HISTORY only covers v3's
 * Snowpipe, not Snowpipe Streaming (v4, or v3 with SNOWPIPE_STREAMING). Minutes are computed as
 * epoch-ms numbers, so neither the filter nor the buckets depend on the session's time zone.
 */
export function ingestionHistoryStatement(ref: SchemaRef, table: string, since: number, limit: number): Statement {
  const name = qualifiedName(
    [
      [ref.database, 'snowflake.database'],
      [ref.schema, 'snowflake.schema'],
      [table, 'table'],
    ],
    'snowflake',
  );
  if (!Number.isSafeInteger(since) || since < 0) {
    throw new SfpipeError('invalid-input', 'snowflake', `ingestion history of ${table}: since ${String(since)} is not a time`, { hint: 'pass whole epoch milliseconds' });
  }
  const createTime = 'RECORD_METADATA:CreateTime::NUMBER';
  return {
    sql: [
      `SELECT FLOOR(${createTime} / 60000) * 60000 AS MINUTE, COUNT(*) AS ROWS`,
      `FROM ${name}`,
      `WHERE ${createTime} >= ${since}`,
      'GROUP BY 1',
      'ORDER BY 1 DESC',
      `LIMIT ${checkRowCount(limit, `ingestion history of ${table}`)}`,
    ].join('\n'),
    cost: 'warehouse',
    what: `ingestion history of ${canonicalIdentifier(table, 'table', 'snowflake')}`,
  };
}

/** One task's runs of the last day in this schema, newest first (SCHEDULED, i.e. the next run, included). */
export function taskHistoryStatement(ref: SchemaRef, task: string, limit: number): Statement {
  const database = canonicalIdentifier(ref.database, 'snowflake.database', 'snowflake');
  const name = canonicalIdentifier(task, 'task', 'snowflake');
  return {
    sql: [
      'SELECT NAME, STATE, SCHEDULED_TIME, QUERY_START_TIME, COMPLETED_TIME, ERROR_CODE, ERROR_MESSAGE',
      `FROM TABLE("${database}".INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => ${quoteString(name)}, SCHEDULED_TIME_RANGE_START => DATEADD(HOUR, -24, CURRENT_TIMESTAMP()), RESULT_LIMIT => ${HISTORY_SCAN_LIMIT}))`,
      `WHERE DATABASE_NAME = ${quoteString(database)}`,
      `  AND SCHEMA_NAME = ${quoteString(canonicalIdentifier(ref.schema, 'snowflake.schema', 'snowflake'))}`,
      'ORDER BY SCHEDULED_TIME DESC',
      `LIMIT ${checkRowCount(limit, `history of task ${name}`)}`,
    ].join('\n'),
    cost: 'warehouse',
    what: `TASK_HISTORY of ${name}`,
  };
}

/** Driver rows (objects keyed by column) → columns in the server's order and rows oldest first. */
export function tableRowsOf(newestFirst: readonly Row[]): TableRows {
  const columns = newestFirst.length > 0 ? Object.keys(newestFirst[0]!) : [];
  const rows = [...newestFirst].reverse().map((row) => columns.map((c) => row[c]));
  return { columns, rows };
}

/** TASK_HISTORY rows → runs, in the order given; a row without a name, state or schedule is skipped. */
export function taskRunsOf(rows: readonly Row[]): TaskRun[] {
  const out: TaskRun[] = [];
  for (const row of rows) {
    const state = asText(cell(row, 'STATE'))?.toUpperCase();
    const scheduledAt = asEpochMs(cell(row, 'SCHEDULED_TIME'));
    if (state === undefined || scheduledAt === undefined) continue;
    const code = asText(cell(row, 'ERROR_CODE'));
    const message = asText(cell(row, 'ERROR_MESSAGE'));
    out.push({
      scheduledAt,
      state,
      startedAt: asEpochMs(cell(row, 'QUERY_START_TIME')),
      completedAt: asEpochMs(cell(row, 'COMPLETED_TIME')),
      error: message ? (code ? `${code}: ${message}` : message) : code,
    });
  }
  return out;
}

/** Per-minute rows, newest first → newest last; a row without a readable minute or count is skipped. */
export function ingestionMinutesOf(newestFirst: readonly Row[]): IngestionMinute[] {
  const out: IngestionMinute[] = [];
  for (const row of newestFirst) {
    const minute = asNumber(cell(row, 'MINUTE'));
    const rows = asNumber(cell(row, 'ROWS'));
    if (minute !== undefined && rows !== undefined) out.push({ minute, rows });
  }
  return out.reverse();
}

type Query = (statement: Statement) => Promise<Row[]>;

export async function readLatestRows(q: Query, ref: SchemaRef, table: string, count: number): Promise<TableRows> {
  return tableRowsOf(await q(latestRowsStatement(ref, table, count)));
}

export async function readIngestionHistory(q: Query, ref: SchemaRef, table: string, since: number, limit: number = DEFAULT_INGESTION_MINUTES): Promise<IngestionMinute[]> {
  return ingestionMinutesOf(await q(ingestionHistoryStatement(ref, table, since, limit)));
}

export async function readTaskHistory(q: Query, ref: SchemaRef, task: string, limit: number = DEFAULT_TASK_RUNS): Promise<TaskRun[]> {
  return taskRunsOf(await q(taskHistoryStatement(ref, task, limit)));
}
