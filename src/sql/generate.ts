/**
 * Generates the five scripts in sql/ from the topic catalog (src/domain/topics.ts), so the
 * views, extracted tables, procedures, tasks, monitoring queries and cleanup always name the
 * same objects and columns. `npx tsx scripts/gen-sql.ts` writes the files; a unit test fails
 * when the committed files differ from this output. The SELECTs are exported for the
 * monitoring code and the tests.
 */
import { CREATE_TIME_COLUMN, TASK_SCHEDULE, TOPICS, type ExtractedColumn, type TopicSpec } from '../domain/topics.js';
import { tableVariable, variableRef } from './variables.js';

export const SQL_SCRIPT_NAMES = ['01-setup.sql', '02-views.sql', '03-streams-and-tasks.sql', '04-monitor.sql', '05-cleanup.sql'] as const;
export type SqlScriptName = (typeof SQL_SCRIPT_NAMES)[number];

const v = variableRef;
const DB = v('database');
const SCHEMA_REF = `${v('database')}.${v('schema')}`;
const INDENT = '    ';

/** The raw table of a topic as the scripts write it: its variable. */
export const rawTableRef = (spec: TopicSpec): string => v(tableVariable(spec.topic));

/** A name fully qualified with the database and schema variables. */
export const inSchema = (name: string): string => `${SCHEMA_REF}.${name}`;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `RECORD_CONTENT:address:city::STRING` — the typed value of one extracted column. */
export function columnExpression(column: ExtractedColumn): string {
  const path = column.path.map((p) => (PLAIN_KEY.test(p) ? p : `"${p.replace(/"/g, '""')}"`)).join(':');
  return `RECORD_CONTENT:${path}::${column.type}`;
}

/** Select list shared by the view and the extraction: CREATE_TIME, then every column of the topic. */
export function selectList(spec: TopicSpec): string[] {
  return [`${CREATE_TIME_COLUMN.expression} AS ${CREATE_TIME_COLUMN.name}`, ...spec.columns.map((c) => `${columnExpression(c)} AS ${c.name}`)];
}

/** Column names of `<TOPIC>_EXTRACTED` and `<TOPIC>_VW`, in order. */
export function outputColumns(spec: TopicSpec): string[] {
  return [CREATE_TIME_COLUMN.name, ...spec.columns.map((c) => c.name)];
}

const indentLines = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : by + l))
    .join('\n');

/** The view's SELECT over a raw table (no trailing `;`). `from` is SQL: a quoted name or a variable. */
export function viewSelect(spec: TopicSpec, from: string = rawTableRef(spec)): string {
  return `SELECT\n${selectList(spec).map((s) => INDENT + s).join(',\n')}\nFROM ${from}`;
}

/** The extraction SELECT: new rows of the stream (or anything shaped like it). */
export function extractionSelect(spec: TopicSpec, from: string = spec.stream): string {
  return `${viewSelect(spec, from)}\nWHERE METADATA$ACTION = 'INSERT'`;
}

/** The statement each task's procedure runs (no trailing `;`). */
export function extractionInsert(spec: TopicSpec, from: string = spec.stream, into: string = spec.extractedTable): string {
  return `INSERT INTO ${into} (${outputColumns(spec).join(', ')})\n${extractionSelect(spec, from)}`;
}

/** DDL of `<TOPIC>_EXTRACTED`; IF NOT EXISTS so a re-run keeps what was extracted. */
export function extractedTableDdl(spec: TopicSpec): string {
  const cols = [`${CREATE_TIME_COLUMN.name} ${CREATE_TIME_COLUMN.type}`, ...spec.columns.map((c) => `${c.name} ${c.type}`)];
  return `CREATE TABLE IF NOT EXISTS ${spec.extractedTable} (\n${cols.map((c) => INDENT + c).join(',\n')}\n)`;
}

