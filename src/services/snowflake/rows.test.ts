/**
 * The mapping of Snowflake result rows, on rows shaped like Snowflake's documented output
 * (SHOW TABLES / SHOW STREAMS / SHOW TASKS columns in lower case, TASK_HISTORY in upper case)
 * with values as snowflake-sdk decodes them: numbers, 'true'/'false' text, Date timestamps.
 */
import { describe, expect, it } from 'vitest';
import { topicObjects } from './objects.js';
import { asEpochMs, counts, streamStates, tableRows, taskRuns, taskStates, topicBacklogs, topicStates, type Row } from './rows.js';

const at = (iso: string) => new Date(iso);

// https://docs.snowflake.com/en/sql-reference/sql/show-tables (output columns)
const showTablesRow = (name: string, rows: number | null): Row => ({
  created_on: at('2025-01-10T09:00:00Z'),
  name,
  database_name: 'KAFKA_DB',
  schema_name: 'PUBLIC',
  kind: 'TABLE',
  comment: '',
  cluster_by: '',
  rows,
  bytes: rows === null ? null : rows * 512,
  owner: 'KAFKA_CONNECTOR_ROLE',
  retention_time: '1',
  automatic_clustering: 'OFF',
  change_tracking: 'ON',
  is_external: 'N',
  enable_schema_evolution: 'N',
  owner_role_type: 'ROLE',
  is_event: 'N',
  budget: null,
  is_hybrid: 'N',
  is_iceberg: 'N',
  is_dynamic: 'N',
});

// https://docs.snowflake.com/en/sql-reference/sql/show-streams
const showStreamsRow = (name: string, table: string, stale: string, staleAfter: Date, mode = 'APPEND_ONLY'): Row => ({
  created_on: at('2025-01-10T09:05:00Z'),
  name,
  database_name: 'KAFKA_DB',
  schema_name: 'PUBLIC',
  owner: 'KAFKA_CONNECTOR_ROLE',
  comment: '',
  table_name: `KAFKA_DB.PUBLIC.${table}`,
  source_type: 'Table',
  base_tables: `KAFKA_DB.PUBLIC.${table}`,
  type: 'DELTA',
  stale,
  mode,
  stale_after: staleAfter,
  invalid_reason: 'N/A',
  owner_role_type: 'ROLE',
});

// https://docs.snowflake.com/en/sql-reference/sql/show-tasks
const showTasksRow = (name: string, state: string, lastSuspendedReason: string | null): Row => ({
  created_on: at('2025-01-10T09:06:00Z'),
  name,
  id: '01b2c3d4-0000-0000-0000-000000000001',
  database_name: 'KAFKA_DB',
  schema_name: 'PUBLIC',
  owner: 'KAFKA_CONNECTOR_ROLE',
  comment: '',
  warehouse: 'KAFKA_TASK_WH',
  schedule: '1 minute',
  predecessors: '[]',
  state,
  definition: 'CALL SP_EXTRACT_AVRO_ORDERS()',
  condition: "SYSTEM$STREAM_HAS_DATA('STREAM_ORDERS')",
  allow_overlapping_execution: 'false',
  error_integration: 'null',
  last_committed_on: null,
  last_suspended_on: state === 'suspended' ? at('2025-01-11T10:00:00Z') : null,
  owner_role_type: 'ROLE',
  config: null,
  budget: null,
  task_relations: '{"Predecessors":[]}',
  last_suspended_reason: lastSuspendedReason,
});

// https://docs.snowflake.com/en/sql-reference/functions/task_history (the columns sfpipe selects)
const historyRow = (name: string, state: string, scheduled: string, extra: Partial<Record<string, unknown>> = {}): Row => ({
  NAME: name,
  STATE: state,
  SCHEDULED_TIME: at(scheduled),
  QUERY_START_TIME: null,
  COMPLETED_TIME: null,
  NEXT_SCHEDULED_TIME: null,
  ERROR_CODE: null,
  ERROR_MESSAGE: null,
  ...extra,
});

