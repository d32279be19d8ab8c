/**
 * The generic poller: refresh at once, then again `interval` after each refresh ends (so a
 * slow source is never asked twice at a time); every call bounded by a timeout whose late
 * answer is ignored; exponential backoff with jitter while the source fails, reset by the
 * first success. Time comes from an injected Clock; stop() leaves no timer behind.
 */
import type { Clock } from '../domain/clock.js';
import { SfpipeError, toSfpipeError, type ErrorSource } from '../domain/errors.js';
import { withTimeout } from '../services/timeout.js';

export interface BackoffOptions {
  /** multiplier per consecutive failure (default 2) */
  factor?: number;
  /** longest wait between attempts (default 30 s, never below the interval) */
  maxMs?: number;
  /** fraction taken off at random, 0..1 (default 0.2): delay ∈ [(1−jitter)·d, d] */
  jitter?: number;
}

export interface PollerOptions<T> {
  /** what is polled, for messages: "kafka", "snowflake backlog" */
  name: string;
  source: ErrorSource;
  clock: Clock;
  /** pause after a refresh before the next one, read each time; 0 = only on refreshNow() */
  intervalMs: () => number;
  timeoutMs: number;
  /**
   * An answer this late is reported at once as a 'timeout' failure ("no answer after …, still
   * waiting"), so a slow source shows as stale long before its timeout; the call goes on, and
   * an answer that still comes makes it ok again. Read at each call; absent = only the timeout.
   */
  overdueAfterMs?: () => number;
  backoff?: BackoffOptions;
  /** injected for tests; Math.random by default */
  random?: () => number;
  fetch: (signal: AbortSignal, timeoutMs: number) => Promise<T>;
  onSuccess: (data: T, at: number, latencyMs: number) => void;
  onFailure: (error: SfpipeError, at: number) => void;
}

export interface PollerStats {
  /** backend calls started (a benchmark's "queries per minute" comes from here) */
  calls: number;
  successes: number;
  failures: number;
  timeouts: number;
  consecutiveFailures: number;
  /** delay of the pending timer, undefined when none is scheduled */
  nextDelayMs: number | undefined;
  inFlight: boolean;
}

export interface Poller {
  readonly name: string;
  start(): void;
  stop(): void;
  /** Refresh now (or join the refresh in flight); never rejects. Works stopped too, without scheduling. */
  refreshNow(): Promise<void>;
  stats(): PollerStats;
  readonly running: boolean;
}

export function createPoller<T>(options: PollerOptions<T>): Poller {
  return new GenericPoller(options);
}

class GenericPoller<T> implements Poller {
  readonly name: string;
  private isRunning = false;
  private timer: unknown;
  private nextDelayMs: number | undefined;
  private inFlight: Promise<void> | undefined;
  /** aborted by stop(): cancels the call in flight and makes its result be ignored */
  private lifetime = new AbortController();
  private counters = { calls: 0, successes: 0, failures: 0, timeouts: 0 };
  private consecutiveFailures = 0;

  constructor(private readonly o: PollerOptions<T>) {
    this.name = o.name;
  }

  get running(): boolean {
    return this.isRunning;
  }

  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.lifetime = new AbortController();
    if (this.o.intervalMs() <= 0) return;
    // A refresh from before a stop() may still be settling: refresh once it has.
    if (this.inFlight) void this.inFlight.then(() => this.refreshNow());
    else void this.refreshNow();
  }

  stop(): void {
    this.isRunning = false;
    this.clearTimer();
    this.lifetime.abort();
  }

  refreshNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.clearTimer();
    const lifetime = this.isRunning ? this.lifetime : new AbortController();
    this.inFlight = this.refresh(lifetime.signal).finally(() => {
      this.inFlight = undefined;
      this.scheduleNext();
    });
    return this.inFlight;
  }

  stats(): PollerStats {
    return { ...this.counters, consecutiveFailures: this.consecutiveFailures, nextDelayMs: this.nextDelayMs, inFlight: this.inFlight !== undefined };
  }

  private async refresh(lifetime: AbortSignal): Promise<void> {
    const { clock, source, timeoutMs } = this.o;
    const started = clock.now();
    this.counters.calls++;
    const overdue = this.watchOverdue(lifetime);
    let data: T;
    try {
      data = await withTimeout((signal) => this.o.fetch(signal, timeoutMs), { timeoutMs, clock, source, what: this.o.name, signal: lifetime });
    } catch (err) {
      overdue();
      if (lifetime.aborted) return; // stopped: nobody wants this answer
      const error = toSfpipeError(err, source);
      this.counters.failures++;
      if (error.kind === 'timeout') this.counters.timeouts++;
      this.consecutiveFailures++;
      this.report(() => this.o.onFailure(error, clock.now()));
      return;
    }
    overdue();
    if (lifetime.aborted) return;
    this.counters.successes++;
    this.consecutiveFailures = 0;
    const at = clock.now();
    this.report(() => this.o.onSuccess(data, at, at - started));
  }

  /** Arms the overdue report for one call; returns what disarms it. */
  private watchOverdue(lifetime: AbortSignal): () => void {
    const { clock, source, timeoutMs } = this.o;
    const after = this.o.overdueAfterMs?.();
    if (after === undefined || after <= 0 || after >= timeoutMs) return () => undefined;
    const timer = clock.setTimeout(() => {
      if (lifetime.aborted) return;
      const message = `${this.o.name}: no answer after ${seconds(after)} (still waiting; gives up after ${seconds(timeoutMs)})`;
      this.report(() => this.o.onFailure(new SfpipeError('timeout', source, message), clock.now()));
    }, after);
    return () => clock.clearTimeout(timer);
  }

  /** A throwing handler is a bug, but it must not stop polling or escape as a rejection. */
  private report(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      try {
        this.o.onFailure(toSfpipeError(err, this.o.source, 'internal'), this.o.clock.now());
      } catch {
        // both handlers threw: nothing sensible left to tell
      }
    }
  }

  private scheduleNext(): void {
    if (!this.isRunning) return;
    const interval = this.o.intervalMs();
    if (interval <= 0) return;
    const delay = this.consecutiveFailures === 0 ? onGrid(this.o.clock.now(), interval) : backoffDelay(interval, this.consecutiveFailures, this.o.backoff, this.o.random ?? Math.random);
    this.nextDelayMs = delay;
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = undefined;
      this.nextDelayMs = undefined;
      void this.refreshNow();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.nextDelayMs = undefined;
  }
}

/**
 * Healthy pollers refresh on the clock's grid of their interval (every whole 2 s at the
 * default), not an interval after their last answer: every source starts its refresh at the
 * same moment, so their answers arrive together and the console draws one frame a round
 * instead of one per source as their phases drift apart. At least half an interval apart.
 */
export function onGrid(now: number, intervalMs: number): number {
  const untilNext = intervalMs - (((now % intervalMs) + intervalMs) % intervalMs);
  return untilNext < intervalMs / 2 ? untilNext + intervalMs : untilNext;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** interval · factor^(failures−1), capped, minus up to `jitter` of it at random. */
export function backoffDelay(intervalMs: number, failures: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const factor = options.factor ?? 2;
  const maxMs = Math.max(intervalMs, options.maxMs ?? 30_000);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
  const base = Math.min(maxMs, intervalMs * factor ** Math.max(0, failures - 1));
  return Math.round(base * (1 - jitter * random()));
}
