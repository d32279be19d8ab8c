/** Details as lines: pure functions from what the DetailsProvider (or the store) returned. */
import type { TopicFunnel } from '../../domain/model.js';
import type { Line } from '../components/ScrollView.js';
import { formatCount, UNKNOWN } from '../format/numbers.js';
import { plainLines, plainText } from '../format/plainText.js';
import { connectorStateLook, taskRunLook } from '../format/states.js';
import { formatClock, formatDuration } from '../format/time.js';
import { GLYPH } from '../theme/symbols.js';
import { redactConfig } from './redact.js';
import type { ConnectorDetails, TableDetails, TopicDetails } from './types.js';

const section = (text: string): Line => ({ text, role: 'accent', bold: true });
const blank: Line = { text: '' };
const indent = (lines: string[], by = '    '): Line[] => lines.map((text) => ({ text: by + text }));

export function containerLogLines(lines: readonly string[]): Line[] {
  if (lines.length === 0) return [{ text: 'The container has written no log lines.', role: 'muted' }];
  return lines.flatMap((l) => plainLines(l)).map((text) => ({ text }));
}

export function connectorLines(d: ConnectorDetails): Line[] {
  const state = connectorStateLook(d.state);
  const out: Line[] = [{ text: `${state.glyph} ${d.name}: ${state.word}`, role: state.role }];
  if (d.trace) out.push(...indent(plainLines(d.trace)).map((l) => ({ ...l, role: 'error' as const })));
  out.push(blank, section('Tasks'));
  if (d.tasks.length === 0) out.push({ text: '  no tasks', role: 'warn' });
  for (const t of d.tasks) {
    const l = connectorStateLook(t.state);
    out.push({ text: `  ${l.glyph} task ${t.id}: ${l.word} on ${plainText(t.workerId)}`, role: l.role });
    if (t.trace) out.push(...indent(plainLines(t.trace)));
  }
  out.push(blank, section('Config (secrets redacted)'));
  for (const [k, v] of redactConfig(d.config)) out.push({ text: `  ${k} = ${plainText(v)}` });
  return out;
}

export function topicLines(d: TopicDetails, utc: boolean): Line[] {
  const out: Line[] = [section('Partitions'), { text: `  ${'P'.padStart(3)} ${'EARLIEST'.padStart(12)} ${'END'.padStart(12)} ${'COMMITTED'.padStart(12)} ${'LAG'.padStart(10)}`, role: 'muted' }];
  for (const p of d.partitions) {
    const lag = p.committed === undefined ? undefined : Math.max(0, p.end - p.committed);
    out.push({
      text: `  ${String(p.partition).padStart(3)} ${formatCount(p.earliest).padStart(12)} ${formatCount(p.end).padStart(12)} ${formatCount(p.committed).padStart(12)} ${formatCount(lag).padStart(10)}`,
      role: lag !== undefined && lag > 0 ? 'warn' : undefined,
    });
  }
  out.push(blank, section(`Last ${d.messages.length} messages`));
  if (d.messages.length === 0) out.push({ text: '  no messages retained', role: 'muted' });
  for (const m of d.messages) {
    const at = m.timestamp === undefined ? UNKNOWN : formatClock(m.timestamp, utc);
    out.push({ text: `  p${m.partition}@${m.offset} ${at} [${m.format}] key=${m.key === undefined ? UNKNOWN : plainText(m.key)}`, role: 'muted' });
    out.push(...indent(plainLines(m.value)));
  }
  return out;
}

export function tableLines(d: TableDetails, utc: boolean): Line[] {
  const out: Line[] = [];
  for (const note of d.notes) out.push({ text: `${GLYPH.warn} ${plainText(note)}`, role: 'warn' });
  out.push(section(`Latest ${d.rows.length} rows of ${d.table}`));
  if (d.rows.length === 0) out.push({ text: '  the table is empty', role: 'muted' });
  else {
    out.push({ text: `  ${d.columns.join(' │ ')}`, role: 'muted' });
    for (const r of d.rows) out.push({ text: `  ${r.map(plainText).join(' │ ')}` });
  }
  out.push(blank, ...ingestionLines(d.ingestion, utc));
  out.push(blank, section('Task runs'));
  if (d.taskRuns.length === 0) out.push({ text: '  no runs in the task history', role: 'muted' });
  for (const run of d.taskRuns) {
    const l = taskRunLook(run.state);
    out.push({ text: `  ${formatClock(run.scheduledAt, utc)} ${l.glyph} ${l.word}${run.error ? `: ${plainText(run.error)}` : ''}`, role: l.role });
  }
  return out;
}

const MINUTE_MS = 60_000;
const BAR_WIDTH = 20;

/** Rows per minute as HH:MM, a bar scaled to the busiest minute, and the count; a gap says it had no rows. */
export function ingestionLines(minutes: TableDetails['ingestion'], utc: boolean): Line[] {
  const out: Line[] = [section('Rows ingested per minute, last hour (by Kafka CreateTime: when produced)')];
  if (minutes === undefined) return [...out, { text: '  not available (see the note above)', role: 'muted' }];
  if (minutes.length === 0) return [...out, { text: '  no rows produced in the last hour', role: 'muted' }];
  const max = Math.max(...minutes.map((m) => m.rows));
  minutes.forEach((m, i) => {
    const previous = minutes[i - 1];
    const skipped = previous === undefined ? 0 : Math.round((m.minute - previous.minute) / MINUTE_MS) - 1;
    if (skipped > 0) out.push({ text: `  ${'⋮'.padEnd(5)} no rows for ${formatDuration(skipped * MINUTE_MS)}`, role: 'muted' });
    const bar = max > 0 && m.rows > 0 ? '█'.repeat(Math.max(1, Math.round((m.rows / max) * BAR_WIDTH))) : '';
    out.push({ text: `  ${formatClock(m.minute, utc).slice(0, 5)} ${bar.padEnd(BAR_WIDTH)} ${formatCount(m.rows).padStart(8)}` });
  });
  return out;
}

export function funnelLines(f: TopicFunnel | undefined, now: number): Line[] {
  if (!f) return [{ text: 'This topic is no longer in the funnel.', role: 'warn' }];
  const stages: Array<[string, number | undefined, string]> = [
    ['produced', f.produced, 'records in Kafka (sum of end offsets)'],
    ['sink', f.committedBySink, `committed by the Snowflake sink (lag ${formatCount(f.sinkLag)})`],
    ['raw', f.rawRows, 'rows in the raw table'],
    ['stream', f.inStream, 'rows waiting in the stream'],
    ['extracted', f.extractedRows, 'rows in the extracted table'],
  ];
  const out: Line[] = [section(`Funnel of ${f.topic}`)];
  for (const [stage, n, what] of stages) {
    const here = f.verdict.waitingAt === stage;
    out.push({ text: `  ${here ? GLYPH.waiting : ' '} ${stage.padEnd(10)} ${formatCount(n).padStart(12)}  ${what}`, role: here ? 'warn' : undefined });
  }
  const since = f.verdict.since === undefined ? '' : ` (for ${formatDuration(now - f.verdict.since)})`;
  out.push(blank, { text: `${f.verdict.explanation}${since}`, role: f.verdict.waitingAt === 'flowing' ? 'ok' : 'warn' });
  return out;
}