/** The raw table as the sink connector makes it (schematization off), created empty if missing. */
export function rawTableDdl(spec: TopicSpec, name: string = rawTableRef(spec)): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)`;
}

export function viewDdl(spec: TopicSpec): string {
  return `CREATE OR REPLACE SECURE VIEW ${spec.view} COPY GRANTS AS\n${viewSelect(spec)}`;
}

export function streamDdl(spec: TopicSpec): string {
  return `CREATE STREAM IF NOT EXISTS ${spec.stream} ON TABLE ${rawTableRef(spec)} APPEND_ONLY = TRUE`;
}

/** One procedure per topic, generated: static SQL with the topic's own columns (see sql/README.md). */
export function procedureDdl(spec: TopicSpec): string {
  return [
    `CREATE OR REPLACE PROCEDURE ${spec.procedure}()`,
    `${INDENT}RETURNS STRING`,
    `${INDENT}LANGUAGE SQL`,
    `${INDENT}EXECUTE AS OWNER`,
    'AS',
    '$$',
    'BEGIN',
    `${indentLines(extractionInsert(spec), INDENT)};`,
    `${INDENT}RETURN '${spec.extractedTable}: ' || SQLROWCOUNT || ' rows inserted';`,
    'END;',
    '$$',
  ].join('\n');
}

export function taskDdl(spec: TopicSpec): string {
  return [
    `CREATE OR REPLACE TASK ${spec.task}`,
    `${INDENT}WAREHOUSE = ${v('task_warehouse')}`,
    `${INDENT}SCHEDULE = '${TASK_SCHEDULE}'`,
    `${INDENT}WHEN SYSTEM$STREAM_HAS_DATA('${spec.stream}')`,
    'AS',
    `${INDENT}CALL ${spec.procedure}()`,
  ].join('\n');
}

// ---- monitoring --------------------------------------------------------------

export interface MonitorQuery {
  id: 'tables' | 'streams' | 'tasks' | 'task-next-runs' | 'task-last-runs' | 'streams-have-data' | 'records-in-transit';
  title: string;
  /** does running it resume a warehouse (and bill credits)? */
  warehouse: 'no' | 'yes' | 'unconfirmed';
  /** with &{…} variables, names fully qualified; no trailing `;` */
  sql: string;
}

const taskHistory = (args: string) => `TABLE(${DB}.INFORMATION_SCHEMA.TASK_HISTORY(${args}))`;

/** The queries of 04-monitor.sql, as data for the monitoring code. */
export function monitorQueries(topics: readonly TopicSpec[] = TOPICS): MonitorQuery[] {
  return [
    { id: 'tables', title: 'Raw and extracted tables with their row counts (rows column)', warehouse: 'no', sql: `SHOW TABLES IN SCHEMA ${SCHEMA_REF}` },
    { id: 'streams', title: 'Stream health: stale, stale_after, mode', warehouse: 'no', sql: `SHOW STREAMS IN SCHEMA ${SCHEMA_REF}` },
    { id: 'tasks', title: 'Task state (started/suspended), schedule, condition, last_suspended_reason', warehouse: 'no', sql: `SHOW TASKS IN SCHEMA ${SCHEMA_REF}` },
    {
      id: 'task-next-runs',
      title: 'When each task runs next',
      warehouse: 'yes',
      sql: [
        'SELECT NAME, SCHEDULED_TIME, TIMESTAMPDIFF(SECOND, CURRENT_TIMESTAMP(), SCHEDULED_TIME) AS SECONDS_TO_NEXT_RUN',
        `FROM ${taskHistory('RESULT_LIMIT => 100')}`,
        "WHERE STATE = 'SCHEDULED'",
        'ORDER BY SCHEDULED_TIME',
      ].join('\n'),
    },
    {
      id: 'task-last-runs',
      title: 'Task runs of the last hour: state, error, what the procedure returned',
      warehouse: 'yes',
      sql: [
        'SELECT NAME, STATE, SCHEDULED_TIME, COMPLETED_TIME, ERROR_CODE, ERROR_MESSAGE, RETURN_VALUE',
        `FROM ${taskHistory('SCHEDULED_TIME_RANGE_START => DATEADD(HOUR, -1, CURRENT_TIMESTAMP()), RESULT_LIMIT => 1000')}`,
        "WHERE STATE <> 'SCHEDULED'",
        'ORDER BY SCHEDULED_TIME DESC',
      ].join('\n'),
    },
    {
      id: 'streams-have-data',
      title: 'Does each stream hold unextracted rows? (false positives possible, no false negatives)',
      warehouse: 'unconfirmed',
      sql: `SELECT\n${topics.map((t) => `${INDENT}SYSTEM$STREAM_HAS_DATA('${inSchema(t.stream)}') AS ${t.rawTable}`).join(',\n')}`,
    },
    {
      id: 'records-in-transit',
      title: 'Rows per topic: raw, waiting in the stream, extracted (the stream count does not consume it)',
      warehouse: 'yes',
      sql: topics
        .map((t) =>
          [
            `SELECT '${t.topic}' AS TOPIC,`,
            `${INDENT}(SELECT COUNT(*) FROM ${SCHEMA_REF}.${rawTableRef(t)}) AS RAW_ROWS,`,
            `${INDENT}(SELECT COUNT(*) FROM ${inSchema(t.stream)}) AS STREAM_ROWS,`,
            `${INDENT}(SELECT COUNT(*) FROM ${inSchema(t.extractedTable)}) AS EXTRACTED_ROWS`,
          ].join('\n'),
        )
        .join('\nUNION ALL\n'),
    },
  ];
}

const WAREHOUSE_MARK: Record<MonitorQuery['warehouse'], string> = {
  no: '[no warehouse] answered from metadata',
  yes: '[warehouse] resumes the admin warehouse and bills credits',
  unconfirmed: '[warehouse?] may resume the admin warehouse (not confirmed either way)',
};

// ---- the scripts -------------------------------------------------------------

const GENERATED = [
  '-- GENERATED by scripts/gen-sql.ts from src/domain/topics.ts and src/sql/generate.ts.',
  '-- Do not edit here: change those, then run  npx tsx scripts/gen-sql.ts',
  '-- How to run it by hand (SnowSQL or Snowsight) and what each variable means: sql/README.md.',
];

function header(title: string[], variables: string[]): string {
  return [...title.map((l) => `-- ${l}`), '--', ...GENERATED, `-- Variables: ${variables.join(', ')}.`, ''].join('\n');
}

const stmt = (sql: string) => `${sql};`;
const comment = (...lines: string[]) => lines.map((l) => `-- ${l}`).join('\n');
const topicBanner = (spec: TopicSpec) => `-- ---- ${spec.topic} ${'-'.repeat(Math.max(4, 70 - spec.topic.length))}`;
const tableVariables = (topics: readonly TopicSpec[]) => topics.map((t) => tableVariable(t.topic));

function setupScript(): string {
  const warehouse = (name: string, purpose: string) =>
    stmt(
      [
        `CREATE WAREHOUSE IF NOT EXISTS ${v(name)}`,
        `${INDENT}WAREHOUSE_SIZE = 'XSMALL'`,
        `${INDENT}AUTO_SUSPEND = 60`,
        `${INDENT}AUTO_RESUME = TRUE`,
        `${INDENT}INITIALLY_SUSPENDED = TRUE`,
        `${INDENT}COMMENT = 'sfpipe: ${purpose}'`,
      ].join('\n'),
    );
  return [
    header(
      [
        'sfpipe quickstart 1/5: database, schema, warehouses, role, key-pair user, grants.',
        'Run as a user holding ACCOUNTADMIN (it switches to SYSADMIN, USERADMIN and',
        'SECURITYADMIN for each step and uses ACCOUNTADMIN only for EXECUTE TASK).',
        'Safe to re-run: everything is IF NOT EXISTS, nothing is replaced or dropped.',
      ],
      ['database', 'schema', 'admin_warehouse', 'task_warehouse', 'role', 'user', 'public_key'],
    ),
    comment('Database and schema hold the raw and extracted data: never replaced on a re-run.'),
    stmt('USE ROLE SYSADMIN'),
    stmt(`CREATE DATABASE IF NOT EXISTS ${v('database')}\n${INDENT}COMMENT = 'sfpipe: Kafka to Snowflake continuous data pipeline'`),
    stmt(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA_REF}`),
    '',
    comment('Warehouses: XSMALL, created suspended, suspended again after 60 s without queries.'),
    warehouse('admin_warehouse', 'ad-hoc and monitoring queries'),
    warehouse('task_warehouse', 'extraction tasks'),
    '',
    comment(
      'The role owns what the connector and scripts 02-03 create. It rolls up to SYSADMIN so',
      'administrators can manage those objects (no grant to a user that may not exist).',
    ),
    stmt('USE ROLE USERADMIN'),
    stmt(`CREATE ROLE IF NOT EXISTS ${v('role')}\n${INDENT}COMMENT = 'sfpipe: Kafka connector and pipeline objects'`),
    stmt(`GRANT ROLE ${v('role')} TO ROLE SYSADMIN`),
    '',
    comment(
      'Key-pair only: a SERVICE user has no password and cannot sign in interactively.',
      'The settings are applied with ALTER so a re-run converges an existing user, and',
      'installs a new public key (from keys/rsa_key.pub) when the pair was regenerated.',
    ),
    stmt(`CREATE USER IF NOT EXISTS ${v('user')}\n${INDENT}TYPE = SERVICE\n${INDENT}COMMENT = 'sfpipe: Kafka connector and sfpipe monitoring'`),
    stmt(
      [
        `ALTER USER ${v('user')} SET`,
        `${INDENT}TYPE = SERVICE`,
        `${INDENT}DEFAULT_ROLE = ${v('role')}`,
        `${INDENT}DEFAULT_WAREHOUSE = ${v('admin_warehouse')}`,
        `${INDENT}RSA_PUBLIC_KEY = '${v('public_key')}'`,
      ].join('\n'),
    ),
    stmt(`GRANT ROLE ${v('role')} TO USER ${v('user')}`),
    '',
    comment(
      'Least privilege: use of the database, schema and warehouses; creating tables, stages',
      'and pipes (the connector) and views, streams, procedures and tasks (scripts 02-03).',
    ),
    stmt('USE ROLE SECURITYADMIN'),
    stmt(`GRANT USAGE ON DATABASE ${v('database')} TO ROLE ${v('role')}`),
    stmt(`GRANT USAGE ON SCHEMA ${SCHEMA_REF} TO ROLE ${v('role')}`),
    stmt(
      `GRANT CREATE TABLE, CREATE STAGE, CREATE PIPE, CREATE VIEW, CREATE STREAM, CREATE PROCEDURE, CREATE TASK\n${INDENT}ON SCHEMA ${SCHEMA_REF} TO ROLE ${v('role')}`,
    ),
    stmt(`GRANT USAGE ON WAREHOUSE ${v('admin_warehouse')} TO ROLE ${v('role')}`),
    stmt(`GRANT USAGE ON WAREHOUSE ${v('task_warehouse')} TO ROLE ${v('role')}`),
    '',
    comment('Tasks run only when their owner may execute tasks; only ACCOUNTADMIN can grant that.'),
    stmt('USE ROLE ACCOUNTADMIN'),
    stmt(`GRANT EXECUTE TASK ON ACCOUNT TO ROLE ${v('role')}`),
    '',
  ].join('\n');
}

