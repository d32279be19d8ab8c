/**
 * patches/kafkajs+2.2.4.patch: an idle connection's request queue scheduled a check of its
 * empty queue every millisecond, forever (tulios/kafkajs#1556, #1704) — the console's largest
 * idle CPU cost. These tests hold the patched queue to: no timer while idle, and the throttle
 * path (the reason the timer exists) still sends what waits once the throttle is over.
 */
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  checkPendingRequests(): void;
  destroy(): void;
}
type QueueClass = new (o: Record<string, unknown>) => Queue;

const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as QueueClass;
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queue = () => new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: '127.0.0.1:1', logger });

describe('patched kafkajs request queue', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('schedules nothing when nothing is pending and nothing throttles', () => {
    const q = queue();
    q.checkPendingRequests(); // what every reply does
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('still sends a pending request when the broker-asked throttle is over', () => {
    const q = queue();
    const send = vi.fn();
    q.throttledUntil = Date.now() + 50;
    q.pending.push({ send, expectResponse: true, correlationId: 1, pendingDuration: 0 });
    q.checkPendingRequests();
    expect(send).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(60);
    expect(send).toHaveBeenCalledTimes(1);
    expect(q.pending).toHaveLength(0);
    // and once sent, the queue goes quiet
    vi.advanceTimersByTime(1_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
