/**
 * Per-viewer UI state: focus, selection per pane, filters, the open overlay and the last
 * notice. One per session (every SSH session gets its own); the pipeline store is shared.
 * Selection is kept by row key so it stays on the same row when data refreshes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActionTarget } from '../keymap/actions.js';
import { PANE_IDS, type PaneId } from '../keymap/panes.js';
import type { DetailRequest } from './details/types.js';

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | { kind: 'detail'; request: DetailRequest }
  | { kind: 'confirm'; actionId: string; target: ActionTarget; typed: string };

export interface Notice {
  at: number;
  level: 'info' | 'ok' | 'warn' | 'error';
  text: string;
}

export interface Selection {
  key: string | undefined;
  /** fallback when the key has gone (filtered out, deleted) */
  index: number;
}

export interface UiState {
  focus: PaneId;
  selection: Record<PaneId, Selection>;
  filters: Record<PaneId, string>;
  /** typing into the focused pane's filter */
  filtering: boolean;
  overlay: Overlay;
  notice: Notice | undefined;

  focusPane(pane: PaneId): void;
  focusNext(step: 1 | -1): void;
  select(pane: PaneId, key: string | undefined, index: number): void;
  startFilter(): void;
  setFilter(pane: PaneId, text: string): void;
  acceptFilter(): void;
  cancelFilter(pane: PaneId): void;
  toggleHelp(): void;
  openDetail(request: DetailRequest): void;
  openConfirm(actionId: string, target: ActionTarget): void;
  typeConfirm(typed: string): void;
  closeOverlay(): void;
  notify(notice: Notice): void;
}

const perPane = <T,>(value: () => T): Record<PaneId, T> => Object.fromEntries(PANE_IDS.map((p) => [p, value()])) as Record<PaneId, T>;

export type UiStore = StoreApi<UiState>;

export function createUiStore(initial: Partial<Pick<UiState, 'focus' | 'filters' | 'selection' | 'overlay'>> = {}): UiStore {
  return createStore<UiState>()((set, get) => ({
    focus: 'containers',
    selection: perPane(() => ({ key: undefined, index: 0 })),
    filters: perPane(() => ''),
    filtering: false,
    overlay: { kind: 'none' },
    notice: undefined,
    ...initial,

    focusPane: (pane) => set({ focus: pane, filtering: false }),
    focusNext: (step) => {
      const i = PANE_IDS.indexOf(get().focus);
      set({ focus: PANE_IDS[(i + step + PANE_IDS.length) % PANE_IDS.length]!, filtering: false });
    },
    select: (pane, key, index) => set((s) => ({ selection: { ...s.selection, [pane]: { key, index } } })),
    startFilter: () => set({ filtering: true }),
    setFilter: (pane, text) =>
      set((s) => ({
        filters: { ...s.filters, [pane]: text },
        // A new filter starts at its first match.
        selection: { ...s.selection, [pane]: { key: undefined, index: 0 } },
      })),
    acceptFilter: () => set({ filtering: false }),
    cancelFilter: (pane) => set((s) => ({ filtering: false, filters: { ...s.filters, [pane]: '' } })),
    toggleHelp: () => set((s) => ({ overlay: s.overlay.kind === 'help' ? { kind: 'none' } : { kind: 'help' } })),
    openDetail: (request) => set({ overlay: { kind: 'detail', request } }),
    openConfirm: (actionId, target) => set({ overlay: { kind: 'confirm', actionId, target, typed: '' } }),
    typeConfirm: (typed) => set((s) => (s.overlay.kind === 'confirm' ? { overlay: { ...s.overlay, typed } } : {})),
    closeOverlay: () => set({ overlay: { kind: 'none' } }),
    notify: (notice) => set({ notice }),
  }));
}