function viewsScript(topics: readonly TopicSpec[]): string {
  return [
    header(
      [
        'sfpipe quickstart 2/5: one secure view per topic that reads the Avro records of the raw',
        'table as typed columns, on the fly. Run as the pipeline role; needs no warehouse.',
        'Safe to re-run: views hold no data and keep their grants (COPY GRANTS).',
      ],
      ['role', 'database', 'schema', ...tableVariables(topics)],
    ),
    stmt(`USE ROLE ${v('role')}`),
    stmt(`USE SCHEMA ${SCHEMA_REF}`),
    ...topics.flatMap((t) => [
      '',
      topicBanner(t),
      comment('The connector creates the raw table with its first record; creating it empty here lets', 'the view exist before data flows. IF NOT EXISTS: never touches existing rows.'),
      stmt(rawTableDdl(t)),
      stmt(viewDdl(t)),
    ]),
    '',
  ].join('\n');
}

function streamsAndTasksScript(topics: readonly TopicSpec[]): string {
  return [
    header(
      [
        'sfpipe quickstart 3/5: per topic a stream on the raw table, the extracted table, the',
        'procedure that moves new rows from the stream into it, and a task that calls the',
        'procedure every minute when the stream has data; then the tasks are resumed.',
        'Run as the pipeline role; needs no warehouse (the tasks use the task warehouse).',
        'Safe to re-run: tables and streams are IF NOT EXISTS (replacing a stream would lose',
        'rows not yet extracted); procedures and tasks hold no data and are replaced.',
      ],
      ['role', 'database', 'schema', 'task_warehouse', ...tableVariables(topics)],
    ),
    stmt(`USE ROLE ${v('role')}`),
    stmt(`USE SCHEMA ${SCHEMA_REF}`),
    ...topics.flatMap((t) => [
      '',
      topicBanner(t),
      stmt(rawTableDdl(t)),
      comment('Append-only: the connector only inserts, and such a stream is cheaper to read.'),
      stmt(streamDdl(t)),
      stmt(extractedTableDdl(t)),
      comment('Errors are not caught: a failed run shows as FAILED in TASK_HISTORY.'),
      stmt(procedureDdl(t)),
      stmt(taskDdl(t)),
    ]),
    '',
    comment('Tasks are created suspended; start them last, once everything they call exists.'),
    ...topics.map((t) => stmt(`ALTER TASK ${t.task} RESUME`)),
    '',
  ].join('\n');
}

