import { memo, useMemo } from 'react';
import { selectTopicRows } from '../../store/selectors.js';
import { usePipeline } from '../ConsoleContext.js';
import { TablePane } from '../components/TablePane.js';
import type { TableRow } from '../components/table/types.js';
import { TOPIC_COLUMNS, topicRows } from '../rows/topics.js';
import type { PaneProps } from './types.js';

const EMPTY = ['The broker has no topics yet.', 'Setup creates the six demo topics: press the setup key (see ? help) or run `sfpipe setup`.'];
const detailFor = (row: TableRow) => ({ kind: 'topic' as const, topic: row.key });

export const TopicsPane = memo(function TopicsPane({ width, height, focused }: PaneProps) {
  const topics = usePipeline(selectTopicRows);
  const rows = useMemo(() => topicRows(topics), [topics]);
  return (
    <TablePane
      pane="topics"
      number={2}
      title="Topics"
      sources={['kafka']}
      columns={TOPIC_COLUMNS}
      rows={rows}
      width={width}
      height={height}
      focused={focused}
      empty={EMPTY}
      detailFor={detailFor}
    />
  );
});
