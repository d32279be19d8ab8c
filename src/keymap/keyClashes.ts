/**
 * Two commands live at the same moment must not share a key: the one asked first would
 * silently shadow the other. A scope is what can receive a key together — in each pane,
 * Ctrl-C, the pane's keys, the global keys and the operations bound there; the filter input,
 * the overlays and the confirmation each on their own (they take keys before the pane does).
 */
import type { ActionDescriptor } from './actions.js';
import { actionCommand, BUILTIN_COMMAND_IDS, COMMANDS, type CommandId, type CommandLayer } from './commands.js';
import type { KeyBinding, Keymap } from './keyBindings.js';
import { actionBindings, bindingLabel } from './keyMatchers.js';
import { PANE_IDS } from './panes.js';

export interface KeyClash {
  /** 'pane:connectors', 'filter', 'overlay', 'confirm' */
  scope: string;
  key: string;
  commands: CommandId[];
}

/** Bindings that match the same keypresses get the same id (matchesBinding ignores Shift on typed characters). */
function bindingId(b: KeyBinding): string {
  const typed = [...b.key].length === 1;
  return `${b.ctrl ? 'C-' : ''}${b.meta ? 'M-' : ''}${b.shift && !typed ? 'S-' : ''}${b.key}`;
}

function clashesIn(scope: string, entries: ReadonlyArray<[CommandId, readonly KeyBinding[]]>): KeyClash[] {
  const byKey = new Map<string, { label: string; commands: CommandId[] }>();
  for (const [command, bindings] of entries) {
    for (const b of bindings) {
      const id = bindingId(b);
      const seen = byKey.get(id) ?? { label: bindingLabel(b), commands: [] };
      if (!seen.commands.includes(command)) seen.commands.push(command);
      byKey.set(id, seen);
    }
  }
  return [...byKey.values()].filter((v) => v.commands.length > 1).map((v) => ({ scope, key: v.label, commands: v.commands }));
}

export function keyClashes(keymap: Keymap, actions: readonly ActionDescriptor[]): KeyClash[] {
  const builtins = (layers: CommandLayer[]): Array<[CommandId, readonly KeyBinding[]]> =>
    BUILTIN_COMMAND_IDS.filter((id) => layers.includes(COMMANDS[id].layer)).map((id) => [id, keymap.commands[id]]);
  const operations = (pane: string): Array<[CommandId, readonly KeyBinding[]]> =>
    actions.filter((a) => a.appliesTo === 'global' || a.appliesTo === pane).map((a) => [actionCommand(a.id), actionBindings(keymap, a)]);
  return [
    ...PANE_IDS.flatMap((pane) => clashesIn(`pane:${pane}`, [...builtins(['critical', 'pane', 'global']), ...operations(pane)])),
    ...(['filter', 'overlay', 'confirm'] as const).flatMap((layer) => clashesIn(layer, builtins(['critical', layer]))),
  ];
}
