/** Large terminals: every pane at once, two columns by three rows (the event log takes the sixth cell). */
import { Box } from 'ink';
import type { PaneId } from '../../keymap/panes.js';
import { useUi } from '../ConsoleContext.js';
import { EventLog } from '../components/EventLog.js';
import { Header } from '../components/Header.js';
import { StatusLine } from '../components/StatusLine.js';
import { gridPlan, type TerminalSize } from '../layout/sizing.js';
import { OverlayView } from '../overlays/OverlayView.js';
import { PANE_COMPONENTS } from '../panes/paneComponents.js';

const CELLS: ReadonlyArray<[PaneId, PaneId | 'events']> = [
  ['containers', 'topics'],
  ['connectors', 'snowflake'],
  ['pipeline', 'events'],
];

export function GridLayout({ size }: { size: TerminalSize }) {
  const plan = gridPlan(size);
  const focus = useUi((s) => s.focus);
  const overlay = useUi((s) => s.overlay.kind !== 'none');
  const bodyHeight = plan.rowHeights.reduce((a, b) => a + b, 0);
  const [leftW, rightW] = plan.columnWidths;
  return (
    <Box flexDirection="column" width={size.columns} height={plan.header + bodyHeight + plan.status}>
      <Header width={size.columns} height={plan.header} />
      {overlay ? (
        <OverlayView width={size.columns} height={bodyHeight} />
      ) : (
        <Box flexDirection="column" height={bodyHeight}>
          {CELLS.map(([left, right], row) => {
            const h = plan.rowHeights[row]!;
            const Left = PANE_COMPONENTS[left];
            const Right = right === 'events' ? undefined : PANE_COMPONENTS[right];
            return (
              <Box key={left} height={h}>
                <Left width={leftW} height={h} focused={focus === left} />
                {Right ? <Right width={rightW} height={h} focused={focus === right} /> : <EventLog width={rightW} height={h} />}
              </Box>
            );
          })}
        </Box>
      )}
      <StatusLine width={size.columns} />
    </Box>
  );
}
