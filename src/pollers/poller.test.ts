import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';
import { backoffDelay, createPoller, onGrid, type PollerOptions } from './poller.js';

/** Let every settled promise run its callbacks (setImmediate comes after all microtasks). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Harness {
  clock: ManualClock;
  log: string[];
  /** number of fetches started */
  started: () => number;
  /** fetches in flight right now, and the most ever in flight at once */
  concurrency: { now: number; max: number };
  /** settle the oldest pending fetch */
  resolveNext: (value?: number) => void;
  rejectNext: (err: unknown) => void;
  pending: () => number;
  signals: AbortSignal[];
}

/** A poller whose every fetch waits until the test settles it. */
function setup(overrides: Partial<PollerOptions<number>> = {}) {
  const clock = new ManualClock(1_000);
  const log: string[] = [];
  const queue: { resolve: (v: number) => void; reject: (e: unknown) => void }[] = [];
  const signals: AbortSignal[] = [];
  let started = 0;
  const concurrency = { now: 0, max: 0 };
  let interval = 1_000;
  const poller = createPoller<number>({
    name: 'test',
    source: 'kafka',
    clock,
    intervalMs: () => interval,
    timeoutMs: 500,
    random: () => 0,
    fetch: (signal) => {
      started++;
      signals.push(signal);
      concurrency.now++;
      concurrency.max = Math.max(concurrency.max, concurrency.now);
      return new Promise<number>((resolve, reject) => {
        queue.push({ resolve, reject });
      }).finally(() => concurrency.now--);
    },
    onSuccess: (data, at, latency) => log.push(`ok ${data} at ${at} latency ${latency}`),
    onFailure: (error, at) => log.push(`fail ${error.kind} at ${at}`),
    ...overrides,
  });
  const h: Harness = {
    clock,
    log,
    started: () => started,
    concurrency,
    resolveNext: (value = 1) => queue.shift()!.resolve(value),
    rejectNext: (err) => queue.shift()!.reject(err),
    pending: () => queue.length,
    signals,
  };
  return { poller, h, setInterval: (ms: number) => (interval = ms) };
}

