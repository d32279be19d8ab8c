/** Keys that work from anywhere (lowest priority), and Ctrl-C, which always quits (highest). */
import { PANE_IDS, PANE_TITLES } from '../../keymap/panes.js';
import { PRIORITY } from '../../keymap/dispatcher.js';
import type { BuiltinCommandId } from '../../keymap/commands.js';
import { useConsole } from '../ConsoleContext.js';
import { useKeypress } from './KeypressContext.js';
import { useActionRunner } from './useActionRunner.js';

const FOCUS_KEYS: BuiltinCommandId[] = ['focus.pane1', 'focus.pane2', 'focus.pane3', 'focus.pane4', 'focus.pane5'];

export function GlobalKeys() {
  const { keys, ui, actions, quit, onRefresh, clock } = useConsole();
  const runner = useActionRunner();

  useKeypress(PRIORITY.critical, (key) => {
    if (!keys.is('app.interrupt', key)) return false;
    quit();
    return true;
  });

  useKeypress(PRIORITY.global, (key) => {
    const state = ui.getState();
    if (keys.is('app.quit', key)) quit();
    else if (keys.is('app.help', key)) state.toggleHelp();
    else if (keys.is('app.refresh', key)) {
      state.notify({ at: clock.now(), level: 'info', text: 'refresh requested' });
      onRefresh();
    } else if (keys.is('focus.next', key)) state.focusNext(1);
    else if (keys.is('focus.prev', key)) state.focusNext(-1);
    else {
      const n = FOCUS_KEYS.findIndex((id) => keys.is(id, key));
      if (n >= 0) {
        state.focusPane(PANE_IDS[n]!);
        return true;
      }
      // Pane-specific operations are taken by the focused pane first; what reaches here is
      // global, or bound to other panes: then say where the key works.
      const bound = keys.actionsFor(key, actions);
      const action = bound.find((a) => a.appliesTo === 'global') ?? (bound.length === 1 ? bound[0] : undefined);
      if (action) runner.request(action, { pane: state.focus, rowKey: undefined });
      else if (bound.length > 1) {
        const where = bound.map((a) => `${a.title} in ${a.appliesTo === 'global' ? 'any pane' : PANE_TITLES[a.appliesTo]}`).join(', ');
        state.notify({ at: clock.now(), level: 'warn', text: `not available in the ${PANE_TITLES[state.focus]} pane — this key is ${where}` });
      } else return false;
    }
    return true;
  });

  return null;
}
