/**
 * The console's view of the pipeline store, written at most once per window. Pollers answer
 * one after another (Docker, Kafka, Connect, Snowflake a few milliseconds apart); each answer
 * is a store write, and each write would be a frame. Through this reader a refresh round is
 * one frame: the first write opens a window of `windowMs`, and its end shows the state as it
 * is then. Keys go through the UI's own store and are never delayed.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Clock } from '../domain/clock.js';

/** One refresh round's answers arrive within ~100 ms of each other: one frame for them all. */
export const CONSOLE_COALESCE_MS = 100;

type Reader<S> = Pick<StoreApi<S>, 'getState' | 'getInitialState' | 'subscribe'>;

export function coalescedReader<S>(store: Reader<S>, clock: Clock, windowMs: number): Reader<S> {
  if (windowMs <= 0) return store;
  let shown = store.getState();
  let pending: unknown;
  const listeners = new Set<(state: S, previous: S) => void>();
  let unsubscribe: (() => void) | undefined;
  const flush = () => {
    pending = undefined;
    const next = store.getState();
    if (next === shown) return;
    const previous = shown;
    shown = next;
    for (const l of [...listeners]) l(shown, previous);
  };
  const onWrite = () => {
    pending ??= clock.setTimeout(flush, windowMs);
  };
  return {
    getState: () => shown,
    getInitialState: () => store.getInitialState(),
    subscribe(listener) {
      if (listeners.size === 0) {
        shown = store.getState();
        unsubscribe = store.subscribe(onWrite);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = undefined;
          if (pending !== undefined) clock.clearTimeout(pending);
          pending = undefined;
        }
      };
    },
  };
}
