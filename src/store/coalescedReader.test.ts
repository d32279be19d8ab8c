import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { ManualClock } from '../domain/clock.js';
import { coalescedReader } from './coalescedReader.js';

describe('coalescedReader', () => {
  it('shows a burst of writes as one change at the end of the window, with the latest state', () => {
    const clock = new ManualClock(0);
    const store = createStore<{ n: number }>(() => ({ n: 0 }));
    const view = coalescedReader(store, clock, 100);
    const seen: Array<[number, number]> = [];
    view.subscribe((s, prev) => seen.push([s.n, prev.n]));
    store.setState({ n: 1 });
    clock.advance(30);
    store.setState({ n: 2 });
    store.setState({ n: 3 });
    expect(view.getState().n).toBe(0);
    expect(seen).toEqual([]);
    clock.advance(70);
    expect(seen).toEqual([[3, 0]]);
    expect(view.getState().n).toBe(3);
    // the next write opens a new window
    store.setState({ n: 4 });
    clock.advance(99);
    expect(seen).toHaveLength(1);
    clock.advance(1);
    expect(seen).toEqual([
      [3, 0],
      [4, 3],
    ]);
  });

  it('tells nobody when the writes ended where they started', () => {
    const clock = new ManualClock(0);
    const first = { n: 0 };
    const store = createStore<{ n: number }>(() => first);
    const view = coalescedReader(store, clock, 50);
    let calls = 0;
    view.subscribe(() => calls++);
    store.setState({ n: 1 });
    store.setState(first, true);
    clock.advance(50);
    expect(calls).toBe(0);
  });

  it('with a window of 0 is the store itself; unsubscribing the last listener cancels the pending flush', () => {
    const clock = new ManualClock(0);
    const store = createStore<{ n: number }>(() => ({ n: 0 }));
    expect(coalescedReader(store, clock, 0)).toBe(store);
    const view = coalescedReader(store, clock, 100);
    let calls = 0;
    const off = view.subscribe(() => calls++);
    store.setState({ n: 1 });
    off();
    clock.advance(200);
    expect(calls).toBe(0);
    // a new subscriber starts from the store as it is now
    view.subscribe(() => calls++);
    expect(view.getState().n).toBe(1);
  });
});
