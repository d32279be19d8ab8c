/**
 * Manual refresh ('r') shared by every session: while a refresh runs, another press joins
 * it, and presses within `minIntervalMs` of the last one are absorbed. Ten viewers pressing
 * r cost the backends what one does; the pollers' own schedule is unaffected.
 */
import type { Clock } from '../domain/clock.js';

export interface SharedRefresh {
  /** never rejects */
  (): Promise<void>;
  /** refreshes actually started */
  readonly started: () => number;
}

export function sharedRefresh(refresh: () => Promise<void>, clock: Clock, minIntervalMs: number): SharedRefresh {
  let inFlight: Promise<void> | undefined;
  let lastEnded = -Infinity;
  let started = 0;
  const run = (() => {
    if (inFlight) return inFlight;
    if (clock.now() - lastEnded < minIntervalMs) return Promise.resolve();
    started++;
    inFlight = refresh()
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
        lastEnded = clock.now();
      });
    return inFlight;
  }) as SharedRefresh;
  Object.defineProperty(run, 'started', { value: () => started });
  return run;
}
