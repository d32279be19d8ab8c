import { describe, expect, it } from 'vitest';
import { createUiStore } from './uiStore.js';

describe('uiStore (one per viewer)', () => {
  it('cycles focus both ways and leaves the filter input when focus moves', () => {
    const ui = createUiStore();
    const s = () => ui.getState();
    s().focusNext(-1);
    expect(s().focus).toBe('pipeline');
    s().focusNext(1);
    expect(s().focus).toBe('containers');
    s().startFilter();
    s().focusPane('topics');
    expect(s().filtering).toBe(false);
  });

  it('keeps a filter per pane; a new filter starts at its first match; cancel clears it', () => {
    const ui = createUiStore({ focus: 'topics' });
    const s = () => ui.getState();
    s().select('topics', 'orders', 4);
    s().startFilter();
    s().setFilter('topics', 'ord');
    expect(s().filters.topics).toBe('ord');
    expect(s().filters.containers).toBe('');
    expect(s().selection.topics).toEqual({ key: undefined, index: 0 });
    s().acceptFilter();
    expect(s().filtering).toBe(false);
    expect(s().filters.topics).toBe('ord');
    s().startFilter();
    s().cancelFilter('topics');
    expect(s().filters.topics).toBe('');
  });

  it('opens and closes overlays; typing into a confirmation only works while it is open', () => {
    const ui = createUiStore();
    const s = () => ui.getState();
    s().toggleHelp();
    expect(s().overlay.kind).toBe('help');
    s().toggleHelp();
    expect(s().overlay.kind).toBe('none');
    s().typeConfirm('x');
    expect(s().overlay.kind).toBe('none');
    s().openConfirm('cleanup', { pane: 'containers', rowKey: undefined });
    s().typeConfirm('KAFKA');
    expect(s().overlay).toMatchObject({ kind: 'confirm', typed: 'KAFKA' });
  });

  it('gives every session its own state', () => {
    const a = createUiStore();
    const b = createUiStore();
    a.getState().focusPane('snowflake');
    expect(b.getState().focus).toBe('containers');
  });
});
