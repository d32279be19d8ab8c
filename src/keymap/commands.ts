/**
 * Command ids: what a key means, independent of which key it is. Components ask
 * "is this nav.down?", never compare raw keys. The layer says which dispatcher layer
 * handles it; the help overlay and the status-line hints are generated from this table
 * (see commandTable.ts).
 */
export type CommandLayer = 'critical' | 'overlay' | 'confirm' | 'filter' | 'pane' | 'global';

export interface CommandInfo {
  description: string;
  layer: CommandLayer;
}

export const COMMANDS = {
  'app.interrupt': { description: 'quit (always works)', layer: 'critical' },
  'app.quit': { description: 'quit and restore the terminal', layer: 'global' },
  'app.help': { description: 'show or hide this help', layer: 'global' },
  'app.refresh': { description: 'refresh every source now', layer: 'global' },
  'focus.next': { description: 'focus the next pane', layer: 'global' },
  'focus.prev': { description: 'focus the previous pane', layer: 'global' },
  'focus.pane1': { description: 'focus Containers', layer: 'global' },
  'focus.pane2': { description: 'focus Topics', layer: 'global' },
  'focus.pane3': { description: 'focus Connectors', layer: 'global' },
  'focus.pane4': { description: 'focus Snowflake', layer: 'global' },
  'focus.pane5': { description: 'focus Pipeline', layer: 'global' },
  'nav.up': { description: 'move up', layer: 'pane' },
  'nav.down': { description: 'move down', layer: 'pane' },
  'nav.pageUp': { description: 'page up', layer: 'pane' },
  'nav.pageDown': { description: 'page down', layer: 'pane' },
  'nav.top': { description: 'first row', layer: 'pane' },
  'nav.bottom': { description: 'last row', layer: 'pane' },
  'pane.details': { description: 'details of the selected row', layer: 'pane' },
  'pane.filter': { description: 'filter the focused pane', layer: 'pane' },
  'filter.accept': { description: 'keep the filter and leave the input', layer: 'filter' },
  'filter.cancel': { description: 'clear the filter', layer: 'filter' },
  'filter.deleteChar': { description: 'delete the last character', layer: 'filter' },
  'overlay.close': { description: 'close the overlay or details view', layer: 'overlay' },
  'overlay.up': { description: 'scroll up', layer: 'overlay' },
  'overlay.down': { description: 'scroll down', layer: 'overlay' },
  'overlay.pageUp': { description: 'scroll a page up', layer: 'overlay' },
  'overlay.pageDown': { description: 'scroll a page down', layer: 'overlay' },
  'confirm.yes': { description: 'confirm the operation', layer: 'confirm' },
  'confirm.no': { description: 'cancel the operation', layer: 'confirm' },
} as const satisfies Record<string, CommandInfo>;

export type BuiltinCommandId = keyof typeof COMMANDS;
/** Operations plug in as `action:<id>` commands (see actions.ts). */
export type ActionCommandId = `action:${string}`;
export type CommandId = BuiltinCommandId | ActionCommandId;

export function actionCommand(actionId: string): ActionCommandId {
  return `action:${actionId}`;
}

export function commandInfo(id: BuiltinCommandId): CommandInfo {
  return COMMANDS[id];
}

export const BUILTIN_COMMAND_IDS = Object.keys(COMMANDS) as BuiltinCommandId[];
