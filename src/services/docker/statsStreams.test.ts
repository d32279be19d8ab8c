import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock.js';
import { StatsStreams } from './statsStreams.js';

const frame = (total: number, system: number, memory: number) =>
  `${JSON.stringify({ cpu_stats: { cpu_usage: { total_usage: total }, system_cpu_usage: system, online_cpus: 1 }, precpu_stats: {}, memory_stats: { usage: memory, limit: 1e9 } })}\n`;

/** Opens in-memory streams and remembers them, so a test can feed frames and see what was closed. */
function harness() {
  const clock = new ManualClock(1_000);
  const opened: { id: string; stream: PassThrough; signal: AbortSignal }[] = [];
  let failNext = false;
  const streams = new StatsStreams(
    async (id, signal) => {
      if (failNext) {
        failNext = false;
        throw new Error('no such container');
      }
      const stream = new PassThrough();
      opened.push({ id, stream, signal });
      return stream;
    },
    { clock, maxAgeMs: 5_000, retryMs: 10_000 },
  );
  const settle = () => new Promise((r) => setImmediate(r));
  return { clock, opened, streams, settle, failNext: () => (failNext = true) };
}

describe('stats subscriptions', () => {
  it('opens one subscription per running container, however often the list is read', async () => {
    const h = harness();
    for (let i = 0; i < 5; i++) {
      h.streams.sync(['a', 'b', 'c']);
      await h.settle();
    }
    expect(h.opened.map((o) => o.id)).toEqual(['a', 'b', 'c']);
    expect(h.streams.size).toBe(3);
  });

  it('reports the latest frame, with CPU from the frame before, and forgets a stale one', async () => {
    const h = harness();
    h.streams.sync(['a']);
    await h.settle();
    const a = h.opened[0]!.stream;
    a.write(frame(100, 1_000, 500));
    await h.settle();
    expect(h.streams.sample('a')).toMatchObject({ cpuPercent: undefined, memoryBytes: 500 });
    // a frame split in two chunks
    const next = frame(300, 2_000, 700);
    a.write(next.slice(0, 10));
    a.write(next.slice(10));
    await h.settle();
    expect(h.streams.sample('a')).toMatchObject({ cpuPercent: 20, memoryBytes: 700 });
    a.write('{"garbled\n');
    await h.settle();
    expect(h.streams.sample('a')).toMatchObject({ cpuPercent: 20, memoryBytes: 700 });
    h.clock.advance(5_001);
    expect(h.streams.sample('a')).toBeUndefined();
  });

  it('closes the subscription of a container that stopped or went away', async () => {
    const h = harness();
    h.streams.sync(['a', 'b']);
    await h.settle();
    h.streams.sync(['b']);
    expect(h.opened[0]!.signal.aborted).toBe(true);
    expect(h.opened[0]!.stream.destroyed).toBe(true);
    expect(h.opened[1]!.signal.aborted).toBe(false);
    expect(h.streams.size).toBe(1);
  });

  it('does not reopen a failed or ended subscription before retryMs', async () => {
    const h = harness();
    h.failNext();
    h.streams.sync(['a']);
    await h.settle();
    expect(h.streams.size).toBe(0);
    h.streams.sync(['a']);
    await h.settle();
    expect(h.opened).toHaveLength(0);
    h.clock.advance(10_000);
    h.streams.sync(['a']);
    await h.settle();
    expect(h.opened).toHaveLength(1);

    h.opened[0]!.stream.end();
    await h.settle();
    expect(h.streams.size).toBe(0);
    h.streams.sync(['a']);
    await h.settle();
    expect(h.opened).toHaveLength(1);
  });

  it('closes everything on close() and opens nothing after', async () => {
    const h = harness();
    h.streams.sync(['a', 'b']);
    await h.settle();
    h.streams.close();
    expect(h.opened.every((o) => o.signal.aborted && o.stream.destroyed)).toBe(true);
    h.streams.sync(['c']);
    await h.settle();
    expect(h.opened).toHaveLength(2);
  });
});
