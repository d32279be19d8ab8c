import { describe, expect, it } from 'vitest';
import { healthyState } from '../test-utils/fixtures.js';
import { KEYS, renderApp } from '../test-utils/render.js';

const statusLine = (r: { lines: () => string[] }) => r.lines().at(-1) ?? '';

describe('status line hints follow the situation', () => {
  it('pane keys normally, filter keys while typing, close keys in an overlay', async () => {
    const r = await renderApp({ state: healthyState(), columns: 120 });
    expect(statusLine(r)).toContain('↑↓ move  Enter details  / filter  Tab pane  r refresh  ? help  q quit');
    await r.press('/');
    expect(statusLine(r)).toContain('Enter keep filter  Esc clear  ↑↓ move');
    await r.press(KEYS.escape, '?');
    expect(statusLine(r)).toContain('Esc close');
    await r.press(KEYS.escape, KEYS.enter);
    expect(statusLine(r)).toContain('↑↓ scroll  Esc close');
  });
});
