/**
 * One normalised keypress. Ink hands us (input, Key flags); everything past the root
 * input hook sees only this shape, so matchers and tests never depend on Ink's flags.
 */
import type { Key } from 'ink';

export interface Keypress {
  /** 'up', 'down', 'tab', 'return', 'escape', 'backspace', … or the typed character ('q', 'S', '?') */
  name: string;
  ctrl: boolean;
  shift: boolean;
  meta: boolean;
}

const NAMED: ReadonlyArray<[keyof Key, string]> = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pageup'],
  ['pageDown', 'pagedown'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'return'],
  ['escape', 'escape'],
  ['tab', 'tab'],
  ['backspace', 'backspace'],
  // Most terminals send DEL (0x7f) for the Backspace key; Ink names that 'delete'.
  ['delete', 'backspace'],
];

export function fromInk(input: string, key: Key): Keypress {
  for (const [flag, name] of NAMED) {
    // Ink reports escape with meta set; an escape is just an escape here.
    if (key[flag] === true) return { name, ctrl: key.ctrl, shift: key.shift, meta: name === 'escape' ? false : key.meta };
  }
  return { name: input, ctrl: key.ctrl, shift: key.shift, meta: key.meta };
}

/**
 * Ink's input parser cuts escape sequences (arrows, Shift-Tab …) out of a stdin read, but hands
 * the plain characters between them over as one string: "jjk" when three keys arrived in one
 * read (a fast typist, a paste, a busy event loop). Those are one keypress per character, named
 * exactly as Ink names that character when it arrives alone.
 */
export function typedKeypresses(text: string): Keypress[] {
  return [...text].map(typedKeypress);
}

function typedKeypress(ch: string): Keypress {
  const code = ch.codePointAt(0)!;
  switch (code) {
    case 0x0d:
      return keypress('return');
    case 0x09:
      return keypress('tab');
    case 0x08:
    case 0x7f:
      return keypress('backspace');
    case 0x0a:
      return keypress(ch); // Ink leaves a lone line feed (Ctrl-J) unnamed
    default:
      // Ctrl-A … Ctrl-Z (and Ctrl-@ / Ctrl-Space as NUL)
      if (code <= 0x1a) return keypress(String.fromCharCode(code + 0x60), { ctrl: true });
      return keypress(ch, { shift: /^[A-Z]$/.test(ch) });
  }
}

/** Build a keypress by hand (tests, dispatcher unit tests). */
export function keypress(name: string, mods: Partial<Omit<Keypress, 'name'>> = {}): Keypress {
  return { name, ctrl: mods.ctrl ?? false, shift: mods.shift ?? false, meta: mods.meta ?? false };
}