function monitorScript(topics: readonly TopicSpec[]): string {
  return [
    header(
      [
        'sfpipe quickstart 4/5: monitoring queries. Each is marked with what it costs:',
        '  [no warehouse]  answered from metadata, free to poll',
        '  [warehouse]     resumes the admin warehouse: run on demand, not in a tight loop',
        '  [warehouse?]    not confirmed either way; treat it as [warehouse]',
        'sfpipe polls the [no warehouse] ones often and the others rarely or on demand.',
      ],
      ['role', 'admin_warehouse', 'database', 'schema', ...tableVariables(topics)],
    ),
    stmt(`USE ROLE ${v('role')}`),
    comment('Selecting a warehouse does not resume it; only the [warehouse] queries do.'),
    stmt(`USE WAREHOUSE ${v('admin_warehouse')}`),
    stmt(`USE SCHEMA ${SCHEMA_REF}`),
    ...monitorQueries(topics).flatMap((q) => ['', comment(`${q.title}`, WAREHOUSE_MARK[q.warehouse]), stmt(q.sql)]),
    '',
  ].join('\n');
}

function cleanupScript(topics: readonly TopicSpec[]): string {
  return [
    header(
      [
        'sfpipe quickstart 5/5: remove everything the kit created: tasks (suspended first),',
        'the database with all its data, both warehouses, the user and the role.',
        'DESTRUCTIVE. Run as a user holding SYSADMIN and USERADMIN (e.g. ACCOUNTADMIN).',
        'Safe to re-run: every step is IF EXISTS.',
      ],
      ['database', 'schema', 'admin_warehouse', 'task_warehouse', 'user', 'role'],
    ),
    comment(
      'SYSADMIN owns the database and warehouses and holds the pipeline role, so it can stop',
      'and drop the tasks. The tasks go first so none starts while the rest disappears. In a',
      'block so that a re-run, with the database already gone, is not an error.',
    ),
    stmt('USE ROLE SYSADMIN'),
    stmt(
      [
        'EXECUTE IMMEDIATE $$',
        'BEGIN',
        ...topics.map((t) => `${INDENT}ALTER TASK IF EXISTS ${inSchema(t.task)} SUSPEND;`),
        ...topics.map((t) => `${INDENT}DROP TASK IF EXISTS ${inSchema(t.task)};`),
        `${INDENT}RETURN 'tasks suspended and dropped';`,
        'EXCEPTION',
        `${INDENT}WHEN STATEMENT_ERROR THEN`,
        `${INDENT}${INDENT}RETURN 'tasks not dropped (' || SQLERRM || '); DROP DATABASE removes them';`,
        'END;',
        '$$',
      ].join('\n'),
    ),
    stmt(`DROP DATABASE IF EXISTS ${v('database')}`),
    stmt(`DROP WAREHOUSE IF EXISTS ${v('admin_warehouse')}`),
    stmt(`DROP WAREHOUSE IF EXISTS ${v('task_warehouse')}`),
    '',
    stmt('USE ROLE USERADMIN'),
    stmt(`DROP USER IF EXISTS ${v('user')}`),
    stmt(`DROP ROLE IF EXISTS ${v('role')}`),
    '',
  ].join('\n');
}

/** The content of every script in sql/, generated from the catalog. */
export function generateSqlScripts(topics: readonly TopicSpec[] = TOPICS): Record<SqlScriptName, string> {
  return {
    '01-setup.sql': setupScript(),
    '02-views.sql': viewsScript(topics),
    '03-streams-and-tasks.sql': streamsAndTasksScript(topics),
    '04-monitor.sql': monitorScript(topics),
    '05-cleanup.sql': cleanupScript(topics),
  };
}
