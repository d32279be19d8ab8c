import { describe, expect, it, vi } from 'vitest';
import { healthyState, nothingState } from './test-utils/fixtures.js';
import { KEYS, renderApp } from './test-utils/render.js';

const activeTab = (frame: string) => /\[(\d) (\w+)\]/.exec(frame)?.[2];

describe('App: layout for the terminal size', () => {
  it('tabs at 80×24 with everything fitting, a grid of all panes from 150×40', async () => {
    const r = await renderApp({ state: healthyState(), columns: 80, rows: 24 });
    expect(r.lines()).toHaveLength(23);
    for (const line of r.lines()) expect([...line].length).toBeLessThanOrEqual(80);
    expect(activeTab(r.frame())).toBe('Containers');
    await r.resize(160, 44);
    for (const title of ['1 Containers', '2 Topics', '3 Connectors', '4 Snowflake', '5 Pipeline', 'Events']) expect(r.frame()).toContain(title);
    expect(r.lines()).toHaveLength(43);
  });

  it('below 80×24 says the terminal is too small, and comes back when enlarged', async () => {
    const r = await renderApp({ state: healthyState(), columns: 70, rows: 20 });
    expect(r.frame()).toContain('terminal too small (need 80×24, have 70×20)');
    await r.resize(100, 30);
    expect(r.frame()).not.toContain('too small');
    expect(r.frame()).toContain('1 Containers');
  });

  it('first run with nothing running: every pane says what is missing', async () => {
    const r = await renderApp({ state: nothingState(), columns: 160, rows: 44 });
    expect(r.frame()).toContain('Docker engine unreachable');
    expect(r.frame()).toContain('Kafka broker unreachable: connect ECONNREFUSED 127.0.0.1:9092');
    expect(r.frame()).toContain('Kafka Connect worker unreachable');
    expect(r.frame()).toContain('No Snowflake connection configured.');
    expect(r.frame()).toContain('sfpipe doctor');
  });
});

describe('App: keys', () => {
  it('Tab, Shift-Tab and 1–5 move the focus', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press(KEYS.tab);
    expect(activeTab(r.frame())).toBe('Topics');
    await r.press(KEYS.shiftTab, KEYS.shiftTab);
    expect(activeTab(r.frame())).toBe('Pipeline');
    await r.press('3');
    expect(activeTab(r.frame())).toBe('Connectors');
    expect(r.ui.getState().focus).toBe('connectors');
  });

  it('j/k and arrows move the selection of the focused pane only, and each pane remembers its own', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press('2', 'j', KEYS.down);
    expect(r.frame()).toContain('› pageviews'); // clickstream, orders, pageviews …
    await r.press('1', 'j');
    expect(r.frame()).toContain('› connect');
    await r.press('2');
    expect(r.frame()).toContain('› pageviews');
    await r.press('k');
    expect(r.frame()).toContain('› orders');
  });

  it('? opens help generated from the keymap; ? or Esc closes it; keys do not leak to the panes meanwhile', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press('?');
    expect(r.frame()).toContain('Keys');
    expect(r.frame()).toContain('quit and restore the terminal');
    await r.press('2');
    expect(r.ui.getState().focus).toBe('containers');
    await r.press('?');
    expect(r.frame()).not.toContain('quit and restore the terminal');
    await r.press('?', KEYS.escape);
    expect(r.ui.getState().overlay.kind).toBe('none');
  });

  it('r asks for a refresh through the injected callback', async () => {
    const onRefresh = vi.fn();
    const r = await renderApp({ state: healthyState(), onRefresh });
    await r.press('r');
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(r.frame()).toContain('refresh requested');
  });

  it('q quits: onQuit is told and the app exits', async () => {
    const onQuit = vi.fn();
    const r = await renderApp({ state: healthyState(), onQuit });
    await r.press('q');
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(r.exited()).toBe(true);
  });

  it('Ctrl-C quits even from inside an overlay', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press('?', KEYS.ctrlC);
    expect(r.exited()).toBe(true);
  });

  it('q while typing a filter is part of the filter, not a quit', async () => {
    const r = await renderApp({ state: healthyState() });
    await r.press('2', '/', 'q');
    expect(r.exited()).toBe(false);
    expect(r.frame()).toContain('/q▏');
  });
});
