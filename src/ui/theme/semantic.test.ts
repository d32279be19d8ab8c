import { describe, expect, it } from 'vitest';
import { colorEnabled, themeFor } from './semantic.js';

describe('colour switch', () => {
  it('honours NO_COLOR (any non-empty value) over everything', () => {
    expect(colorEnabled({ NO_COLOR: '1' }, undefined)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, undefined)).toBe(true);
  });

  it('honours --no-color and --color, and TERM=dumb', () => {
    expect(colorEnabled({}, false)).toBe(false);
    expect(colorEnabled({ TERM: 'dumb' }, undefined)).toBe(false);
    expect(colorEnabled({ TERM: 'dumb' }, true)).toBe(true);
    expect(colorEnabled({ TERM: 'xterm' }, undefined)).toBe(true);
  });

  it('maps roles to the 16 basic colours, or to nothing without colour', () => {
    const basic = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray'];
    for (const c of Object.values(themeFor(true).colors)) expect(basic).toContain(c);
    expect(themeFor(false).colors).toEqual({});
  });
});
