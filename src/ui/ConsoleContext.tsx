/**
 * What every part of one console session can reach: the shared pipeline store, this
 * viewer's UI store, the keymap, the operations and the injected callbacks. Passed
 * explicitly to <App>; the context only saves threading props through layouts.
 */
import { createContext, useContext } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Clock } from '../domain/clock.js';
import type { PipelineState } from '../store/state.js';
import type { ActionDescriptor, ConsoleMode } from '../keymap/actions.js';
import type { Keymap } from '../keymap/keyBindings.js';
import type { KeyMatcher } from '../keymap/keyMatchers.js';
import type { DetailsProvider } from './details/types.js';
import type { UiState, UiStore } from './uiStore.js';

/** The UI only reads the pipeline store (pollers write it), so any store with these three methods will do. */
export type PipelineStoreReader = Pick<StoreApi<PipelineState>, 'getState' | 'getInitialState' | 'subscribe'>;

export interface ConsoleDeps {
  store: PipelineStoreReader;
  ui: UiStore;
  keymap: Keymap;
  keys: KeyMatcher;
  actions: readonly ActionDescriptor[];
  mode: ConsoleMode;
  details: DetailsProvider | undefined;
  clock: Clock;
  /** refresh every source now (the pollers' concern) */
  onRefresh: () => void;
  quit: () => void;
  /** show times in UTC (servers, tests) instead of local time */
  utc: boolean;
}

export const ConsoleContext = createContext<ConsoleDeps | undefined>(undefined);

export function useConsole(): ConsoleDeps {
  const deps = useContext(ConsoleContext);
  if (!deps) throw new Error('useConsole outside <App>');
  return deps;
}

/** One value of the pipeline store per subscription; return stable references (or use useShallow). */
export function usePipeline<T>(selector: (s: PipelineState) => T): T {
  return useStore(useConsole().store, selector);
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useConsole().ui, selector);
}
