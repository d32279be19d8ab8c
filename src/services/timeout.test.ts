import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { withTimeout } from './timeout.js';

const opts = (clock: ManualClock, extra: { signal?: AbortSignal } = {}) => ({ timeoutMs: 3_000, clock, source: 'connect' as const, what: 'list connectors', ...extra });

describe('withTimeout', () => {
  it('rejects a call that does not answer in time with a timeout error, aborting it', async () => {
    const clock = new ManualClock();
    let signal: AbortSignal | undefined;
    const p = withTimeout((s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    }, opts(clock));
    clock.advance(2_999);
    expect(signal!.aborted).toBe(false);
    clock.advance(1);
    await expect(p).rejects.toMatchObject({ kind: 'timeout', source: 'connect', message: 'list connectors: no answer within 3s' });
    expect(signal!.aborted).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('passes answers through and clears its timer', async () => {
    const clock = new ManualClock();
    await expect(withTimeout(() => Promise.resolve(42), opts(clock))).resolves.toBe(42);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('turns a thrown or foreign error into an SfpipeError of the source', async () => {
    const clock = new ManualClock();
    const thrown = withTimeout(() => {
      throw new Error('sync bug');
    }, opts(clock));
    await expect(thrown).rejects.toBeInstanceOf(SfpipeError);
    await expect(withTimeout(() => Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), opts(clock))).rejects.toMatchObject({ kind: 'unreachable', source: 'connect' });
  });

  it('an outer abort cancels at once', async () => {
    const clock = new ManualClock();
    const outer = new AbortController();
    const p = withTimeout(() => new Promise<never>(() => undefined), opts(clock, { signal: outer.signal }));
    outer.abort();
    await expect(p).rejects.toMatchObject({ kind: 'timeout', message: 'list connectors: cancelled' });
    expect(clock.pendingTimers()).toBe(0);
  });
});
