/**
 * The default keymap, as data. A binding names a key ('up', 'tab', 'return', or a typed
 * character such as 'q', 'G', '?') and its modifiers. Printable characters match exactly
 * (case included), so 'G' already implies Shift.
 */
import type { BuiltinCommandId } from './commands.js';

export interface KeyBinding {
  key: string;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

export interface Keymap {
  commands: Record<BuiltinCommandId, KeyBinding[]>;
  /** keys for operations by action id; an action's own `keys` are used when absent here */
  actions: Record<string, KeyBinding[]>;
}

const k = (key: string, mods: Omit<KeyBinding, 'key'> = {}): KeyBinding => ({ key, ...mods });

export const DEFAULT_KEYMAP: Keymap = {
  commands: {
    'app.interrupt': [k('c', { ctrl: true })],
    'app.quit': [k('q')],
    'app.help': [k('?')],
    'app.refresh': [k('r')],
    'focus.next': [k('tab')],
    'focus.prev': [k('tab', { shift: true })],
    'focus.pane1': [k('1')],
    'focus.pane2': [k('2')],
    'focus.pane3': [k('3')],
    'focus.pane4': [k('4')],
    'focus.pane5': [k('5')],
    'nav.up': [k('up'), k('k')],
    'nav.down': [k('down'), k('j')],
    'nav.pageUp': [k('pageup'), k('u', { ctrl: true })],
    'nav.pageDown': [k('pagedown'), k('d', { ctrl: true })],
    'nav.top': [k('home'), k('g')],
    'nav.bottom': [k('end'), k('G')],
    'pane.details': [k('return')],
    'pane.filter': [k('/')],
    'filter.accept': [k('return')],
    'filter.cancel': [k('escape')],
    'filter.deleteChar': [k('backspace')],
    'overlay.close': [k('escape'), k('q')],
    'overlay.up': [k('up'), k('k')],
    'overlay.down': [k('down'), k('j')],
    'overlay.pageUp': [k('pageup'), k('u', { ctrl: true })],
    'overlay.pageDown': [k('pagedown'), k('d', { ctrl: true }), k(' ')],
    'confirm.yes': [k('y')],
    'confirm.no': [k('n'), k('escape')],
  },
  // Operations from issue 6; ids are the action descriptors' ids (src/actions). Runbooks work
  // from any pane. Single-object operations act on the selected row and are bound only in the
  // pane of their resource (k9s-style), so one verb keeps one key everywhere: z pauses or
  // suspends, u resumes or unpauses. None may shadow a pane or global key (keyClashes.test.ts).
  actions: {
    setup: [k('S')],
    pause: [k('p')],
    resume: [k('P')],
    cleanup: [k('X')],
    'connector.pause': [k('z')],
    'connector.resume': [k('u')],
    'connector.restart': [k('R')],
    'connector.restart-failed': [k('F')],
    'container.stop': [k('s')],
    'container.start': [k('t')],
    'container.pause': [k('z')],
    'container.unpause': [k('u')],
    'task.suspend': [k('z')],
    'task.resume': [k('u')],
    'task.execute': [k('e')],
  },
};
