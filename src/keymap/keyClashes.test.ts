import { describe, expect, it } from 'vitest';
import { ACTIONS, toKeymapActions } from '../actions/index.js';
import { MemoryAuditLog } from '../audit/auditLog.js';
import { systemClock } from '../domain/clock.js';
import { fakeRunbookEnv } from '../runbooks/fakeEnv.js';
import type { ActionDescriptor } from './actions.js';
import { helpSections } from './commandTable.js';
import { DEFAULT_KEYMAP, type Keymap } from './keyBindings.js';
import { keyClashes } from './keyClashes.js';

/** sfpipe's real operations as the console binds them. */
function realActions(): ActionDescriptor[] {
  const env = fakeRunbookEnv();
  return toKeymapActions(ACTIONS, { config: env.config, services: env.services, clock: systemClock, who: 'local:test', audit: new MemoryAuditLog(systemClock), runbookEnv: () => env });
}

const withActionKey = (id: string, key: string): Keymap => ({ ...DEFAULT_KEYMAP, actions: { ...DEFAULT_KEYMAP.actions, [id]: [{ key }] } });

describe('the default keymap', () => {
  it('gives no two commands in one scope the same key (every pane with its operations, filter, overlays, confirmation)', () => {
    expect(keyClashes(DEFAULT_KEYMAP, realActions())).toEqual([]);
  });

  it('gives every operation a key: none is listed as "(no key)" in help', () => {
    const rows = helpSections(DEFAULT_KEYMAP, realActions(), { readOnly: false }, { pane: 'connectors', rowKey: 'x' }).find((s) => s.title === 'Operations')!.rows;
    expect(rows).toHaveLength(ACTIONS.length);
    expect(rows.filter((r) => r.keys === '(no key)').map((r) => r.id)).toEqual([]);
  });
});

describe('keyClashes', () => {
  it('finds an operation that would shadow a pane key, a global key or another operation in its pane', () => {
    const actions = realActions();
    expect(keyClashes(withActionKey('connector.pause', 'k'), actions)).toEqual([{ scope: 'pane:connectors', key: 'k', commands: ['nav.up', 'action:connector.pause'] }]);
    expect(keyClashes(withActionKey('container.stop', 'q'), actions)).toEqual([{ scope: 'pane:containers', key: 'q', commands: ['app.quit', 'action:container.stop'] }]);
    expect(keyClashes(withActionKey('task.execute', 'u'), actions)).toEqual([{ scope: 'pane:snowflake', key: 'u', commands: ['action:task.resume', 'action:task.execute'] }]);
    // a global operation is live in every pane
    expect(keyClashes(withActionKey('setup', 'z'), actions).map((c) => c.scope)).toEqual(['pane:containers', 'pane:connectors', 'pane:snowflake']);
  });

  it('lets panes reuse a key, and separate layers reuse each other’s keys', () => {
    // z pauses in three panes; Enter is details in a pane and "keep filter" in the filter input
    expect(keyClashes(DEFAULT_KEYMAP, realActions()).some((c) => c.key === 'z' || c.key === 'Enter')).toBe(false);
    const shadowed: Keymap = { ...DEFAULT_KEYMAP, commands: { ...DEFAULT_KEYMAP.commands, 'filter.cancel': [{ key: 'return' }] } };
    expect(keyClashes(shadowed, [])).toEqual([{ scope: 'filter', key: 'Enter', commands: ['filter.accept', 'filter.cancel'] }]);
  });

  it('treats Ctrl-C as live everywhere', () => {
    const taken: Keymap = { ...DEFAULT_KEYMAP, commands: { ...DEFAULT_KEYMAP.commands, 'confirm.no': [{ key: 'c', ctrl: true }] } };
    expect(keyClashes(taken, [])).toEqual([{ scope: 'confirm', key: 'Ctrl-C', commands: ['app.interrupt', 'confirm.no'] }]);
  });
});
