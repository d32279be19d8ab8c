/**
 * Pipeline pane rows: the per-topic funnel produced → committed by the sink → raw → in the
 * stream → extracted, with the stage where records wait marked (◀, warn) and named.
 */
import type { FunnelStage, TopicFunnel } from '../../domain/model.js';
import type { Cell, Column, TableRow } from '../components/table/types.js';
import { formatCount } from '../format/numbers.js';
import { formatDuration } from '../format/time.js';
import { GLYPH, look, type StatusLook } from '../theme/symbols.js';

export const PIPELINE_COLUMNS: readonly Column[] = [
  { header: 'TOPIC', min: 12, max: 32, flex: 1 },
  { header: 'PRODUCED', min: 9, align: 'right', priority: 2 },
  { header: 'SINK', min: 9, align: 'right', priority: 2 },
  { header: 'RAW', min: 9, align: 'right', priority: 2 },
  { header: 'STREAM', min: 9, align: 'right', priority: 2 },
  { header: 'EXTRACTED', min: 9, align: 'right', priority: 2 },
  { header: 'WAITING AT', min: 14, max: 36, flex: 2, priority: 3 },
];

const STAGES: readonly FunnelStage[] = ['produced', 'sink', 'raw', 'stream', 'extracted'];

export function verdictLook(f: TopicFunnel, now: number): StatusLook {
  const v = f.verdict;
  switch (v.waitingAt) {
    case 'flowing':
      return look('ok', 'flowing');
    case 'idle':
      return look('idle', 'idle');
    case 'unknown':
      return look('unknown', 'unknown');
    default: {
      const n = v.waiting === undefined ? '' : ` ${formatCount(v.waiting)}`;
      const since = v.since === undefined ? '' : ` for ${formatDuration(now - v.since)}`;
      return look('warn', `${v.waitingAt}${n}${since}`, GLYPH.waiting);
    }
  }
}

export function funnelRows(funnels: readonly TopicFunnel[], now: number): TableRow[] {
  return funnels.map((f) => {
    const counts = [f.produced, f.committedBySink, f.rawRows, f.inStream, f.extractedRows];
    const stageCells: Cell[] = STAGES.map((stage, i) =>
      f.verdict.waitingAt === stage ? { text: `${GLYPH.waiting} ${formatCount(counts[i])}`, role: 'warn' } : { text: formatCount(counts[i]) },
    );
    const v = verdictLook(f, now);
    return {
      key: f.topic,
      filterText: `${f.topic} ${f.verdict.waitingAt}`,
      cells: [{ text: f.topic }, ...stageCells, { text: `${v.glyph} ${v.word}`, role: v.role }],
    };
  });
}
