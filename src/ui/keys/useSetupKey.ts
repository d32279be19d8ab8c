/** The key that runs setup, for "press S to set up" guidance; undefined when setup is not available to this viewer. */
import { disabledReason } from '../../keymap/actions.js';
import { actionBindings, bindingLabel } from '../../keymap/keyMatchers.js';
import { useConsole } from '../ConsoleContext.js';

export const SETUP_ACTION_ID = 'setup';

export function useSetupKey(): string | undefined {
  const { actions, keymap, mode } = useConsole();
  const setup = actions.find((a) => a.id === SETUP_ACTION_ID);
  if (!setup || disabledReason(setup, mode, { pane: setup.appliesTo === 'global' ? 'containers' : setup.appliesTo, rowKey: undefined }) !== undefined) return undefined;
  const first = actionBindings(keymap, setup)[0];
  return first ? bindingLabel(first) : undefined;
}
