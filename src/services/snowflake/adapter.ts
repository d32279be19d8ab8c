/**
 * The Snowflake adapter.
 *
 * metadata() — the normal cadence, never wakes a warehouse: SHOW TABLES (row counts from the
 * `rows` column), SHOW STREAMS (stale, stale_after, mode), SHOW TASKS (state, schedule,
 * condition, last_suspended_reason). A table SHOW reports with 0 rows is counted exactly with
 * SELECT COUNT(*) (answered from metadata, no warehouse): on real Snowflake that costs a query
 * only while a table is really empty; on the local stand-in, whose SHOW TABLES always says 0,
 * it is what gives true counts.
 *
 * backlog() — the slow cadence, WAKES A WAREHOUSE: SELECT COUNT(*) FROM each stream and
 * TASK_HISTORY (last run, next scheduled run). Only objects that SHOW lists are queried.
 *
 * A server that cannot run SHOW STREAMS / SHOW TASKS at all (the stand-in) leaves streams and
 * tasks undefined instead of failing the refresh; every other error fails the call.
 */
import type { ConnectionOptions } from 'snowflake-sdk';
import type { Secret } from '../../config/secret.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { SfpipeError } from '../../domain/errors.js';
import type { SnowflakeBacklog, SnowflakeSnapshot } from '../../domain/model.js';
import { canonicalIdentifier } from '../../sql/identifiers.js';
import { withTimeout } from '../timeout.js';
import type { CallOptions, IngestionHistoryOptions, IngestionMinute, SnowflakeService, TableRows, TaskHistoryOptions, TaskRun } from '../types.js';
import { readIngestionHistory, readLatestRows, readTaskHistory } from './details.js';
import type { SnowflakeDriver } from './driver.js';
import type { SnowflakeTopicObjects } from './objects.js';
import { showIn, streamBacklogs, tableCounts, taskCommand, taskHistory, type SchemaRef, type Statement, type TaskAction } from './queries.js';
import { counts, streamStates, tableRows, taskRuns, taskStates, topicBacklogs, topicStates, type Row, type TaskRuns } from './rows.js';
import { SnowflakeSession, type SessionStats } from './session.js';

export interface SnowflakeAdapterOptions {
  /** the driver's login options, built at each login (e.g. () => toConnectionOptions(conn)) */
  connectionOptions: () => ConnectionOptions;
  database: string;
  schema: string;
  /** used when the connection names none: warehouse-bound queries need one (setting it does not resume it) */
  warehouse?: string;
  topics: readonly SnowflakeTopicObjects[];
  clock?: Clock;
  /** per-call timeout when the caller gives none */
  timeoutMs?: number;
  /** named in errors about the key (never its content) */
  keyFile?: string;
  /** scrubbed from every error message */
  secrets?: Iterable<string | Secret | undefined>;
  /** default: snowflake-sdk on the process's driver thread (driverThread.ts) */
  driver?: SnowflakeDriver;
}

export interface SnowflakeAdapterStats extends SessionStats {
  /** listings this server cannot run (the local stand-in: streams, tasks) */
  unsupported: string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
type Listing = 'STREAMS' | 'TASKS';

export class SnowflakeAdapter implements SnowflakeService {
  private readonly session: SnowflakeSession;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly ref: SchemaRef;
  private readonly topics: readonly SnowflakeTopicObjects[];
  private readonly unsupported = new Set<Listing>();
  private closed = false;

  constructor(options: SnowflakeAdapterOptions) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.ref = { database: canonicalIdentifier(options.database, 'snowflake.database'), schema: canonicalIdentifier(options.schema, 'snowflake.schema') };
    this.topics = options.topics;
    const warehouse = options.warehouse;
    this.session = new SnowflakeSession({
      clock: this.clock,
      connectionOptions: () => {
        const o = options.connectionOptions();
        return warehouse && !o.warehouse ? { ...o, warehouse } : o;
      },
      ...(options.keyFile ? { keyFile: options.keyFile } : {}),
      ...(options.secrets ? { secrets: [...options.secrets] } : {}),
      ...(options.driver ? { driver: options.driver } : {}),
    });
  }

  /** Logins, reconnects, cancellations and statements by cost: for tests and benchmarks. */
  stats(): SnowflakeAdapterStats {
    return { ...this.session.counters(), unsupported: [...this.unsupported] };
  }

