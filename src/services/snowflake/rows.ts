/**
 * Result rows → the Snowflake model, as pure functions. Column names are Snowflake's
 * documented ones: SHOW output is lower case (name, rows, stale, stale_after, mode, state,
 * schedule, condition, last_suspended_reason …), TASK_HISTORY upper case (NAME, STATE,
 * SCHEDULED_TIME …); lookups ignore case so either works. Values arrive as the driver decodes
 * them (numbers, 'true'/'false' text, Date for timestamps) and are read leniently: a value
 * that cannot be read becomes undefined, never a wrong number.
 */
import type { SnowflakeStream, SnowflakeTask, SnowflakeTopicBacklog, SnowflakeTopicState, TaskRunState } from '../../domain/model.js';
import type { SnowflakeTopicObjects } from './objects.js';

export type Row = Record<string, unknown>;

export function cell(row: Row, column: string): unknown {
  if (column in row) return row[column];
  const wanted = column.toLowerCase();
  for (const [k, v] of Object.entries(row)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = (typeof v === 'string' ? v : String(v)).trim();
  return s === '' ? undefined : s;
}

export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

export function asBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  const s = asText(v)?.toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/** Epoch ms from a driver Date, epoch ms, or a timestamp text Date.parse understands. */
export function asEpochMs(v: unknown): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = asText(v);
  if (!s) return undefined;
  // "2024-05-01 12:00:00.000 -0700" → ISO-ish for Date.parse
  const iso = s.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?([+-]\d{2}):?(\d{2})$/, '$1T$2$3:$4');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

const byName = <T>(rows: readonly Row[], map: (row: Row, name: string) => T): Map<string, T> => {
  const out = new Map<string, T>();
  for (const row of rows) {
    const name = asText(cell(row, 'name'));
    if (name !== undefined) out.set(name, map(row, name));
  }
  return out;
};

/** SHOW TABLES → name → `rows` (undefined when not a readable number). */
export function tableRows(rows: readonly Row[]): Map<string, number | undefined> {
  return byName(rows, (row) => asNumber(cell(row, 'rows')));
}

/** SHOW STREAMS → name → stream health. Backlog and has-data come from other queries. */
export function streamStates(rows: readonly Row[]): Map<string, SnowflakeStream> {
  return byName(rows, (row, name) => ({
    name,
    stale: asBool(cell(row, 'stale')) ?? false,
    staleAfter: asEpochMs(cell(row, 'stale_after')),
    mode: asText(cell(row, 'mode')),
    hasData: undefined,
    backlog: undefined,
    backlogAt: undefined,
  }));
}

/** SHOW TASKS → name → task state. Runs come from TASK_HISTORY (the slow poll). */
export function taskStates(rows: readonly Row[]): Map<string, SnowflakeTask> {
  return byName(rows, (row, name) => ({
    name,
    state: asText(cell(row, 'state'))?.toLowerCase() ?? 'unknown',
    schedule: asText(cell(row, 'schedule')),
    condition: asText(cell(row, 'condition')),
    lastSuspendedReason: asText(cell(row, 'last_suspended_reason')),
    lastRun: undefined,
    nextRunAt: undefined,
  }));
}

/** The COUNT queries (NAME, N) → name → count. */
export function counts(rows: readonly Row[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) {
    const name = asText(cell(row, 'NAME'));
    const n = asNumber(cell(row, 'N'));
    if (name !== undefined && n !== undefined) out.set(name, n);
  }
  return out;
}

export interface TaskRuns {
  lastRun: { state: TaskRunState; at: number; error: string | undefined } | undefined;
  nextRunAt: number | undefined;
}

/**
 * TASK_HISTORY rows → per task its latest run that is not merely SCHEDULED (when it
 * completed, or started, or was scheduled — whichever is known first in that order) and its
 * next run: the earliest SCHEDULED row, else the latest run's NEXT_SCHEDULED_TIME.
 */
export function taskRuns(rows: readonly Row[]): Map<string, TaskRuns> {
  const out = new Map<string, TaskRuns & { lastScheduled: number; announcedNext: number | undefined }>();
  for (const row of rows) {
    const name = asText(cell(row, 'NAME'));
    const state = asText(cell(row, 'STATE'))?.toUpperCase();
    const scheduled = asEpochMs(cell(row, 'SCHEDULED_TIME'));
    if (name === undefined || state === undefined || scheduled === undefined) continue;
    const entry = out.get(name) ?? { lastRun: undefined, nextRunAt: undefined, lastScheduled: -Infinity, announcedNext: undefined };
    if (state === 'SCHEDULED') {
      entry.nextRunAt = entry.nextRunAt === undefined ? scheduled : Math.min(entry.nextRunAt, scheduled);
    } else if (scheduled > entry.lastScheduled) {
      entry.announcedNext = asEpochMs(cell(row, 'NEXT_SCHEDULED_TIME'));
      const code = asText(cell(row, 'ERROR_CODE'));
      const message = asText(cell(row, 'ERROR_MESSAGE'));
      const at = asEpochMs(cell(row, 'COMPLETED_TIME')) ?? asEpochMs(cell(row, 'QUERY_START_TIME')) ?? scheduled;
      entry.lastRun = { state, at, error: message ? (code ? `${code}: ${message}` : message) : code };
      entry.lastScheduled = scheduled;
    }
    out.set(name, entry);
  }
  return new Map([...out].map(([name, { lastRun, nextRunAt, announcedNext }]) => [name, { lastRun, nextRunAt: nextRunAt ?? announcedNext }]));
}

/**
 * The per-topic picture from what the metadata queries found. A table that does not exist has
 * no row count (undefined, not 0); streams and tasks are undefined when the server could not
 * list them at all.
 */
export function topicStates(
  objects: readonly SnowflakeTopicObjects[],
  tables: ReadonlyMap<string, number | undefined>,
  streams: ReadonlyMap<string, SnowflakeStream> | undefined,
  tasks: ReadonlyMap<string, SnowflakeTask> | undefined,
): SnowflakeTopicState[] {
  return objects.map((o) => ({
    topic: o.topic,
    rawTable: o.rawTable,
    rawRows: tables.get(o.rawTable),
    extractedTable: o.extractedTable,
    extractedRows: tables.get(o.extractedTable),
    stream: streams?.get(o.stream),
    task: tasks?.get(o.task),
  }));
}

export function topicBacklogs(objects: readonly SnowflakeTopicObjects[], backlogs: ReadonlyMap<string, number>, runs: ReadonlyMap<string, TaskRuns>): SnowflakeTopicBacklog[] {
  return objects.map((o) => {
    const r = runs.get(o.task);
    return { topic: o.topic, streamBacklog: backlogs.get(o.stream), lastRun: r?.lastRun, nextRunAt: r?.nextRunAt };
  });
}