describe('generic poller', () => {
  it('refreshes at once on start, then on the grid of its interval (every whole second here)', async () => {
    const { poller, h } = setup();
    poller.start();
    expect(h.started()).toBe(1);
    h.clock.advance(200);
    h.resolveNext(7);
    await flush();
    expect(h.log).toEqual(['ok 7 at 1200 latency 200']);
    h.clock.advance(799);
    expect(h.started()).toBe(1);
    h.clock.advance(1); // 2000
    expect(h.started()).toBe(2);
    h.resolveNext();
    await flush();
    h.clock.advance(1_000);
    expect(h.started()).toBe(3);
    poller.stop();
  });

  it('onGrid: the next whole interval, at least half an interval away, so pollers of different latency refresh together', () => {
    expect(onGrid(1_200, 1_000)).toBe(800);
    expect(onGrid(2_000, 1_000)).toBe(1_000);
    expect(onGrid(1_700, 1_000)).toBe(1_300); // 300 ms to the next point is too close: the one after
    expect(onGrid(2_900, 2_000)).toBe(1_100);
    // a slow source (answered at +300 ms) and a fast one (+20 ms) both refresh next at 4,000
    expect(2_300 + onGrid(2_300, 2_000)).toBe(2_020 + onGrid(2_020, 2_000));
  });

  it('never runs two refreshes of one source at a time: refreshNow joins the one in flight', async () => {
    const { poller, h } = setup();
    poller.start();
    const a = poller.refreshNow();
    const b = poller.refreshNow();
    expect(h.started()).toBe(1);
    h.clock.advance(400);
    h.resolveNext();
    await Promise.all([a, b]);
    expect(h.concurrency.max).toBe(1);
    // refreshNow after the refresh ended starts a new one and cancels the scheduled tick
    await flush();
    void poller.refreshNow();
    expect(h.started()).toBe(2);
    h.resolveNext();
    await flush();
    h.clock.advance(599); // ended at 1400: the next grid point is 2000
    expect(h.started()).toBe(2);
    h.clock.advance(1);
    expect(h.started()).toBe(3);
    expect(h.concurrency.max).toBe(1);
    poller.stop();
  });

  it('turns a hung call into a timeout, aborts it, and ignores its late answer', async () => {
    const { poller, h } = setup();
    poller.start();
    h.clock.advance(500);
    await flush();
    expect(h.log).toEqual(['fail timeout at 1500']);
    expect(h.signals[0]!.aborted).toBe(true);
    expect(poller.stats().timeouts).toBe(1);
    // the hung call answers late: nothing is reported for it
    h.resolveNext(99);
    await flush();
    expect(h.log).toEqual(['fail timeout at 1500']);
    poller.stop();
  });

  it('reports an overdue answer as a timeout at once, keeps waiting, and a late answer makes it ok (issue 9)', async () => {
    const errors: SfpipeError[] = [];
    const { poller, h } = setup({ timeoutMs: 5_000, overdueAfterMs: () => 2_000, onFailure: (e, at) => (errors.push(e), h.log.push(`fail ${e.kind} at ${at}`)) });
    poller.start();
    h.clock.advance(1_999);
    await flush();
    expect(h.log).toEqual([]);
    h.clock.advance(1);
    await flush();
    expect(h.log).toEqual(['fail timeout at 3000']);
    expect(errors[0]!.message).toMatch(/no answer after 2 s \(still waiting; gives up after 5 s\)/);
    // still in flight, not aborted, and not counted as a finished failure
    expect(h.signals[0]!.aborted).toBe(false);
    expect(poller.stats()).toMatchObject({ inFlight: true, failures: 0, timeouts: 0 });
    h.clock.advance(1_000);
    h.resolveNext(5);
    await flush();
    expect(h.log).toEqual(['fail timeout at 3000', 'ok 5 at 4000 latency 3000']);
    // the next call answers in time: its overdue timer is disarmed, nothing more is reported
    h.clock.advance(1_000);
    h.clock.advance(500);
    h.resolveNext(6);
    await flush();
    expect(h.log).toEqual(['fail timeout at 3000', 'ok 5 at 4000 latency 3000', 'ok 6 at 5500 latency 500']);
    poller.stop();
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('a hung call past its overdue point still ends at its timeout, reported once more as a timeout', async () => {
    const log: string[] = [];
    const { poller, h } = setup({ timeoutMs: 5_000, overdueAfterMs: () => 2_000, onFailure: (e, at) => log.push(`fail ${e.kind} at ${at}`) });
    poller.start();
    h.clock.advance(5_000);
    await flush();
    expect(log).toEqual(['fail timeout at 3000', 'fail timeout at 6000']);
    expect(poller.stats().timeouts).toBe(1);
    poller.stop();
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('converts a non-SfpipeError rejection into an SfpipeError of its source', async () => {
    const errors: SfpipeError[] = [];
    const { poller, h } = setup({ onFailure: (e) => errors.push(e) });
    poller.start();
    h.rejectNext(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' }));
    await flush();
    expect(errors[0]).toBeInstanceOf(SfpipeError);
    expect(errors[0]!.kind).toBe('unreachable');
    expect(errors[0]!.source).toBe('kafka');
    poller.stop();
  });

  it('backs off exponentially while failing, capped, and resets on success', async () => {
    const { poller, h } = setup({ backoff: { factor: 2, maxMs: 5_000, jitter: 0 } });
    poller.start();
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      h.rejectNext(new SfpipeError('unreachable', 'kafka', 'down'));
      await flush();
      const delay = poller.stats().nextDelayMs;
      delays.push(delay);
      h.clock.advance(delay!);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
    h.resolveNext();
    await flush();
    expect(poller.stats().nextDelayMs).toBe(1_000);
    expect(poller.stats().consecutiveFailures).toBe(0);
    poller.stop();
  });

  it('jitter only shortens a delay, within the configured fraction', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const d = backoffDelay(1_000, 3, { factor: 2, maxMs: 60_000, jitter: 0.2 }, () => r);
      expect(d).toBeLessThanOrEqual(4_000);
      expect(d).toBeGreaterThanOrEqual(3_200);
    }
    expect(backoffDelay(1_000, 3, { jitter: 0.2 }, () => 0.5)).toBe(3_600);
    // the cap never goes below the interval itself
    expect(backoffDelay(60_000, 1, { maxMs: 10_000, jitter: 0 })).toBe(60_000);
  });

  it('stop() leaves no timer and ignores the answer of a refresh in flight', async () => {
    const { poller, h } = setup();
    poller.start();
    h.resolveNext();
    await flush();
    expect(h.clock.pendingTimers()).toBe(1);
    poller.stop();
    expect(h.clock.pendingTimers()).toBe(0);

    poller.start();
    expect(h.started()).toBe(2);
    poller.stop();
    expect(h.signals[1]!.aborted).toBe(true);
    h.resolveNext(5);
    await flush();
    expect(h.log).toEqual(['ok 1 at 1000 latency 0']);
    expect(h.clock.pendingTimers()).toBe(0);
    h.clock.advance(60_000);
    expect(h.started()).toBe(2);
  });

  it('with interval 0 never refreshes on its own, only on refreshNow', async () => {
    const { poller, h } = setup({ intervalMs: () => 0 });
    poller.start();
    h.clock.advance(3_600_000);
    expect(h.started()).toBe(0);
    const done = poller.refreshNow();
    expect(h.started()).toBe(1);
    h.resolveNext();
    await done;
    expect(h.clock.pendingTimers()).toBe(0);
    poller.stop();
  });

  it('refreshNow works on a stopped poller without scheduling anything', async () => {
    const { poller, h } = setup();
    const done = poller.refreshNow();
    h.resolveNext(3);
    await done;
    expect(h.log).toEqual(['ok 3 at 1000 latency 0']);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('keeps polling when a handler throws, reporting it as an internal failure', async () => {
    const failures: string[] = [];
    const { poller, h } = setup({
      onSuccess: () => {
        throw new Error('bug in a store action');
      },
      onFailure: (e) => failures.push(`${e.kind}: ${e.message}`),
    });
    poller.start();
    h.resolveNext();
    await flush();
    expect(failures).toEqual(['internal: bug in a store action']);
    h.clock.advance(1_000);
    expect(h.started()).toBe(2);
    poller.stop();
  });
});