describe('SHOW TABLES rows', () => {
  it('reads the rows column per table; an unreadable count is unknown, not 0', () => {
    const rows = tableRows([showTablesRow('ORDERS', 1200), showTablesRow('ORDERS_EXTRACTED', 0), showTablesRow('USERS', null)]);
    expect([...rows]).toEqual([
      ['ORDERS', 1200],
      ['ORDERS_EXTRACTED', 0],
      ['USERS', undefined],
    ]);
  });
});

describe('SHOW STREAMS rows', () => {
  it('maps stale (text), stale_after (timestamp) and mode', () => {
    const streams = streamStates([
      showStreamsRow('STREAM_ORDERS', 'ORDERS', 'false', at('2025-01-24T09:05:00Z')),
      showStreamsRow('STREAM_USERS', 'USERS', 'true', at('2025-01-12T00:00:00Z'), 'DEFAULT'),
    ]);
    expect(streams.get('STREAM_ORDERS')).toEqual({
      name: 'STREAM_ORDERS',
      stale: false,
      staleAfter: Date.parse('2025-01-24T09:05:00Z'),
      mode: 'APPEND_ONLY',
      hasData: undefined,
      backlog: undefined,
      backlogAt: undefined,
    });
    expect(streams.get('STREAM_USERS')).toMatchObject({ stale: true, mode: 'DEFAULT', staleAfter: Date.parse('2025-01-12T00:00:00Z') });
  });
});

describe('SHOW TASKS rows', () => {
  it('maps state, schedule, condition and last_suspended_reason', () => {
    const tasks = taskStates([showTasksRow('TASK_EXTRACT_AVRO_FROM_ORDERS', 'started', null), showTasksRow('TASK_EXTRACT_AVRO_FROM_USERS', 'suspended', 'SUSPENDED_DUE_TO_ERRORS')]);
    expect(tasks.get('TASK_EXTRACT_AVRO_FROM_ORDERS')).toEqual({
      name: 'TASK_EXTRACT_AVRO_FROM_ORDERS',
      state: 'started',
      schedule: '1 minute',
      condition: "SYSTEM$STREAM_HAS_DATA('STREAM_ORDERS')",
      lastSuspendedReason: undefined,
      lastRun: undefined,
      nextRunAt: undefined,
    });
    expect(tasks.get('TASK_EXTRACT_AVRO_FROM_USERS')).toMatchObject({ state: 'suspended', lastSuspendedReason: 'SUSPENDED_DUE_TO_ERRORS' });
  });
});

describe('TASK_HISTORY rows', () => {
  it('takes the latest finished run and the next scheduled one per task', () => {
    const runs = taskRuns([
      historyRow('TASK_EXTRACT_AVRO_FROM_ORDERS', 'SCHEDULED', '2025-01-11T10:03:00Z'),
      historyRow('TASK_EXTRACT_AVRO_FROM_ORDERS', 'SUCCEEDED', '2025-01-11T10:02:00Z', {
        QUERY_START_TIME: at('2025-01-11T10:02:01Z'),
        COMPLETED_TIME: at('2025-01-11T10:02:04Z'),
      }),
      historyRow('TASK_EXTRACT_AVRO_FROM_ORDERS', 'FAILED', '2025-01-11T10:01:00Z', { ERROR_CODE: '100038', ERROR_MESSAGE: 'Numeric value is not recognized' }),
      historyRow('TASK_EXTRACT_AVRO_FROM_USERS', 'FAILED', '2025-01-11T09:00:00Z', {
        COMPLETED_TIME: at('2025-01-11T09:00:03Z'),
        ERROR_CODE: '002003',
        ERROR_MESSAGE: "SQL compilation error: Object 'STREAM_USERS' does not exist or not authorized.",
      }),
      historyRow('TASK_EXTRACT_AVRO_FROM_RATINGS', 'SKIPPED', '2025-01-11T10:02:00Z', { NEXT_SCHEDULED_TIME: at('2025-01-11T10:03:00Z') }),
    ]);
    expect(runs.get('TASK_EXTRACT_AVRO_FROM_ORDERS')).toEqual({
      lastRun: { state: 'SUCCEEDED', at: Date.parse('2025-01-11T10:02:04Z'), error: undefined },
      nextRunAt: Date.parse('2025-01-11T10:03:00Z'),
    });
    expect(runs.get('TASK_EXTRACT_AVRO_FROM_USERS')).toEqual({
      lastRun: { state: 'FAILED', at: Date.parse('2025-01-11T09:00:03Z'), error: "002003: SQL compilation error: Object 'STREAM_USERS' does not exist or not authorized." },
      nextRunAt: undefined,
    });
    // no SCHEDULED row: the run announced its successor
    expect(runs.get('TASK_EXTRACT_AVRO_FROM_RATINGS')).toEqual({
      lastRun: { state: 'SKIPPED', at: Date.parse('2025-01-11T10:02:00Z'), error: undefined },
      nextRunAt: Date.parse('2025-01-11T10:03:00Z'),
    });
  });
});

