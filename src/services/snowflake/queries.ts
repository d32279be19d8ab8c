/**
 * The statements the Snowflake adapter runs, each with what it costs. Every name goes in
 * through src/sql/identifiers.ts (validated, double-quoted, upper-case), every literal
 * through quoteString, so no configured name can change a statement.
 *
 *   SHOW TABLES / STREAMS / TASKS   metadata: no warehouse
 *   SELECT COUNT(*) FROM <table>    metadata-answered on real Snowflake (no WHERE): no warehouse
 *   SELECT COUNT(*) FROM <stream>   WAKES THE WAREHOUSE (a stream has no metadata count)
 *   TASK_HISTORY(…)                 WAKES THE WAREHOUSE (treated so; Snowflake does not say)
 */
import { canonicalIdentifier, qualifiedName, quoteIdentifier, quoteString } from '../../sql/identifiers.js';

export interface SchemaRef {
  database: string;
  schema: string;
}

export type StatementCost = 'metadata' | 'warehouse';

export interface Statement {
  sql: string;
  cost: StatementCost;
  /** for error messages: "SHOW STREAMS" */
  what: string;
}

const schemaOf = (ref: SchemaRef): string =>
  qualifiedName(
    [
      [ref.database, 'snowflake.database'],
      [ref.schema, 'snowflake.schema'],
    ],
    'snowflake',
  );

const objectIn = (ref: SchemaRef, name: string, field: string): string => `${schemaOf(ref)}.${quoteIdentifier(name, field, 'snowflake')}`;

export function showIn(ref: SchemaRef, kind: 'TABLES' | 'STREAMS' | 'TASKS'): Statement {
  return { sql: `SHOW ${kind} IN SCHEMA ${schemaOf(ref)}`, cost: 'metadata', what: `SHOW ${kind}` };
}

/** One row per object: NAME (the canonical name), N (COUNT(*)). */
function countEach(ref: SchemaRef, names: readonly string[], field: string): string {
  return names.map((n) => `SELECT ${quoteString(canonicalIdentifier(n, field, 'snowflake'))} AS NAME, COUNT(*) AS N FROM ${objectIn(ref, n, field)}`).join('\nUNION ALL\n');
}

/** Exact row counts of tables, for when SHOW TABLES reports 0 (a new table, or a server that does not keep the count). */
export function tableCounts(ref: SchemaRef, tables: readonly string[]): Statement {
  return { sql: countEach(ref, tables, 'table'), cost: 'metadata', what: 'count table rows' };
}

/** Rows waiting in each stream (counting does not consume them). */
export function streamBacklogs(ref: SchemaRef, streams: readonly string[]): Statement {
  return { sql: countEach(ref, streams, 'stream'), cost: 'warehouse', what: 'count stream backlogs' };
}

/**
 * Per task, its most recent run that is not merely scheduled and its next scheduled run
 * (the last day; TASK_HISTORY keeps 7). QUALIFY keeps the answer to two rows per task.
 */
export function taskHistory(ref: SchemaRef, tasks: readonly string[]): Statement {
  const database = quoteIdentifier(ref.database, 'snowflake.database', 'snowflake');
  const names = tasks.map((t) => quoteString(canonicalIdentifier(t, 'task', 'snowflake'))).join(', ');
  return {
    sql: [
      'SELECT NAME, STATE, SCHEDULED_TIME, QUERY_START_TIME, COMPLETED_TIME, NEXT_SCHEDULED_TIME, ERROR_CODE, ERROR_MESSAGE',
      `FROM TABLE(${database}.INFORMATION_SCHEMA.TASK_HISTORY(SCHEDULED_TIME_RANGE_START => DATEADD(HOUR, -24, CURRENT_TIMESTAMP()), RESULT_LIMIT => 10000))`,
      `WHERE DATABASE_NAME = ${quoteString(canonicalIdentifier(ref.database, 'snowflake.database', 'snowflake'))}`,
      `  AND SCHEMA_NAME = ${quoteString(canonicalIdentifier(ref.schema, 'snowflake.schema', 'snowflake'))}`,
      `  AND NAME IN (${names})`,
      "QUALIFY ROW_NUMBER() OVER (PARTITION BY NAME, STATE = 'SCHEDULED' ORDER BY SCHEDULED_TIME DESC) = 1",
    ].join('\n'),
    cost: 'warehouse',
    what: 'TASK_HISTORY',
  };
}

export type TaskAction = 'SUSPEND' | 'RESUME' | 'EXECUTE';

/** ALTER TASK … SUSPEND|RESUME, or EXECUTE TASK (one run now, on the task's own warehouse). */
export function taskCommand(ref: SchemaRef, task: string, action: TaskAction): Statement {
  const name = objectIn(ref, task, 'task');
  return action === 'EXECUTE'
    ? { sql: `EXECUTE TASK ${name}`, cost: 'warehouse', what: `EXECUTE TASK ${canonicalIdentifier(task, 'task', 'snowflake')}` }
    : { sql: `ALTER TASK ${name} ${action}`, cost: 'metadata', what: `ALTER TASK ${canonicalIdentifier(task, 'task', 'snowflake')} ${action}` };
}
