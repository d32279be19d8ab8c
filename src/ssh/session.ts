/**
 * One SSH session's console: its own Ink render of the app on the channel's terminal, with
 * its own UI store (focus, selection, overlays), reading the one shared pipeline store.
 * It ends when the user quits, when the server closes it (idle, shutdown: told why), or
 * when the client vanishes (nothing more is written; Ink is unmounted all the same).
 */
import { createElement } from 'react';
import type { Clock } from '../domain/clock.js';
import type { ActionDescriptor, ConsoleMode } from '../keymap/actions.js';
import type { PipelineStoreReader } from '../ui/ConsoleContext.js';
import type { DetailsProvider } from '../ui/details/types.js';
import { enterFullscreen } from '../ui/terminal/fullscreen.js';
import { createUiStore } from '../ui/uiStore.js';
import type { ChannelLike, ChannelTerminal } from './channelTerminal.js';
import type { InkModules } from '../ui/loadInk.js';
import { CONSOLE_COALESCE_MS } from '../store/coalescedReader.js';
import { CONSOLE_MAX_FPS } from '../ui/renderOptions.js';

/** What a session needs of an ssh2 server channel. */
export interface SessionChannel extends ChannelLike {
  exit(status: number): void;
  end(): void;
}

export interface ConsoleSessionDeps {
  ink: InkModules;
  store: PipelineStoreReader;
  clock: Clock;
  mode: ConsoleMode;
  actions: readonly ActionDescriptor[];
  color: boolean;
  onRefresh: () => void;
  details?: DetailsProvider;
  /** default CONSOLE_COALESCE_MS */
  coalesceMs?: number;
}

export type SessionEnd = 'quit' | 'closed-by-server' | 'client-gone' | 'crashed';

export class ConsoleSession {
  /** resolves once Ink has unmounted and the channel has been told (or found gone) */
  readonly done: Promise<SessionEnd>;
  private ending: { how: SessionEnd; message?: string; status: number } | undefined;
  private readonly unmount: () => void;

  constructor(
    private readonly channel: SessionChannel,
    private readonly terminal: ChannelTerminal,
    deps: ConsoleSessionDeps,
  ) {
    const leave = enterFullscreen(terminal.stdout);
    const app = createElement(deps.ink.App, {
      store: deps.store,
      clock: deps.clock,
      mode: deps.mode,
      actions: deps.actions,
      color: deps.color,
      onRefresh: deps.onRefresh,
      uiStore: createUiStore(),
      // Viewers sit in different time zones; the server's local time would mislead them.
      utc: true,
      coalesceMs: deps.coalesceMs ?? CONSOLE_COALESCE_MS,
      ...(deps.details ? { details: deps.details } : {}),
    });
    const instance = deps.ink.render(app, {
      stdout: terminal.stdout as unknown as NodeJS.WriteStream,
      stdin: terminal.stdin as unknown as NodeJS.ReadStream,
      stderr: terminal.stdout as unknown as NodeJS.WriteStream,
      // Ctrl-C is the app's own binding (app.interrupt), like in the local console.
      exitOnCtrlC: false,
      // Many sessions share one process: none of them may take over console.*.
      patchConsole: false,
      // Same as the local console: Ink 6.8's line diffing left stale lines behind in tmux.
      incrementalRendering: false,
      maxFps: CONSOLE_MAX_FPS,
    });
    this.unmount = () => instance.unmount();
    this.done = instance.waitUntilExit().then(
      () => this.finish(leave, 'quit', 0),
      () => this.finish(leave, 'crashed', 1),
    );
  }

  /** The server ends the session: the user is told why, then the channel closes. */
  close(message: string, status = 0): void {
    this.ending ??= { how: 'closed-by-server', message, status };
    this.unmount();
  }

  /** The client is gone: stop writing at once, then unmount. */
  abandon(): void {
    this.ending ??= { how: 'client-gone', status: 0 };
    this.terminal.dispose();
    this.unmount();
  }

  private finish(leave: () => void, how: SessionEnd, status: number): SessionEnd {
    const ending = this.ending ?? { how, status };
    if (!this.terminal.isDisposed) {
      leave();
      if (ending.message) this.terminal.writeLine(`sfpipe: ${ending.message}`);
      this.terminal.dispose();
      try {
        this.channel.exit(ending.status);
        this.channel.end();
      } catch {
        // The channel closed under us in the meantime: nothing left to tell.
      }
    }
    return ending.how;
  }
}

/** A session without a terminal: the `sfpipe status` text, its exit code, and goodbye. */
export function sendStatusAndClose(channel: SessionChannel, text: string, status: number): void {
  try {
    channel.write(text.endsWith('\n') ? text : `${text}\n`);
    channel.exit(status);
    channel.end();
  } catch {
    // Gone already.
  }
}
