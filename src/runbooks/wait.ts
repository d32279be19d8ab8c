/**
 * Bounded waiting with progress: poll until a condition holds, say what is still missing on
 * every poll, and give up after a deadline with the last thing seen. Time comes from the
 * injected clock; a hard stop (ctx.signal) ends the wait at once.
 */
import { SfpipeError, type ErrorSource } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import { formatMs } from '../services/timeout.js';
import type { StepContext } from './types.js';

export interface Poll<T> {
  done: boolean;
  value: T;
  /** what is still missing / the state now, shown as progress */
  status: string;
  fraction?: number;
}

export interface WaitOptions {
  source: ErrorSource;
  timeoutMs: number;
  intervalMs: number;
  /** what to do when it never happens */
  hint?: string;
}

export async function waitFor<T>(what: string, ctx: StepContext, poll: () => Promise<Poll<T>>, opts: WaitOptions): Promise<T> {
  const deadline = ctx.clock.now() + opts.timeoutMs;
  let last = '';
  for (;;) {
    if (ctx.signal.aborted) throw new SfpipeError('timeout', opts.source, `${what}: cancelled${last ? ` (${last})` : ''}`);
    const result = await poll();
    if (result.status !== last || result.fraction !== undefined) ctx.progress(result.status, result.fraction);
    last = result.status;
    if (result.done) return result.value;
    if (ctx.clock.now() >= deadline) {
      throw new SfpipeError('timeout', opts.source, `${what}: not reached within ${formatMs(opts.timeoutMs)} (last seen: ${last})`, opts.hint ? { hint: opts.hint } : {});
    }
    await sleep(ctx.clock, Math.min(opts.intervalMs, Math.max(0, deadline - ctx.clock.now())), ctx.signal);
  }
}

export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
