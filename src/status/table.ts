/** The readable picture `sfpipe status` prints: sources with status and age, then topics with rate and verdict. */
import type { Secret } from '../config/secret.js';
import { formatCount, formatDuration, formatRate } from '../domain/format.js';
import { SOURCE_NAMES, type SourceName } from '../domain/model.js';
import { selectFunnels, selectSourceAge } from '../store/selectors.js';
import type { PipelineState } from '../store/state.js';
import { scrubText } from './json.js';

export interface StatusTableOptions {
  secrets?: Iterable<string | Secret | undefined>;
}

/** Left-aligned columns separated by two spaces; the last column is never padded. */
export function formatColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** flowing / idle / unknown as they are; a stage means records are stuck there. */
export function verdictLabel(waitingAt: string): string {
  return waitingAt === 'flowing' || waitingAt === 'idle' || waitingAt === 'unknown' ? waitingAt : 'WAITING';
}

const count = (n: number | undefined) => (n === undefined ? '-' : formatCount(n));

function sourceDetail(state: PipelineState, name: SourceName, secrets: (string | Secret | undefined)[]): string {
  const s = state.sources[name];
  if (s.status !== 'ok' && s.error) {
    const hint = s.error.hint ? ` — ${s.error.hint}` : '';
    return scrubText(s.status === 'unconfigured' ? `${s.error.message}${hint}` : `${s.error.kind}: ${s.error.message}${hint}`, secrets);
  }
  if (s.attemptedAt === undefined && s.status !== 'unconfigured') return 'no answer yet';
  switch (name) {
    case 'docker': {
      const cs = state.sources.docker.data ?? [];
      const running = cs.filter((c) => c.state === 'running').length;
      return `${cs.length} containers, ${running} running`;
    }
    case 'kafka': {
      const k = state.sources.kafka.data;
      return k ? `${k.brokers} broker${k.brokers === 1 ? '' : 's'}, ${k.topics.length} topics${k.sinkGroup ? `, sink group ${k.sinkGroup}` : ''}` : '';
    }
    case 'connect': {
      const cs = state.sources.connect.data ?? [];
      const failed = cs.filter((c) => c.state === 'FAILED' || c.tasks.some((t) => t.state === 'FAILED')).length;
      return `${cs.length} connectors${failed ? `, ${failed} failed` : ''}`;
    }
    case 'snowflake': {
      const sf = state.sources.snowflake.data;
      return sf ? `${sf.database}.${sf.schema}, ${sf.topics.length} topics` : '';
    }
  }
}

export function formatStatusTable(state: PipelineState, now: number, options: StatusTableOptions = {}): string {
  const secrets = [...(options.secrets ?? [])];
  const sourceRows = [['SOURCE', 'STATUS', 'AGE', 'DETAIL']];
  for (const name of SOURCE_NAMES) {
    const age = selectSourceAge(state, name, now);
    sourceRows.push([name, state.sources[name].status, age === undefined ? '-' : formatDuration(age), sourceDetail(state, name, secrets)]);
  }
  const funnels = selectFunnels(state, now);
  const lines = formatColumns(sourceRows);
  lines.push('');
  if (funnels.length === 0) {
    lines.push('no topics known yet');
  } else {
    const topicRows = [['TOPIC', 'MSG/S', 'PRODUCED', 'SINK LAG', 'RAW', 'STREAM', 'EXTRACTED', 'VERDICT']];
    for (const f of funnels) {
      const rate = state.rates[f.topic]?.perSecond;
      topicRows.push([
        f.topic,
        rate === undefined ? '-' : formatRate(rate),
        count(f.produced),
        count(f.sinkLag),
        count(f.rawRows),
        count(f.inStream),
        count(f.extractedRows),
        `${verdictLabel(f.verdict.waitingAt)}: ${scrubText(f.verdict.explanation, secrets)}`,
      ]);
    }
    lines.push(...formatColumns(topicRows));
  }
  return `${lines.join('\n')}\n`;
}
