import { renderToString, Box } from 'ink';
import { Table } from '@alcalzone/ink-table';
import { VirtualTable } from './components/table/VirtualTable.js';
import { topicRows, TOPIC_COLUMNS } from './rows/topics.js';
import type { TopicRow } from '../store/selectors.js';

const N = Number(process.argv[2] ?? 1000);
const topics: TopicRow[] = Array.from({ length: N }, (_, i) => ({ name: `topic-${i}`, internal: false, partitions: 3, endOffset: i * 100, retained: 0, sinkLag: i, ratePerSecond: i / 3, rateHistory: [1, 2, 3, i % 7] }));
const rows = topicRows(topics);
const plain = rows.map((r) => Object.fromEntries(TOPIC_COLUMNS.map((c, i) => [c.header, r.cells[i]!.text])));

function time(label: string, f: () => string, iters: number) {
  f(); // warm
  const t = performance.now();
  let len = 0;
  for (let i = 0; i < iters; i++) len += f().length;
  const ms = (performance.now() - t) / iters;
  process.stdout.write(`${label}: ${ms.toFixed(2)} ms/render (${(len / iters) | 0} chars)\n`);
}
time(`VirtualTable ${N} rows (20 visible)`, () => renderToString(<Box><VirtualTable columns={TOPIC_COLUMNS} rows={rows} selected={N - 1} focused height={21} width={98} /></Box>, { columns: 100 }), 50);
time(`@alcalzone/ink-table ${N} rows`, () => renderToString(<Table data={plain} />, { columns: 100 }), 5);
