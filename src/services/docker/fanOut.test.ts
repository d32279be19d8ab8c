import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanOut } from './fanOut.js';

/** What an HTTP request does with its signal: listen for abort until it has its answer. */
function request(signal: AbortSignal, answer: () => Promise<void>): Promise<void> {
  const onAbort = () => undefined;
  signal.addEventListener('abort', onAbort, { once: true });
  return answer().finally(() => signal.removeEventListener('abort', onAbort));
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('fanOut', () => {
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  // (the same 50 requests on one plain AbortSignal print MaxListenersExceededWarning)
  it('runs 50 requests at once under one call without a listener-leak warning', async () => {
    const call = new AbortController();
    let inFlight = 0;
    let most = 0;
    const results = await fanOut(Array.from({ length: 50 }, (_, i) => i), call.signal, (i, signal) =>
      request(signal, async () => {
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
      }).then(() => i * 2),
    );
    await tick(); // a warning is emitted on the next tick
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(most).toBe(50);
    expect(warnings).toEqual([]);
    expect(getEventListeners(call.signal, 'abort')).toHaveLength(0);
  });

  it('aborts every item when the call is aborted', async () => {
    const call = new AbortController();
    const seen: AbortSignal[] = [];
    const running = fanOut([1, 2, 3], call.signal, (_, signal) => {
      seen.push(signal);
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    });
    call.abort(new Error('timeout'));
    await expect(running).rejects.toThrow('aborted');
    expect(seen.every((s) => s.aborted)).toBe(true);
    expect(seen[0]!.reason).toEqual(new Error('timeout'));
  });

  it('gives an already aborted signal to the items of an aborted call', async () => {
    const call = new AbortController();
    call.abort();
    const aborted = await fanOut([1, 2], call.signal, async (_, signal) => signal.aborted);
    expect(aborted).toEqual([true, true]);
  });

  it('fails with the first failure and aborts the others', async () => {
    const call = new AbortController();
    let other: AbortSignal | undefined;
    const running = fanOut(['fails', 'waits'], call.signal, async (item, signal) => {
      if (item === 'fails') {
        await tick();
        throw new Error('no such container');
      }
      other = signal;
      await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      return 'cancelled';
    });
    await expect(running).rejects.toThrow('no such container');
    expect(other?.aborted).toBe(true);
    expect(call.signal.aborted).toBe(false);
    expect(getEventListeners(call.signal, 'abort')).toHaveLength(0);
  });

  it('does nothing for no items', async () => {
    expect(await fanOut([], new AbortController().signal, () => Promise.reject(new Error('not called')))).toEqual([]);
  });
});
