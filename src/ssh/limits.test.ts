import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { DEFAULT_LIMITS, FailedAuthLimiter, IdleTimer, limitsFromFlags, Slots } from './limits.js';

describe('failed logins per address', () => {
  it('blocks an address at the limit until its oldest failure leaves the window', () => {
    const clock = new ManualClock(0);
    const limiter = new FailedAuthLimiter(clock, 3, 60_000);
    expect(limiter.record('10.0.0.1')).toBe(1);
    clock.advance(10_000);
    limiter.record('10.0.0.1');
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
    clock.advance(10_000);
    expect(limiter.record('10.0.0.1')).toBe(3);
    expect(limiter.blockedFor('10.0.0.1')).toBe(40_000); // the first failure (t=0) ages out at t=60 s
    expect(limiter.blockedFor('10.0.0.2')).toBeUndefined();
    clock.advance(40_000);
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
    clock.advance(60_000);
    expect(limiter.trackedAddresses).toBe(1);
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
    expect(limiter.trackedAddresses).toBe(0); // forgotten once nothing is recent
  });
});

describe('idle timer', () => {
  it('fires after the idle time without input, and input postpones it', () => {
    const clock = new ManualClock(0);
    let fired = 0;
    const idle = new IdleTimer(clock, 1000, () => fired++);
    clock.advance(900);
    idle.touch();
    clock.advance(900);
    expect(fired).toBe(0);
    clock.advance(100);
    expect(fired).toBe(1);
    clock.advance(5000);
    expect(fired).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('leaves no timer behind when stopped, and 0 means never', () => {
    const clock = new ManualClock(0);
    let fired = 0;
    new IdleTimer(clock, 1000, () => fired++).stop();
    new IdleTimer(clock, 0, () => fired++);
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(10_000);
    expect(fired).toBe(0);
  });
});

describe('slots', () => {
  it('gives out at most max and takes each back once', () => {
    const slots = new Slots(2);
    const a = slots.acquire()!;
    slots.acquire();
    expect(slots.acquire()).toBeUndefined();
    a();
    a();
    expect(slots.active).toBe(1);
    expect(slots.acquire()).toBeDefined();
  });
});

describe('limits from flags', () => {
  it('takes defaults and validates values, naming the flag', () => {
    expect(limitsFromFlags({})).toEqual(DEFAULT_LIMITS);
    expect(limitsFromFlags({ maxSessions: 3, idleTimeoutSeconds: 90 })).toMatchObject({ maxSessions: 3, idleTimeoutMs: 90_000 });
    expect(() => limitsFromFlags({ maxSessions: 0 })).toThrow(/--max-sessions must be a whole number/);
    expect(() => limitsFromFlags({ maxSessions: 2.5 })).toThrow(/--max-sessions/);
    expect(() => limitsFromFlags({ idleTimeoutSeconds: -1 })).toThrow(/--idle-timeout/);
  });
});
