/**
 * The shared pipeline store as each session reads it, with its subscriptions counted: a
 * session that closed without unsubscribing its panes would show up here as a leak.
 */
import type { PipelineStoreReader } from '../ui/ConsoleContext.js';

export interface CountedStore {
  reader: PipelineStoreReader;
  /** live subscriptions made through `reader` */
  subscriptions(): number;
}

export function countSubscriptions(store: PipelineStoreReader): CountedStore {
  let live = 0;
  const reader: PipelineStoreReader = {
    getState: () => store.getState(),
    getInitialState: () => store.getInitialState(),
    subscribe: (listener) => {
      const unsubscribe = store.subscribe(listener);
      live++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        live--;
        unsubscribe();
      };
    },
  };
  return { reader, subscriptions: () => live };
}
