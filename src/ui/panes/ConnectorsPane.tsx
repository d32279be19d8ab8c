import { memo, useMemo } from 'react';
import { selectConnectorRows } from '../../store/selectors.js';
import { usePipeline } from '../ConsoleContext.js';
import { TablePane } from '../components/TablePane.js';
import type { TableRow } from '../components/table/types.js';
import type { TitlePart } from '../components/PaneFrame.js';
import { CONNECTOR_COLUMNS, connectorRows } from '../rows/connectors.js';
import type { PaneProps } from './types.js';

const EMPTY = ['No connectors deployed on the Connect worker.', 'Setup deploys the datagen and Snowflake sink connectors: press the setup key (see ? help) or run `sfpipe setup`.'];
const detailFor = (row: TableRow) => ({ kind: 'connector' as const, name: row.key });

export const ConnectorsPane = memo(function ConnectorsPane({ width, height, focused }: PaneProps) {
  const connectors = usePipeline(selectConnectorRows);
  const rows = useMemo(() => connectorRows(connectors), [connectors]);
  // The first line of a failure's trace says what went wrong; Enter shows the rest.
  const footer = useMemo(
    () =>
      (row: TableRow): TitlePart | undefined => {
        const trace = connectors.find((x) => x.name === row.key)?.traceSummary;
        return trace ? { text: `✗ ${trace}`, role: 'error' } : undefined;
      },
    [connectors],
  );
  return (
    <TablePane
      pane="connectors"
      number={3}
      title="Connectors"
      sources={['connect']}
      columns={CONNECTOR_COLUMNS}
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
