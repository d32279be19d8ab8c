import { memo, useMemo } from 'react';
import { useNow } from '../clock/NowContext.js';
import { selectSnowflakeRows } from '../../store/selectors.js';
import { usePipeline } from '../ConsoleContext.js';
import { TablePane } from '../components/TablePane.js';
import type { TableRow } from '../components/table/types.js';
import type { TitlePart } from '../components/PaneFrame.js';
import { SNOWFLAKE_COLUMNS, snowflakeRows } from '../rows/snowflake.js';
import type { PaneProps } from './types.js';

const EMPTY = ['No pipeline objects in the Snowflake schema yet.', 'Setup runs scripts 01–03: press the setup key (see ? help) or run `sfpipe setup`.'];
// Raw rows wake a warehouse: fetched only when asked for (Enter), never polled.
const detailFor = (row: TableRow) => ({ kind: 'table' as const, topic: row.key });

export const SnowflakePane = memo(function SnowflakePane({ width, height, focused }: PaneProps) {
  const data = usePipeline(selectSnowflakeRows);
  const where = usePipeline((s) => (s.sources.snowflake.data ? `${s.sources.snowflake.data.database}.${s.sources.snowflake.data.schema}` : undefined));
  const now = useNow(); // countdowns and ages
  const rows = useMemo(() => snowflakeRows(data, now), [data, now]);
  const footer = useMemo(
    () =>
      (row: TableRow): TitlePart | undefined => {
        const r = data.find((x) => x.topic === row.key);
        const error = r?.lastRun?.error ?? r?.taskSuspendedReason;
        return error ? { text: `✗ ${r?.taskName ?? row.key}: ${error}`, role: 'error' } : undefined;
      },
    [data],
  );
  return (
    <TablePane
      pane="snowflake"
      number={4}
      title={where ? `Snowflake ${where}` : 'Snowflake'}
      sources={['snowflake']}
      columns={SNOWFLAKE_COLUMNS}
      rows={rows}
      width={width}
      height={height}
      focused={focused}
      empty={EMPTY}
      footer={footer}
      detailFor={detailFor}
    />
  );
});
