/** 80×24 up to the grid: one pane at a time under a tab bar (1–5, Tab), the event log below it. */
import { Box, Text } from 'ink';
import { PANE_IDS, PANE_TITLES } from '../../keymap/panes.js';
import { useUi } from '../ConsoleContext.js';
import { EventLog } from '../components/EventLog.js';
import { Header } from '../components/Header.js';
import { StatusLine } from '../components/StatusLine.js';
import { tabbedPlan, type TerminalSize } from '../layout/sizing.js';
import { OverlayView } from '../overlays/OverlayView.js';
import { PANE_COMPONENTS } from '../panes/paneComponents.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';

function TabBar({ width }: { width: number }) {
  const theme = useTheme();
  const focus = useUi((s) => s.focus);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {PANE_IDS.map((id, i) => {
          const active = id === focus;
          // Brackets mark the active tab without colour; inverse adds to it when colour is on.
          const label = active ? `[${i + 1} ${PANE_TITLES[id]}]` : ` ${i + 1} ${PANE_TITLES[id]} `;
          return (
            <Text key={id} bold={active} inverse={active && theme.color} color={roleColor(theme, active ? 'focus' : 'muted')}>
              {label}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}

export function TabbedLayout({ size }: { size: TerminalSize }) {
  const plan = tabbedPlan(size);
  const focus = useUi((s) => s.focus);
  const overlay = useUi((s) => s.overlay.kind !== 'none');
  const Pane = PANE_COMPONENTS[focus];
  return (
    <Box flexDirection="column" width={size.columns} height={plan.header + plan.tabs + plan.pane + plan.events + plan.status}>
      <Header width={size.columns} height={plan.header} />
      <TabBar width={size.columns} />
      {overlay ? (
        <OverlayView width={size.columns} height={plan.pane + plan.events} />
      ) : (
        <>
          <Pane width={size.columns} height={plan.pane} focused />
          <EventLog width={size.columns} height={plan.events} />
        </>
      )}
      <StatusLine width={size.columns} />
    </Box>
  );
}