  metadata(opts: CallOptions = {}): Promise<SnowflakeSnapshot> {
    return this.call('Snowflake metadata', opts, async (q) => {
      // One statement at a time: cheap SHOWs, and servers may refuse concurrent statements on a session (the stand-in does).
      const tables = await q(showIn(this.ref, 'TABLES'));
      const streams = await this.listing('STREAMS', q);
      const tasks = await this.listing('TASKS', q);
      const rows = tableRows(tables);
      // SHOW TABLES says 0 for a new table and always on the stand-in: count those exactly.
      const toCount = this.topics.flatMap((t) => [t.rawTable, t.extractedTable]).filter((name, i, all) => rows.has(name) && !rows.get(name) && all.indexOf(name) === i);
      if (toCount.length > 0) for (const [name, n] of counts(await q(tableCounts(this.ref, toCount)))) rows.set(name, n);
      return {
        database: this.ref.database,
        schema: this.ref.schema,
        topics: topicStates(this.topics, rows, streams && streamStates(streams), tasks && taskStates(tasks)),
      };
    });
  }

  backlog(opts: CallOptions = {}): Promise<SnowflakeBacklog> {
    return this.call('Snowflake backlog', opts, async (q) => {
      const streams = await this.listing('STREAMS', q);
      const tasks = await this.listing('TASKS', q);
      const shownStreams = new Set(streamStates(streams ?? []).keys());
      const shownTasks = new Set(taskStates(tasks ?? []).keys());
      const withStream = this.topics.map((t) => t.stream).filter((s) => shownStreams.has(s));
      const withTask = this.topics.map((t) => t.task).filter((t) => shownTasks.has(t));
      const backlogs = withStream.length > 0 ? counts(await q(streamBacklogs(this.ref, withStream))) : new Map<string, number>();
      const runs = withTask.length > 0 ? taskRuns(await q(taskHistory(this.ref, withTask))) : new Map<string, TaskRuns>();
      return { at: this.clock.now(), topics: topicBacklogs(this.topics, backlogs, runs) };
    });
  }

  suspendTask(name: string, opts: CallOptions = {}): Promise<void> {
    return this.taskAction(name, 'SUSPEND', opts);
  }

  resumeTask(name: string, opts: CallOptions = {}): Promise<void> {
    return this.taskAction(name, 'RESUME', opts);
  }

  executeTask(name: string, opts: CallOptions = {}): Promise<void> {
    return this.taskAction(name, 'EXECUTE', opts);
  }

  /** On demand only (the details view): wakes a warehouse. Statements in details.ts. */
  latestRows(table: string, count: number, opts: CallOptions = {}): Promise<TableRows> {
    return this.call(`latest rows of ${table}`, opts, (q) => readLatestRows(q, this.ref, table, count));
  }

  ingestionHistory(table: string, opts: IngestionHistoryOptions): Promise<IngestionMinute[]> {
    return this.call(`ingestion history of ${table}`, opts, (q) => readIngestionHistory(q, this.ref, table, opts.since, opts.limit));
  }

  taskHistory(task: string, opts: TaskHistoryOptions = {}): Promise<TaskRun[]> {
    return this.call(`history of task ${task}`, opts, (q) => readTaskHistory(q, this.ref, task, opts.limit));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.session.close();
  }

  // ---- plumbing ------------------------------------------------------------------------

  private taskAction(name: string, action: TaskAction, opts: CallOptions): Promise<void> {
    let statement: Statement;
    try {
      statement = taskCommand(this.ref, name, action);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.call(statement.what, opts, async (q) => {
      await q(statement);
    });
  }

  /** SHOW STREAMS / SHOW TASKS, or undefined when this server cannot list them (remembered). */
  private async listing(kind: Listing, q: (s: Statement) => Promise<Row[]>): Promise<Row[] | undefined> {
    if (this.unsupported.has(kind)) return undefined;
    try {
      return await q(showIn(this.ref, kind));
    } catch (err) {
      // 'unsupported' is what errors.ts makes of isUnsupportedStatement codes
      if (!(err instanceof SfpipeError && err.kind === 'unsupported')) throw err;
      this.unsupported.add(kind);
      return undefined;
    }
  }

  private call<T>(what: string, opts: CallOptions, work: (q: (s: Statement) => Promise<Row[]>) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new SfpipeError('internal', 'snowflake', `${what}: the Snowflake adapter is closed`));
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const deadline = this.clock.now() + timeoutMs;
    return withTimeout((signal) => work((statement) => this.session.query(statement, signal, deadline)), {
      timeoutMs,
      clock: this.clock,
      source: 'snowflake',
      what,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }
}

export function createSnowflakeService(options: SnowflakeAdapterOptions): SnowflakeAdapter {
  return new SnowflakeAdapter(options);
}
