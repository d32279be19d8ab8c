import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { PRIORITY } from '../../keymap/dispatcher.js';
import type { Keypress } from '../../keymap/keypress.js';
import { healthyState } from '../test-utils/fixtures.js';
import { KEYS, renderApp, renderInConsole } from '../test-utils/render.js';
import { useKeypress } from './KeypressContext.js';

function Recorder({ seen }: { seen: Keypress[] }) {
  useKeypress(PRIORITY.global, (key) => {
    seen.push(key);
    return true;
  });
  return null;
}

async function record(...writes: string[]): Promise<Keypress[]> {
  const seen: Keypress[] = [];
  const r = await renderInConsole(<Recorder seen={seen} />);
  await r.press(...writes);
  r.unmount();
  return seen;
}

const name = (k: Keypress) => `${k.ctrl ? 'C-' : ''}${k.meta ? 'M-' : ''}${k.shift ? 'S-' : ''}${k.name}`;

describe('several keys in one stdin read', () => {
  it('are the same keypresses as the characters typed one at a time', async () => {
    // Everything a terminal sends without an escape sequence: letters, digits, punctuation,
    // Enter, Tab, Backspace (DEL and ^H), control keys, non-ASCII. (A lone Ctrl-C would end the test app.)
    const typed = fc.constantFrom(...'abcjkqzAGRSXP019/?- ', '\r', '\t', '\x7f', '\b', '\x01', '\x04', '\x15', '\x1a', 'é', '😀');
    await fc.assert(
      fc.asyncProperty(fc.array(typed, { minLength: 2, maxLength: 12 }), async (chars) => {
        const oneByOne = await record(...chars);
        const oneChunk = await record(chars.join(''));
        expect(oneChunk.map(name)).toEqual(oneByOne.map(name));
        expect(oneChunk).toHaveLength(chars.length);
      }),
      { numRuns: 25 },
    );
  });

  it('keep escape sequences whole between typed characters', async () => {
    const seen = await record(`j${KEYS.up}jk${KEYS.shiftTab}${KEYS.pageDown}G${KEYS.down}`);
    expect(seen.map(name)).toEqual(['j', 'up', 'j', 'k', 'S-tab', 'pagedown', 'S-G', 'down']);
  });

  it('still quit on a Ctrl-C that came with other keys', async () => {
    const onQuit = vi.fn();
    const r = await renderApp({ state: healthyState(), onQuit });
    await r.press(`jj${KEYS.ctrlC}`);
    expect(onQuit).toHaveBeenCalledTimes(1);
  });
});

describe('fast typing in the console', () => {
  it('"orders" written as one chunk into the open filter filters by "orders"', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press('2', '/');
    await r.press('orders');
    expect(r.ui.getState().filters.topics).toBe('orders');
    expect(r.frame()).toContain('/orders▏ 1/1 of 6');
    await r.press(KEYS.enter);
    expect(r.frame()).toContain('filter "orders" · 1/1 of 6');
  });

  it('a slash and the filter text in one chunk: the text goes to the filter, not to the keys it spells', async () => {
    const onQuit = vi.fn();
    const onRefresh = vi.fn();
    const r = await renderApp({ state: healthyState(), onQuit, onRefresh });
    await r.press('2', '/ratings\rq');
    expect(r.ui.getState().filters.topics).toBe('ratings');
    expect(onRefresh).not.toHaveBeenCalled(); // the r of "ratings"
    expect(onQuit).toHaveBeenCalledTimes(1); // the q after Enter is a key again
  });

  it('a chunk "jjk" moves the selection down twice and up once', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press('2');
    expect(r.ui.getState().selection.topics.index).toBe(0);
    await r.press('jjk');
    expect(r.ui.getState().selection.topics.index).toBe(1);
    await r.press('jjjj', `k${KEYS.down}j`);
    expect(r.ui.getState().selection.topics.index).toBe(5);
  });
});
