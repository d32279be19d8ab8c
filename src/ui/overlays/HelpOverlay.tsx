/** Help: every key of the keymap and every operation, generated from the same table as the status line. */
import { useMemo } from 'react';
import { helpSections } from '../../keymap/commandTable.js';
import { PRIORITY } from '../../keymap/dispatcher.js';
import { useConsole, useUi } from '../ConsoleContext.js';
import { ScrollView, scrollViewRows } from '../components/ScrollView.js';
import { useKeypress } from '../keys/KeypressContext.js';
import { helpLines } from './helpLines.js';
import { useScroll } from './useScroll.js';

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const { keymap, actions, mode, keys, ui } = useConsole();
  const focus = useUi((s) => s.focus);
  const selectedKey = useUi((s) => s.selection[s.focus].key);
  const lines = useMemo(
    () => helpLines(helpSections(keymap, actions, mode, { pane: focus, rowKey: selectedKey }), mode.readOnly ? (mode.reason ?? 'read-only mode') : undefined),
    [keymap, actions, mode, focus, selectedKey],
  );
  const [offset, scroll] = useScroll(lines.length, scrollViewRows(height), keys);
  useKeypress(PRIORITY.overlay, (key) => {
    if (keys.is('overlay.close', key) || keys.is('app.help', key)) ui.getState().closeOverlay();
    else scroll(key);
    return true; // an open overlay owns the keyboard (Ctrl-C still quits: it runs first)
  });
  return <ScrollView title="Keys" status={{ text: 'Esc or ? closes', role: 'muted' }} lines={lines} width={width} height={height} offset={offset} />;
}
