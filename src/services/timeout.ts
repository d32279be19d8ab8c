/**
 * Bound any backend call in time: a call that does not settle within timeoutMs rejects with
 * SfpipeError 'timeout', its signal is aborted so the adapter can release what it holds, and its
 * late result (or late rejection) is swallowed — never an unhandled rejection, never a late write.
 */
import type { Clock } from '../domain/clock.js';
import { SfpipeError, toSfpipeError, type ErrorSource } from '../domain/errors.js';

export interface TimeoutOptions {
  timeoutMs: number;
  clock: Clock;
  source: ErrorSource;
  /** what was asked, for the message: "list connectors" */
  what: string;
  /** an outer signal (e.g. shutdown) that also aborts the call */
  signal?: AbortSignal;
}

export function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, opts: TimeoutOptions): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.clock.clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuterAbort);
      fn();
    };
    const onOuterAbort = () => {
      controller.abort();
      finish(() => reject(new SfpipeError('timeout', opts.source, `${opts.what}: cancelled`)));
    };
    const timer = opts.clock.setTimeout(() => {
      controller.abort();
      finish(() => reject(new SfpipeError('timeout', opts.source, `${opts.what}: no answer within ${formatMs(opts.timeoutMs)}`, {
        hint: 'the service is slow or hung; sfpipe keeps the last good data and retries',
      })));
    }, opts.timeoutMs);
    if (opts.signal?.aborted) {
      onOuterAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

    let pending: Promise<T>;
    try {
      pending = call(controller.signal);
    } catch (err) {
      finish(() => reject(toSfpipeError(err, opts.source)));
      return;
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (err: unknown) => finish(() => reject(toSfpipeError(err, opts.source))),
    );
  });
}

export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}
