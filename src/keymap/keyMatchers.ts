/** Matching keypresses against bindings, and turning bindings into labels for help and hints. */
import type { ActionDescriptor } from './actions.js';
import type { BuiltinCommandId } from './commands.js';
import type { KeyBinding, Keymap } from './keyBindings.js';
import type { Keypress } from './keypress.js';

export function actionBindings(keymap: Keymap, action: ActionDescriptor): KeyBinding[] {
  return keymap.actions[action.id] ?? (action.keys ?? []).map((key) => ({ key }));
}

const isPrintable = (name: string): boolean => [...name].length === 1;

export function matchesBinding(binding: KeyBinding, key: Keypress): boolean {
  if (binding.key !== key.name) return false;
  if ((binding.ctrl ?? false) !== key.ctrl) return false;
  if ((binding.meta ?? false) !== key.meta) return false;
  // A typed character carries its own case ('G' vs 'g'); Shift only matters for named keys.
  if (!isPrintable(binding.key) && (binding.shift ?? false) !== key.shift) return false;
  return true;
}

export function matchesAny(bindings: readonly KeyBinding[] | undefined, key: Keypress): boolean {
  return bindings !== undefined && bindings.some((b) => matchesBinding(b, key));
}

const LABELS: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  return: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  backspace: 'Backspace',
  ' ': 'Space',
};

export function bindingLabel(b: KeyBinding): string {
  const base = LABELS[b.key] ?? b.key;
  const mods = `${b.ctrl ? 'Ctrl-' : ''}${b.meta ? 'Alt-' : ''}${b.shift && !isPrintable(b.key) ? 'Shift-' : ''}`;
  return `${mods}${mods && base.length === 1 ? base.toUpperCase() : base}`;
}

export function bindingsLabel(bindings: readonly KeyBinding[] | undefined): string {
  return (bindings ?? []).map(bindingLabel).join('/');
}

/** "Is this key nav.down?" for one keymap — the only question components ask about keys. */
export interface KeyMatcher {
  is(command: BuiltinCommandId, key: Keypress): boolean;
  /** the operation bound to this key, if any */
  actionFor(key: Keypress, actions: readonly ActionDescriptor[]): ActionDescriptor | undefined;
  /** every operation bound to this key (panes may reuse a key for their own resource) */
  actionsFor(key: Keypress, actions: readonly ActionDescriptor[]): ActionDescriptor[];
}

export function createKeyMatcher(keymap: Keymap): KeyMatcher {
  return {
    is: (command, key) => matchesAny(keymap.commands[command], key),
    actionFor: (key, actions) => actions.find((a) => matchesAny(actionBindings(keymap, a), key)),
    actionsFor: (key, actions) => actions.filter((a) => matchesAny(actionBindings(keymap, a), key)),
  };
}
