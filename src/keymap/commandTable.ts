/**
 * The one table behind the help overlay and the status-line hints: every command and
 * operation with its keys (from the keymap), description, and whether it is enabled
 * (read-only mode and focus disable operations, with the reason).
 */
import { actionCommand, BUILTIN_COMMAND_IDS, COMMANDS, type BuiltinCommandId, type CommandId, type CommandLayer } from './commands.js';
import { disabledReason, type ActionDescriptor, type ActionTarget, type ConsoleMode } from './actions.js';
import type { KeyBinding, Keymap } from './keyBindings.js';
import { actionBindings, bindingLabel, bindingsLabel } from './keyMatchers.js';

export interface CommandRow {
  id: CommandId;
  keys: string;
  description: string;
  enabled: boolean;
  reason: string | undefined;
  dangerous: boolean;
}

export interface HelpSection {
  title: string;
  rows: CommandRow[];
}

const SECTION_TITLES: ReadonlyArray<[CommandLayer, string]> = [
  ['global', 'Anywhere'],
  ['pane', 'In the focused pane'],
  ['filter', 'While typing a filter'],
  ['overlay', 'Help and details views'],
  ['confirm', 'Confirming an operation'],
  ['critical', 'Always'],
];

function builtinRow(keymap: Keymap, id: BuiltinCommandId): CommandRow {
  return { id, keys: bindingsLabel(keymap.commands[id]), description: COMMANDS[id].description, enabled: true, reason: undefined, dangerous: false };
}

export function actionRow(keymap: Keymap, action: ActionDescriptor, mode: ConsoleMode, target: ActionTarget): CommandRow {
  const reason = disabledReason(action, mode, target);
  const scope = action.appliesTo === 'global' ? '' : ` (${action.appliesTo})`;
  return {
    id: actionCommand(action.id),
    keys: bindingsLabel(actionBindings(keymap, action)) || '(no key)',
    description: `${action.title}${scope}${action.dangerous ? ' — asks first' : ''}`,
    enabled: reason === undefined,
    reason,
    dangerous: action.dangerous,
  };
}

export function helpSections(keymap: Keymap, actions: readonly ActionDescriptor[], mode: ConsoleMode, target: ActionTarget): HelpSection[] {
  const sections = SECTION_TITLES.map(([layer, title]) => ({
    title,
    rows: BUILTIN_COMMAND_IDS.filter((id) => COMMANDS[id].layer === layer).map((id) => builtinRow(keymap, id)),
  }));
  if (actions.length > 0) sections.push({ title: 'Operations', rows: actions.map((a) => actionRow(keymap, a, mode, target)) });
  return sections.filter((s) => s.rows.length > 0);
}

export interface Hint {
  keys: string;
  label: string;
  enabled: boolean;
}

/** What the status line offers in each situation: the keys that apply right now. */
export type HintContext = 'pane' | 'filter' | 'help' | 'detail' | 'confirm';

const HINT_GROUPS: Record<HintContext, ReadonlyArray<[BuiltinCommandId[], string]>> = {
  pane: [
    [['nav.up', 'nav.down'], 'move'],
    [['pane.details'], 'details'],
    [['pane.filter'], 'filter'],
  ],
  filter: [
    [['filter.accept'], 'keep filter'],
    [['filter.cancel'], 'clear'],
    [['nav.up', 'nav.down'], 'move'],
  ],
  help: [[['overlay.close'], 'close']],
  detail: [
    [['overlay.up', 'overlay.down'], 'scroll'],
    [['overlay.close'], 'close'],
  ],
  confirm: [
    [['confirm.yes'], 'confirm'],
    [['confirm.no'], 'cancel'],
  ],
};

const GLOBAL_HINTS: ReadonlyArray<[BuiltinCommandId[], string]> = [
  [['focus.next'], 'pane'],
  [['app.refresh'], 'refresh'],
  [['app.help'], 'help'],
  [['app.quit'], 'quit'],
];

function groupHint(keymap: Keymap, ids: BuiltinCommandId[], label: string): Hint {
  const keys = ids.map((id) => keymap.commands[id][0]).filter((b): b is KeyBinding => b !== undefined).map(bindingLabel).join('');
  return { keys, label, enabled: true };
}

export function statusHints(
  keymap: Keymap,
  actions: readonly ActionDescriptor[],
  mode: ConsoleMode,
  target: ActionTarget,
  context: HintContext,
): Hint[] {
  const hints = HINT_GROUPS[context].map(([ids, label]) => groupHint(keymap, ids, label));
  if (context !== 'pane') return hints;
  // The focused pane's own operations first: they are what this pane adds, and the line may be cut.
  const applicable = [...actions.filter((a) => a.appliesTo === target.pane), ...actions.filter((a) => a.appliesTo === 'global')];
  for (const a of applicable) {
    const first = actionBindings(keymap, a)[0];
    if (first) hints.push({ keys: bindingLabel(first), label: a.shortTitle ?? a.title.toLowerCase(), enabled: disabledReason(a, mode, target) === undefined });
  }
  return [...hints, ...GLOBAL_HINTS.map(([ids, label]) => groupHint(keymap, ids, label))];
}
