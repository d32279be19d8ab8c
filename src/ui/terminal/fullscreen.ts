/**
 * Terminal etiquette for a full-screen console: switch to the alternate screen and hide the
 * cursor on the way in; on the way out — quit, SIGTERM/SIGHUP/SIGINT, or a crash — give the
 * user back the screen and cursor they had. Works on any stream (a TTY or an SSH channel).
 */
export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
/** home + clear, so the alternate screen starts blank */
const CLEAR = '\x1b[H\x1b[2J';

export interface Writable {
  write(chunk: string): unknown;
}

/** Enter full screen; returns `leave`, which is idempotent (safe to call from every exit path). */
export function enterFullscreen(out: Writable): () => void {
  out.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    // Clear the alternate screen before leaving it: after a resize, tmux has been seen to
    // carry its content over onto the restored main screen.
    out.write(CLEAR + SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
}

export type ExitSignal = 'SIGTERM' | 'SIGHUP' | 'SIGINT';
export const EXIT_SIGNALS: readonly ExitSignal[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
const SIGNAL_NUMBER: Record<ExitSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The parts of `process` this module uses (a fake in tests). */
export interface ProcessLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
}

export interface RestoreOptions {
  /** restores the terminal (from enterFullscreen) */
  leave: () => void;
  /** a signal arrived: stop the app gracefully (unmount Ink); the caller's finally then calls leave() */
  onSignal: (signal: ExitSignal, exitCode: number) => void;
  /** where a crash is reported, after the terminal is restored */
  stderr: Writable;
  proc?: ProcessLike;
}

/**
 * Install the handlers; returns `uninstall`. A crash (uncaught exception or unhandled
 * rejection) restores the terminal first, then prints the error where the user can read
 * it, then exits 1. `exit` restores as a last resort if nothing else did.
 */
export function restoreTerminalOnExit({ leave, onSignal, stderr, proc = process as unknown as ProcessLike }: RestoreOptions): () => void {
  const signalHandlers = EXIT_SIGNALS.map((signal) => [signal, () => onSignal(signal, 128 + SIGNAL_NUMBER[signal])] as const);
  const crash = (err: unknown) => {
    leave();
    stderr.write(`sfpipe: crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    proc.exit(1);
  };
  for (const [signal, handler] of signalHandlers) proc.on(signal, handler);
  proc.on('uncaughtException', crash);
  proc.on('unhandledRejection', crash);
  proc.on('exit', leave);
  return () => {
    for (const [signal, handler] of signalHandlers) proc.off(signal, handler);
    proc.off('uncaughtException', crash);
    proc.off('unhandledRejection', crash);
    proc.off('exit', leave);
  };
}
