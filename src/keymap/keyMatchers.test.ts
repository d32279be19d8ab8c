import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYMAP, type Keymap } from './keyBindings.js';
import { bindingLabel, createKeyMatcher, matchesBinding } from './keyMatchers.js';
import { keypress } from './keypress.js';
import type { ActionDescriptor } from './actions.js';

const action = (id: string, keys?: string[]): ActionDescriptor => ({ id, title: id, dangerous: false, appliesTo: 'global', ...(keys ? { keys } : {}), run: async () => ({ ok: true, message: 'done' }) });

describe('matchesBinding', () => {
  it('tells Tab from Shift-Tab', () => {
    expect(matchesBinding({ key: 'tab' }, keypress('tab'))).toBe(true);
    expect(matchesBinding({ key: 'tab' }, keypress('tab', { shift: true }))).toBe(false);
    expect(matchesBinding({ key: 'tab', shift: true }, keypress('tab', { shift: true }))).toBe(true);
  });

  it('matches typed characters by case, whatever Shift says', () => {
    expect(matchesBinding({ key: 'G' }, keypress('G', { shift: true }))).toBe(true);
    expect(matchesBinding({ key: 'G' }, keypress('g'))).toBe(false);
    expect(matchesBinding({ key: '?' }, keypress('?', { shift: true }))).toBe(true);
  });

  it('requires the exact modifiers', () => {
    expect(matchesBinding({ key: 'c', ctrl: true }, keypress('c', { ctrl: true }))).toBe(true);
    expect(matchesBinding({ key: 'c', ctrl: true }, keypress('c'))).toBe(false);
    expect(matchesBinding({ key: 'q' }, keypress('q', { meta: true }))).toBe(false);
  });
});

describe('bindingLabel', () => {
  it('names keys the way help shows them', () => {
    expect(bindingLabel({ key: 'tab', shift: true })).toBe('Shift-Tab');
    expect(bindingLabel({ key: 'c', ctrl: true })).toBe('Ctrl-C');
    expect(bindingLabel({ key: 'up' })).toBe('↑');
    expect(bindingLabel({ key: 'return' })).toBe('Enter');
    expect(bindingLabel({ key: 'S' })).toBe('S');
  });
});

describe('createKeyMatcher', () => {
  it('answers "is this command?" from the keymap data', () => {
    const keys = createKeyMatcher(DEFAULT_KEYMAP);
    expect(keys.is('nav.down', keypress('j'))).toBe(true);
    expect(keys.is('nav.down', keypress('down'))).toBe(true);
    expect(keys.is('nav.down', keypress('k'))).toBe(false);
  });

  it('follows a changed keymap', () => {
    const custom: Keymap = { ...DEFAULT_KEYMAP, commands: { ...DEFAULT_KEYMAP.commands, 'app.quit': [{ key: 'x' }] } };
    const keys = createKeyMatcher(custom);
    expect(keys.is('app.quit', keypress('x'))).toBe(true);
    expect(keys.is('app.quit', keypress('q'))).toBe(false);
  });

  it('finds operations by the keymap first, then by their own keys', () => {
    const keys = createKeyMatcher(DEFAULT_KEYMAP);
    const setup = action('setup', ['z']);
    const restart = action('restart-connector', ['R']);
    expect(keys.actionFor(keypress('S'), [setup, restart])).toBe(setup); // keymap binds setup to S
    expect(keys.actionFor(keypress('z'), [setup, restart])).toBeUndefined();
    expect(keys.actionFor(keypress('R'), [setup, restart])).toBe(restart);
  });
});
