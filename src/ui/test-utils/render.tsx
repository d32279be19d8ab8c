/**
 * The one way UI tests render: ink-testing-library under a terminal of a chosen size, the
 * app (or any component) wrapped in its real providers with a fresh UI store, a manual
 * clock and a real pipeline store. Swapping the renderer later means changing this file.
 */
import { useEffect, type ReactElement, type ReactNode } from 'react';
import { render as inkRender } from 'ink-testing-library';
import { ManualClock } from '../../domain/clock.js';
import { DEFAULT_KEYMAP } from '../../keymap/keyBindings.js';
import { createKeyMatcher } from '../../keymap/keyMatchers.js';
import type { PipelineState } from '../../store/state.js';
import { App, type AppProps } from '../App.js';
import { NowProvider } from '../clock/NowContext.js';
import { ConsoleContext, type ConsoleDeps } from '../ConsoleContext.js';
import { KeypressProvider } from '../keys/KeypressContext.js';
import { themeFor } from '../theme/semantic.js';
import { ThemeContext } from '../theme/ThemeContext.js';
import { createUiStore } from '../uiStore.js';
import { makeStore, T0 } from './fixtures.js';

/** Raw input for keys, as a terminal sends them. */
export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export interface RenderOptions extends Omit<Partial<AppProps>, 'store' | 'clock' | 'uiStore'> {
  columns?: number;
  rows?: number;
  state?: Partial<PipelineState>;
  now?: number;
  /** a store made beforehand (e.g. one that operations under test also write); `state` is ignored then */
  pipelineStore?: ReturnType<typeof makeStore>;
}

function ExitProbe({ onUnmount, children }: { onUnmount: () => void; children: ReactNode }) {
  useEffect(() => onUnmount, [onUnmount]);
  return <>{children}</>;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Drain queued work: React schedules renders and Ink flushes a lone Esc on later turns of the event loop. */
const settle = async () => {
  for (let i = 0; i < 4; i++) await turn();
};
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** Frames as the user reads them: styling (bold, inverse) removed so assertions see text. */
const plain = (frame: string | undefined) => (frame ?? '').replace(ANSI, '');

async function mount(build: (ctx: { store: ReturnType<typeof makeStore>; clock: ManualClock; ui: ReturnType<typeof createUiStore> }) => ReactElement, opts: RenderOptions) {
  const store = opts.pipelineStore ?? makeStore(opts.state ?? {});
  const clock = new ManualClock(opts.now ?? T0);
  const ui = createUiStore();
  let exited = false;
  const size = { columns: opts.columns ?? 100, rows: opts.rows ?? 30 };
  const instance = inkRender(<ExitProbe onUnmount={() => (exited = true)}>{build({ store, clock, ui })}</ExitProbe>);
  // ink-testing-library's terminal is 100 columns with no rows; give it the size under test.
  Object.defineProperty(instance.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(instance.stdout, 'rows', { get: () => size.rows, configurable: true });
  instance.stdout.emit('resize');
  await settle();

  return {
    store,
    clock,
    ui,
    frame: (): string => plain(instance.lastFrame()),
    lines: (): string[] => plain(instance.lastFrame()).split('\n'),
    rawFrame: (): string => instance.lastFrame() ?? '',
    /** Type keys (raw strings or KEYS entries), one at a time, letting Ink parse each. */
    press: async (...keys: string[]) => {
      for (const k of keys) {
        instance.stdin.write(k);
        await settle();
      }
    },
    resize: async (columns: number, rows: number) => {
      size.columns = columns;
      size.rows = rows;
      instance.stdout.emit('resize');
      await settle();
    },
    /** Advance the manual clock (the root tick fires on each whole second). */
    tick: async (ms: number) => {
      clock.advance(ms);
      await settle();
    },
    /** Let pending renders (store writes, effects) reach the frame. */
    settle,
    exited: () => exited,
    unmount: () => instance.unmount(),
  };
}

/** The whole console. */
export function renderApp(opts: RenderOptions = {}): ReturnType<typeof mount> {
  const { columns: _c, rows: _r, state: _s, now: _n, pipelineStore: _p, ...props } = opts;
  return mount(({ store, clock, ui }) => <App store={store} clock={clock} uiStore={ui} utc color={false} {...props} />, opts);
}

/** One component (a pane, the header …) inside the console's real providers. */
export function renderInConsole(node: ReactNode, opts: RenderOptions = {}): ReturnType<typeof mount> {
  return mount(({ store, clock, ui }) => {
    const keymap = opts.keymap ?? DEFAULT_KEYMAP;
    const deps: ConsoleDeps = {
      store,
      ui,
      keymap,
      keys: createKeyMatcher(keymap),
      actions: opts.actions ?? [],
      mode: opts.mode ?? { readOnly: false },
      details: opts.details,
      clock,
      onRefresh: opts.onRefresh ?? (() => {}),
      quit: opts.onQuit ?? (() => {}),
      utc: true,
    };
    return (
      <ThemeContext.Provider value={themeFor(opts.color ?? false)}>
        <ConsoleContext.Provider value={deps}>
          <NowProvider clock={clock}>
            <KeypressProvider>{node}</KeypressProvider>
          </NowProvider>
        </ConsoleContext.Provider>
      </ThemeContext.Provider>
    );
  }, opts);
}
