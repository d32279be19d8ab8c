/**
 * Renders the real console <App> in-process with Ink's real renderer (throttling, log-update,
 * the console's own render options) into a FakeStdout of a chosen size.
 */
import { createElement } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { Clock } from '../../src/domain/clock.js';
import type { PipelineStore } from '../../src/store/pipelineStore.js';
import { CONSOLE_MAX_FPS } from '../../src/ui/renderOptions.js';
import { createUiStore } from '../../src/ui/uiStore.js';
import { FakeStdin, FakeStdout, loadInk } from './fakeTerminal.js';

export interface MountedApp {
  stdout: FakeStdout;
  stdin: FakeStdin;
  /** Ink's own measure of each render (layout + output generation), ms */
  inkRenderTimes: number[];
  unmount(): void;
}

export async function mountApp(opts: {
  store: Pick<StoreApi<PipelineStore>, 'getState' | 'getInitialState' | 'subscribe'>;
  clock: Clock;
  columns: number;
  rows: number;
  onRefresh?: () => void;
  maxFps?: number;
  /** the console's store-write coalescing window; default 0, so a frame's cost is the render alone */
  coalesceMs?: number;
  /** false: count frames but keep none (a day-long memory run) */
  keepWrites?: boolean;
}): Promise<MountedApp> {
  const { render, App } = await loadInk();
  const stdout = new FakeStdout(opts.columns, opts.rows, opts.keepWrites ?? true);
  const stdin = new FakeStdin();
  const inkRenderTimes: number[] = [];
  const ui = createUiStore();
  const instance = render(
    createElement(App, { store: opts.store, clock: opts.clock, uiStore: ui, color: true, utc: true, coalesceMs: opts.coalesceMs ?? 0, ...(opts.onRefresh ? { onRefresh: opts.onRefresh } : {}) }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: stdout as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      // the console's own setting (src/commands/console.ts)
      incrementalRendering: false,
      maxFps: opts.maxFps ?? CONSOLE_MAX_FPS,
      onRender: ({ renderTime }) => {
        if (opts.keepWrites !== false) inkRenderTimes.push(renderTime);
      },
    },
  );
  return { stdout, stdin, inkRenderTimes, unmount: () => instance.unmount() };
}
