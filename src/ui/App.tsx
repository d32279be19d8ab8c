/**
 * The console's root: builds this session's context (its own UI store, the shared pipeline
 * store, keymap, operations), owns the one clock tick and the one stdin reader, and picks a
 * layout for the terminal size. Nothing else lives here.
 */
import { useMemo } from 'react';
import { useApp } from 'ink';
import { systemClock, type Clock } from '../domain/clock.js';
import { coalescedReader } from '../store/coalescedReader.js';
import type { ActionDescriptor, ConsoleMode } from '../keymap/actions.js';
import { DEFAULT_KEYMAP, type Keymap } from '../keymap/keyBindings.js';
import { createKeyMatcher } from '../keymap/keyMatchers.js';
import { NowProvider } from './clock/NowContext.js';
import { ConsoleContext, type ConsoleDeps, type PipelineStoreReader } from './ConsoleContext.js';
import type { DetailsProvider } from './details/types.js';
import { GlobalKeys } from './keys/GlobalKeys.js';
import { KeypressProvider } from './keys/KeypressContext.js';
import { chooseLayout } from './layout/sizing.js';
import { useTerminalSize } from './layout/useTerminalSize.js';
import { GridLayout } from './layouts/GridLayout.js';
import { TabbedLayout } from './layouts/TabbedLayout.js';
import { TooSmall } from './layouts/TooSmall.js';
import { themeFor } from './theme/semantic.js';
import { ThemeContext } from './theme/ThemeContext.js';
import { createUiStore, type UiStore } from './uiStore.js';

export interface AppProps {
  store: PipelineStoreReader;
  clock?: Clock;
  details?: DetailsProvider;
  actions?: readonly ActionDescriptor[];
  mode?: ConsoleMode;
  keymap?: Keymap;
  color?: boolean;
  onRefresh?: () => void;
  /** told before the app exits (the command restores the terminal after Ink unmounts) */
  onQuit?: () => void;
  /** this viewer's UI state; a fresh one per App when absent */
  uiStore?: UiStore;
  utc?: boolean;
  /**
   * Pipeline store writes within this many ms show as one frame (src/store/coalescedReader.ts);
   * the console and SSH sessions use CONSOLE_COALESCE_MS, tests 0 (every write at once).
   */
  coalesceMs?: number;
}

const NO_ACTIONS: readonly ActionDescriptor[] = [];
const OPERATOR: ConsoleMode = { readOnly: false };
const noop = () => {};

function Screen() {
  const size = useTerminalSize();
  switch (chooseLayout(size)) {
    case 'too-small':
      return <TooSmall size={size} />;
    case 'grid':
      return <GridLayout size={size} />;
    case 'tabbed':
      return <TabbedLayout size={size} />;
  }
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const { details, uiStore, onQuit } = props;
  const clock = props.clock ?? systemClock;
  const coalesceMs = props.coalesceMs ?? 0;
  const store = useMemo(() => coalescedReader(props.store, clock, coalesceMs), [props.store, clock, coalesceMs]);
  const actions = props.actions ?? NO_ACTIONS;
  const mode = props.mode ?? OPERATOR;
  const keymap = props.keymap ?? DEFAULT_KEYMAP;
  const onRefresh = props.onRefresh ?? noop;
  const utc = props.utc ?? false;
  const ui = useMemo(() => uiStore ?? createUiStore(), [uiStore]);
  const deps = useMemo<ConsoleDeps>(
    () => ({
      store,
      ui,
      keymap,
      keys: createKeyMatcher(keymap),
      actions,
      mode,
      details,
      clock,
      onRefresh,
      utc,
      quit: () => {
        onQuit?.();
        exit();
      },
    }),
    [store, ui, keymap, actions, mode, details, clock, onRefresh, utc, onQuit, exit],
  );
  return (
    <ThemeContext.Provider value={themeFor(props.color ?? true)}>
      <ConsoleContext.Provider value={deps}>
        <NowProvider clock={clock} changes={store}>
          <KeypressProvider>
            <GlobalKeys />
            <Screen />
          </KeypressProvider>
        </NowProvider>
      </ConsoleContext.Provider>
    </ThemeContext.Provider>
  );
}
