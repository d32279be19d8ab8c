/** Topics pane rows: partitions, end offset, sink lag, rate and its recent trend. Internal topics are hidden. */
import type { TopicRow } from '../../store/selectors.js';
import type { Column, TableRow } from '../components/table/types.js';
import { formatCount, formatRate } from '../format/numbers.js';
import { sparkline } from '../format/sparkline.js';
import { lazyRow } from './lazyRow.js';

export const SPARK_WIDTH = 12;

export const TOPIC_COLUMNS: readonly Column[] = [
  { header: 'TOPIC', min: 14, max: 48, flex: 2 },
  { header: 'PARTS', min: 5, align: 'right', priority: 2 },
  { header: 'END OFFSET', min: 10, align: 'right', priority: 3 },
  { header: 'SINK LAG', min: 8, align: 'right', priority: 1 },
  { header: 'MSG/S', min: 8, align: 'right', priority: 3 },
  { header: 'TREND', min: SPARK_WIDTH, priority: 2 },
];

export function topicRows(topics: readonly TopicRow[]): TableRow[] {
  return topics
    .filter((t) => !t.internal)
    .map((t) =>
      lazyRow(t.name, t.name, () => [
        { text: t.name },
        { text: String(t.partitions) },
        { text: formatCount(t.endOffset) },
        { text: formatCount(t.sinkLag), role: t.sinkLag !== undefined && t.sinkLag > 0 ? 'warn' : undefined },
        { text: formatRate(t.ratePerSecond) },
        { text: sparkline(t.rateHistory, SPARK_WIDTH), role: 'accent' },
      ]),
    );
}
