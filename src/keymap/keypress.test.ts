import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { fromInk, typedKeypresses } from './keypress.js';

const flags = (over: Partial<Key> = {}): Key => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...over,
});

describe('fromInk', () => {
  it('names special keys and keeps typed characters as they are', () => {
    expect(fromInk('', flags({ upArrow: true })).name).toBe('up');
    expect(fromInk('', flags({ tab: true, shift: true }))).toMatchObject({ name: 'tab', shift: true });
    expect(fromInk('G', flags({ shift: true })).name).toBe('G');
    expect(fromInk('c', flags({ ctrl: true }))).toMatchObject({ name: 'c', ctrl: true });
  });

  it('treats DEL (what Backspace sends) as backspace and escape without meta', () => {
    expect(fromInk('', flags({ delete: true })).name).toBe('backspace');
    expect(fromInk('', flags({ escape: true, meta: true }))).toMatchObject({ name: 'escape', meta: false });
  });
});

describe('typedKeypresses', () => {
  it('makes one keypress per character of a typed run, control characters named', () => {
    expect(typedKeypresses('jK\r\t\x7f\b\x01é😀').map((k) => `${k.ctrl ? 'C-' : ''}${k.shift ? 'S-' : ''}${k.name}`)).toEqual([
      'j', 'S-K', 'return', 'tab', 'backspace', 'backspace', 'C-a', 'é', '😀',
    ]);
  });
});
