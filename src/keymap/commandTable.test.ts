import { describe, expect, it } from 'vitest';
import { BUILTIN_COMMAND_IDS } from './commands.js';
import { actionRow, helpSections, statusHints } from './commandTable.js';
import { DEFAULT_KEYMAP, type Keymap } from './keyBindings.js';
import { disabledReason, type ActionDescriptor, type ConsoleMode } from './actions.js';

const OPERATOR: ConsoleMode = { readOnly: false };
const READ_ONLY: ConsoleMode = { readOnly: true, reason: 'read-only mode (--read-only)' };
const topics = { pane: 'topics' as const, rowKey: 'orders' };

const setup: ActionDescriptor = { id: 'setup', title: 'Setup', dangerous: false, appliesTo: 'global', run: async () => ({ ok: true, message: 'done' }) };
const cleanup: ActionDescriptor = { id: 'cleanup', title: 'Cleanup', dangerous: true, appliesTo: 'global', run: async () => ({ ok: true, message: 'done' }) };
const restart: ActionDescriptor = { id: 'restart', title: 'Restart connector', dangerous: false, appliesTo: 'connectors', keys: ['R'], run: async () => ({ ok: true, message: 'done' }) };

describe('help sections', () => {
  it('list every built-in command once, with the keys of the keymap in use', () => {
    const rows = helpSections(DEFAULT_KEYMAP, [], OPERATOR, topics).flatMap((s) => s.rows);
    for (const id of BUILTIN_COMMAND_IDS) expect(rows.filter((r) => r.id === id)).toHaveLength(1);
    const custom: Keymap = { ...DEFAULT_KEYMAP, commands: { ...DEFAULT_KEYMAP.commands, 'app.refresh': [{ key: 'F5' }] } };
    expect(helpSections(custom, [], OPERATOR, topics).flatMap((s) => s.rows).find((r) => r.id === 'app.refresh')?.keys).toBe('F5');
  });

  it('add operations, disabled with the reason in read-only mode, and say which ask first', () => {
    const ops = helpSections(DEFAULT_KEYMAP, [setup, cleanup], READ_ONLY, topics).find((s) => s.title === 'Operations')!;
    expect(ops.rows.map((r) => [r.keys, r.enabled, r.reason])).toEqual([
      ['S', false, 'read-only mode (--read-only)'],
      ['X', false, 'read-only mode (--read-only)'],
    ]);
    expect(ops.rows[1]!.description).toContain('asks first');
    expect(helpSections(DEFAULT_KEYMAP, [], OPERATOR, topics).some((s) => s.title === 'Operations')).toBe(false);
  });
});

describe('status hints', () => {
  it('show the pane keys, the operations that apply here, and the global keys', () => {
    const hints = statusHints(DEFAULT_KEYMAP, [setup, restart], OPERATOR, topics, 'pane');
    expect(hints.map((h) => `${h.keys} ${h.label}`)).toEqual(['↑↓ move', 'Enter details', '/ filter', 'S setup', 'Tab pane', 'r refresh', '? help', 'q quit']);
    const onConnectors = statusHints(DEFAULT_KEYMAP, [setup, restart], OPERATOR, { pane: 'connectors', rowKey: 'x' }, 'pane');
    expect(onConnectors.map((h) => h.label)).toContain('restart connector');
  });

  it('mark operations disabled in read-only mode', () => {
    const hints = statusHints(DEFAULT_KEYMAP, [setup], READ_ONLY, topics, 'pane');
    expect(hints.find((h) => h.label === 'setup')?.enabled).toBe(false);
  });

  it('change with the situation: filter input, confirmation', () => {
    expect(statusHints(DEFAULT_KEYMAP, [setup], OPERATOR, topics, 'filter').map((h) => h.label)).toEqual(['keep filter', 'clear', 'move']);
    expect(statusHints(DEFAULT_KEYMAP, [setup], OPERATOR, topics, 'confirm').map((h) => `${h.keys} ${h.label}`)).toEqual(['y confirm', 'n cancel']);
  });
});

describe('disabledReason', () => {
  it('explains read-only, the wrong pane, and the action’s own condition', () => {
    expect(disabledReason(setup, READ_ONLY, topics)).toBe('read-only mode (--read-only)');
    expect(disabledReason(restart, OPERATOR, topics)).toBe('applies to the connectors pane');
    const needsRow: ActionDescriptor = { ...restart, unavailable: (t) => (t.rowKey ? undefined : 'select a connector') };
    expect(disabledReason(needsRow, OPERATOR, { pane: 'connectors', rowKey: undefined })).toBe('select a connector');
    expect(disabledReason(needsRow, OPERATOR, { pane: 'connectors', rowKey: 'sink' })).toBeUndefined();
    expect(actionRow(DEFAULT_KEYMAP, needsRow, OPERATOR, { pane: 'connectors', rowKey: 'sink' }).enabled).toBe(true);
  });
});