describe('per topic', () => {
  const objects = topicObjects(['orders', 'users', 'my.topic']);

  it('names the objects from the catalog, and by the same rule for other topics', () => {
    expect(objects[0]).toEqual({ topic: 'orders', rawTable: 'ORDERS', extractedTable: 'ORDERS_EXTRACTED', stream: 'STREAM_ORDERS', task: 'TASK_EXTRACT_AVRO_FROM_ORDERS' });
    expect(objects[2]).toMatchObject({ rawTable: 'MY_TOPIC', stream: 'STREAM_MY_TOPIC' });
  });

  it('puts counts, streams and tasks together; missing objects stay undefined', () => {
    const tables = tableRows([showTablesRow('ORDERS', 50), showTablesRow('ORDERS_EXTRACTED', 40)]);
    const streams = streamStates([showStreamsRow('STREAM_ORDERS', 'ORDERS', 'false', at('2025-01-24T09:05:00Z'))]);
    const tasks = taskStates([showTasksRow('TASK_EXTRACT_AVRO_FROM_ORDERS', 'started', null)]);
    const [orders, users] = topicStates(objects, tables, streams, tasks);
    expect(orders).toMatchObject({ topic: 'orders', rawTable: 'ORDERS', rawRows: 50, extractedTable: 'ORDERS_EXTRACTED', extractedRows: 40 });
    expect(orders!.stream?.name).toBe('STREAM_ORDERS');
    expect(orders!.task?.state).toBe('started');
    expect(users).toEqual({ topic: 'users', rawTable: 'USERS', rawRows: undefined, extractedTable: 'USERS_EXTRACTED', extractedRows: undefined, stream: undefined, task: undefined });
    // a server that cannot list streams or tasks
    expect(topicStates(objects, tables, undefined, undefined)[0]).toMatchObject({ rawRows: 50, stream: undefined, task: undefined });
  });

  it('backlogs come from the stream counts and the task history', () => {
    const backlog = topicBacklogs(objects, counts([{ NAME: 'STREAM_ORDERS', N: 12 }]), taskRuns([historyRow('TASK_EXTRACT_AVRO_FROM_ORDERS', 'SCHEDULED', '2025-01-11T10:03:00Z')]));
    expect(backlog[0]).toEqual({ topic: 'orders', streamBacklog: 12, lastRun: undefined, nextRunAt: Date.parse('2025-01-11T10:03:00Z') });
    expect(backlog[1]).toEqual({ topic: 'users', streamBacklog: undefined, lastRun: undefined, nextRunAt: undefined });
  });
});

describe('values', () => {
  it('reads timestamps as the driver or a text result gives them', () => {
    expect(asEpochMs(at('2025-01-11T10:03:00Z'))).toBe(Date.parse('2025-01-11T10:03:00Z'));
    expect(asEpochMs('2025-01-11 10:03:00.000 -0700')).toBe(Date.parse('2025-01-11T17:03:00Z'));
    expect(asEpochMs('not a time')).toBeUndefined();
    expect(asEpochMs(null)).toBeUndefined();
  });
});
