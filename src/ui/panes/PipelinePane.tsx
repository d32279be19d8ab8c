import { memo, useMemo } from 'react';
import { selectFunnels } from '../../store/selectors.js';
import { useNow } from '../clock/NowContext.js';
import { usePipeline } from '../ConsoleContext.js';
import { TablePane } from '../components/TablePane.js';
import type { TableRow } from '../components/table/types.js';
import type { TitlePart } from '../components/PaneFrame.js';
import { funnelRows, PIPELINE_COLUMNS } from '../rows/pipeline.js';
import type { PaneProps } from './types.js';

const EMPTY = ['No pipeline topics yet: the funnel appears once Kafka has topics or Snowflake has raw tables.', 'Press the setup key (see ? help) or run `sfpipe setup`.'];
const SOURCES = ['kafka', 'connect', 'snowflake'] as const;
const detailFor = (row: TableRow) => ({ kind: 'funnel' as const, topic: row.key });

export const PipelinePane = memo(function PipelinePane({ width, height, focused }: PaneProps) {
  const now = useNow(); // waits are "for 3m"
  const funnels = usePipeline((s) => selectFunnels(s, now));
  const rows = useMemo(() => funnelRows(funnels, now), [funnels, now]);
  // The verdict in words for the selected topic: where records wait and why.
  const footer = useMemo(
    () =>
      (row: TableRow): TitlePart | undefined => {
        const f = funnels.find((x) => x.topic === row.key);
        if (!f) return undefined;
        const waiting = f.verdict.waitingAt !== 'flowing' && f.verdict.waitingAt !== 'idle' && f.verdict.waitingAt !== 'unknown';
        return { text: f.verdict.explanation, role: waiting ? 'warn' : 'muted' };
      },
    [funnels],
  );
  return (
    <TablePane
      pane="pipeline"
      number={5}
      title="Pipeline"
      sources={SOURCES}
      columns={PIPELINE_COLUMNS}
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
