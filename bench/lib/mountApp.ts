/**
 * Renders the real console <App> in-process with Ink's real renderer (throttling, log-update,
 * the console's own render options) into a FakeStdout of a chosen size.
 */
import { createElement } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { Clock } from '../../src/domain/clock.js';
import type { PipelineStore } from '../../src/store/pipelineStore.js';
import { createUiStore } from '../../src/ui/uiStore.js';
import { FakeStdin, FakeStdout, loadInk } from './fakeTerminal.js';

export interface MountedApp {
  stdout: FakeStdout;
  stdin: FakeStdin;
  /** Ink's own measure of each render (layout + output generation), ms */
  inkRenderTimes: number[];
  unmount(): void;
}

export async function mountApp(opts: { store: StoreApi<PipelineStore>; clock: Clock; columns: number; rows: number; onRefresh?: () => void; maxFps?: number }): Promise<MountedApp> {
  const { render, App } = await loadInk();
  const stdout = new FakeStdout(opts.columns, opts.rows);
  const stdin = new FakeStdin();
  const inkRenderTimes: number[] = [];
  const ui = createUiStore();
  const instance = render(
    createElement(App, { store: opts.store, clock: opts.clock, uiStore: ui, color: true, utc: true, ...(opts.onRefresh ? { onRefresh: opts.onRefresh } : {}) }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: stdout as unknown as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
      // the console's own setting (src/commands/console.ts)
      incrementalRendering: false,
      ...(opts.maxFps !== undefined ? { maxFps: opts.maxFps } : {}),
      onRender: ({ renderTime }) => inkRenderTimes.push(renderTime),
    },
  );
  return { stdout, stdin, inkRenderTimes, unmount: () => instance.unmount() };
}
