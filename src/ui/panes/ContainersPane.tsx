import { memo, useMemo } from 'react';
import { useNow } from '../clock/NowContext.js';
import { selectContainerRows } from '../../store/selectors.js';
import { usePipeline } from '../ConsoleContext.js';
import { TablePane } from '../components/TablePane.js';
import type { TableRow } from '../components/table/types.js';
import { CONTAINER_COLUMNS, containerRows } from '../rows/containers.js';
import type { PaneProps } from './types.js';

const EMPTY = ['No containers in the compose project yet.', 'Press the setup key (see ? help) or run `sfpipe setup` to start the stack.'];
const detailFor = (row: TableRow) => ({ kind: 'container' as const, id: row.key, name: row.cells[0]?.text ?? row.key });

export const ContainersPane = memo(function ContainersPane({ width, height, focused }: PaneProps) {
  const data = usePipeline(selectContainerRows);
  const now = useNow(); // uptime
  const rows = useMemo(() => containerRows(data, now), [data, now]);
  return (
    <TablePane
      pane="containers"
      number={1}
      title="Containers"
      sources={['docker']}
      columns={CONTAINER_COLUMNS}
      rows={rows}
      width={width}
      height={height}
      focused={focused}
      empty={EMPTY}
      detailFor={detailFor}
    />
  );
});
