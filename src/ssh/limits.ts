/**
 * What one server will put up with: concurrent sessions, idle sessions, addresses that keep
 * failing to authenticate, clients that linger before logging in or stop reading output.
 * Time comes from the injected clock, so every limit is testable without sleeping.
 */
import type { Clock } from '../domain/clock.js';
import { SfpipeError } from '../domain/errors.js';

export interface LimitSettings {
  /** console or status sessions at once (across all connections) */
  maxSessions: number;
  /** a session with no input for this long is closed; 0 = never */
  idleTimeoutMs: number;
  /** failed logins from one address within the window before it is refused */
  maxAuthFailures: number;
  authFailureWindowMs: number;
  /** credentials one connection may try before it is dropped (OpenSSH's MaxAuthTries) */
  maxAuthTries: number;
  /** time to log in after connecting (OpenSSH's LoginGraceTime) */
  loginGraceMs: number;
  /** connections not yet authenticated, at once */
  maxUnauthenticated: number;
  /** output queued for a client that does not read, before its session is closed */
  maxOutputBacklogBytes: number;
  /** keepalives detect a client that vanished without closing (network gone) */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const DEFAULT_LIMITS: Readonly<LimitSettings> = {
  maxSessions: 20,
  idleTimeoutMs: 1800_000,
  maxAuthFailures: 5,
  authFailureWindowMs: 600_000,
  maxAuthTries: 6,
  loginGraceMs: 30_000,
  maxUnauthenticated: 10,
  maxOutputBacklogBytes: 4 * 1024 * 1024,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 4,
};

/** Flag values → limits; a bad value names its flag. */
export function limitsFromFlags(flags: { maxSessions?: unknown; idleTimeoutSeconds?: unknown }): LimitSettings {
  const limits = { ...DEFAULT_LIMITS };
  if (flags.maxSessions !== undefined) {
    const n = flags.maxSessions;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1000) {
      throw new SfpipeError('invalid-input', 'cli', `--max-sessions must be a whole number from 1 to 1000, got ${String(n)}`, { location: '--max-sessions' });
    }
    limits.maxSessions = n;
  }
  if (flags.idleTimeoutSeconds !== undefined) {
    const s = flags.idleTimeoutSeconds;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 7 * 86_400) {
      throw new SfpipeError('invalid-input', 'cli', `--idle-timeout must be seconds from 0 (never) to 604800, got ${String(s)}`, { location: '--idle-timeout' });
    }
    limits.idleTimeoutMs = Math.round(s * 1000);
  }
  return limits;
}

const MAX_TRACKED_ADDRESSES = 10_000;

/** Failed logins per address in a sliding window; an address at the limit is refused until the oldest failure ages out. */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Record a failed login; returns the failures now in the window. */
  record(address: string): number {
    const list = this.recent(address);
    list.push(this.clock.now());
    this.failures.delete(address);
    this.failures.set(address, list); // re-insert: the map stays ordered oldest-touched first
    if (this.failures.size > MAX_TRACKED_ADDRESSES) this.failures.delete(this.failures.keys().next().value as string);
    return list.length;
  }

  /** undefined when the address may try, else how long until it may. */
  blockedFor(address: string): number | undefined {
    const list = this.recent(address);
    if (list.length < this.max) return undefined;
    return list[list.length - this.max]! + this.windowMs - this.clock.now();
  }

  get trackedAddresses(): number {
    return this.failures.size;
  }

  private recent(address: string): number[] {
    const since = this.clock.now() - this.windowMs;
    const list = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }
}

/** Calls `onIdle` once no touch() came for `ms`; one timer, re-armed only when it fires early. */
export class IdleTimer {
  private last: number;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.last = clock.now();
    if (ms > 0) this.arm(ms);
  }

  touch(): void {
    this.last = this.clock.now();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delay: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      const quiet = this.clock.now() - this.last;
      if (quiet >= this.ms) {
        this.stopped = true;
        this.onIdle();
      } else this.arm(this.ms - quiet);
    }, delay);
  }
}

/** A counted pool: acquire() gives a release function, or undefined when full. */
export class Slots {
  private used = 0;

  constructor(private readonly max: number) {}

  get active(): number {
    return this.used;
  }

  get capacity(): number {
    return this.max;
  }

  acquire(): (() => void) | undefined {
    if (this.used >= this.max) return undefined;
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
    };
  }
}
