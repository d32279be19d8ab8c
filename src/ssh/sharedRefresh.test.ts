import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { sharedRefresh } from './sharedRefresh.js';

describe('shared manual refresh', () => {
  it('joins a refresh in flight and absorbs presses right after it', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    let finish: () => void = () => undefined;
    const refresh = sharedRefresh(
      () => {
        calls++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      clock,
      1000,
    );
    const presses = [refresh(), refresh(), refresh()];
    expect(calls).toBe(1);
    finish();
    await Promise.all(presses);
    await refresh(); // within a second of the last one: absorbed
    expect(calls).toBe(1);
    clock.advance(1000);
    const later = refresh();
    finish();
    await later;
    expect(calls).toBe(2);
    expect(refresh.started()).toBe(2);
  });

  it('never rejects', async () => {
    const refresh = sharedRefresh(() => Promise.reject(new Error('down')), new ManualClock(0), 0);
    await expect(refresh()).resolves.toBeUndefined();
  });
});
