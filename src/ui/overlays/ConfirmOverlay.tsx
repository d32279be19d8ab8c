/**
 * Confirmation before a dangerous operation: press y, or — when the action asks for it —
 * type its confirmation text (e.g. the database name) and press Enter. Anything else cancels.
 */
import { Box, Text } from 'ink';
import { PRIORITY } from '../../keymap/dispatcher.js';
import { useConsole, useUi } from '../ConsoleContext.js';
import { PaneFrame } from '../components/PaneFrame.js';
import { useKeypress } from '../keys/KeypressContext.js';
import { useActionRunner } from '../keys/useActionRunner.js';
import { roleColor, useTheme } from '../theme/ThemeContext.js';
import { GLYPH } from '../theme/symbols.js';

export function ConfirmOverlay({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const { actions, keys, ui, clock } = useConsole();
  const overlay = useUi((s) => s.overlay);
  const runner = useActionRunner();
  const confirm = overlay.kind === 'confirm' ? overlay : undefined;
  const action = confirm && actions.find((a) => a.id === confirm.actionId);

  useKeypress(PRIORITY.overlay, (key) => {
    const s = ui.getState();
    if (!confirm || !action) {
      s.closeOverlay();
      return true;
    }
    const cancel = (why: string) => {
      s.closeOverlay();
      s.notify({ at: clock.now(), level: 'warn', text: `${action.title}: ${why} — nothing was done` });
    };
    if (action.confirmText !== undefined) {
      if (keys.is('filter.deleteChar', key)) s.typeConfirm([...confirm.typed].slice(0, -1).join(''));
      else if (keys.is('confirm.no', key) && key.name === 'escape') cancel('cancelled');
      else if (keys.is('filter.accept', key)) {
        if (confirm.typed === action.confirmText) {
          s.closeOverlay();
          runner.execute(action, confirm.target);
        } else cancel(`typed "${confirm.typed}", expected "${action.confirmText}"`);
      } else if (!key.ctrl && !key.meta && [...key.name].length === 1) s.typeConfirm(confirm.typed + key.name);
      return true;
    }
    if (keys.is('confirm.yes', key)) {
      s.closeOverlay();
      runner.execute(action, confirm.target);
    } else cancel('cancelled');
    return true;
  });

  if (!confirm || !action) return null;
  const target = confirm.target.rowKey ? ` on ${confirm.target.rowKey}` : '';
  return (
    <PaneFrame title={`${GLYPH.warn} Confirm: ${action.title}${target}`} focused width={width} height={height}>
      <Box flexDirection="column" paddingX={1}>
        <Text color={roleColor(theme, 'warn')} wrap="wrap">{`${action.title}${target} is destructive or disruptive.`}</Text>
        {action.confirmText !== undefined ? (
          <>
            <Text wrap="wrap">{`Type ${action.confirmText} and press Enter to go ahead; Esc cancels.`}</Text>
            <Text color={roleColor(theme, 'accent')}>{`> ${confirm.typed}▏`}</Text>
          </>
        ) : (
          <Text wrap="wrap">Press y to go ahead; any other key cancels.</Text>
        )}
      </Box>
    </PaneFrame>
  );
}
