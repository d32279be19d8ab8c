import { describe, expect, it } from 'vitest';
import { KeypressDispatcher, PRIORITY } from './dispatcher.js';
import { keypress } from './keypress.js';

describe('KeypressDispatcher', () => {
  it('offers a key to the highest priority first and stops at the first taker', () => {
    const d = new KeypressDispatcher();
    const seen: string[] = [];
    d.register(PRIORITY.global, () => (seen.push('global'), true));
    d.register(PRIORITY.overlay, () => (seen.push('overlay'), false));
    d.register(PRIORITY.pane, () => (seen.push('pane'), true));
    expect(d.dispatch(keypress('x'))).toBe(true);
    expect(seen).toEqual(['overlay', 'pane']);
  });

  it('reports a key nobody wanted', () => {
    const d = new KeypressDispatcher();
    d.register(PRIORITY.pane, () => false);
    expect(d.dispatch(keypress('x'))).toBe(false);
  });

  it('asks the newest handler first within one priority', () => {
    const d = new KeypressDispatcher();
    const seen: string[] = [];
    d.register(PRIORITY.pane, () => (seen.push('old'), false));
    d.register(PRIORITY.pane, () => (seen.push('new'), false));
    d.dispatch(keypress('x'));
    expect(seen).toEqual(['new', 'old']);
  });

  it('unregisters, also from inside a handler while dispatching', () => {
    const d = new KeypressDispatcher();
    const seen: string[] = [];
    const off = d.register(PRIORITY.overlay, () => {
      seen.push('overlay');
      off();
      return false;
    });
    d.register(PRIORITY.global, () => (seen.push('global'), true));
    d.dispatch(keypress('x'));
    d.dispatch(keypress('y'));
    expect(seen).toEqual(['overlay', 'global', 'global']);
    expect(d.size).toBe(1);
  });
});
