/**
 * Snowflake pane rows: raw and extracted counts, stream backlog and staleness, task state,
 * schedule, countdown to the next run and the last result.
 */
import type { SnowflakeRow } from '../../store/selectors.js';
import type { Cell, Column, TableRow } from '../components/table/types.js';
import { formatCount, UNKNOWN } from '../format/numbers.js';
import { taskLook, taskRunLook } from '../format/states.js';
import { formatAge, formatCountdown } from '../format/time.js';
import { GLYPH } from '../theme/symbols.js';

export const SNOWFLAKE_COLUMNS: readonly Column[] = [
  { header: 'TOPIC', min: 12, max: 32, flex: 2 },
  { header: 'RAW', min: 7, align: 'right', priority: 3 },
  { header: 'EXTRACTED', min: 9, align: 'right', priority: 3 },
  { header: 'STREAM', min: 12, priority: 2 },
  { header: 'TASK', min: 11, priority: 2 },
  { header: 'SCHEDULE', min: 9, priority: 0 },
  { header: 'NEXT RUN', min: 9, priority: 1 },
  { header: 'LAST RUN', min: 16, max: 28, flex: 1, priority: 1 },
];

/** Backlog with the age of its count (it comes from the slow, warehouse-bound poll), or staleness. */
export function streamCell(r: SnowflakeRow, now: number): Cell {
  if (r.streamName === undefined) return { text: 'no stream', role: 'idle' };
  if (r.streamStale) return { text: `${GLYPH.error} STALE`, role: 'error' };
  if (r.streamBacklog !== undefined) {
    const age = r.streamBacklogAt === undefined ? '' : ` (${formatAge(r.streamBacklogAt, now)})`;
    return { text: `${formatCount(r.streamBacklog)}${age}`, role: r.streamBacklog > 0 ? 'warn' : undefined };
  }
  if (r.streamHasData === true) return { text: `${GLYPH.warn} has data`, role: 'warn' };
  if (r.streamHasData === false) return { text: 'empty' };
  return { text: UNKNOWN };
}

export function snowflakeRows(rows: readonly SnowflakeRow[], now: number): TableRow[] {
  return rows.map((r) => {
    const task = taskLook(r.taskName === undefined ? undefined : r.taskState);
    const last = taskRunLook(r.lastRun?.state);
    const lastAt = r.lastRun ? ` ${formatAge(r.lastRun.at, now)}` : '';
    const next = r.taskState === 'started' ? formatCountdown(r.nextRunAt, now) : UNKNOWN;
    return {
      key: r.topic,
      filterText: `${r.topic} ${r.rawTable} ${r.extractedTable} ${r.taskName ?? ''}`,
      cells: [
        { text: r.topic },
        { text: formatCount(r.rawRows) },
        { text: formatCount(r.extractedRows) },
        streamCell(r, now),
        { text: `${task.glyph} ${task.word}`, role: task.role },
        { text: r.taskSchedule ?? UNKNOWN, role: 'muted' },
        { text: next },
        { text: `${last.glyph} ${last.word}${lastAt}`, role: last.role },
      ],
    };
  });
}
