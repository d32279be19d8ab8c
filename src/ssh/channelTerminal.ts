/**
 * Makes an SSH session channel look like the TTY Ink expects: a stdout with columns/rows/
 * isTTY that emits 'resize' on window-change, and a stdin with a no-op setRawMode and
 * ref/unref. There is no kernel PTY between Ink and the client, so nothing turns '\n'
 * into '\r\n': this does, or frames stair-step across the client's screen.
 */
import type { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** The parts of an ssh2 server channel the terminal uses (a small fake in unit tests). */
export interface ChannelLike extends EventEmitter {
  write(data: string | Buffer): boolean;
  readonly writableLength: number;
}

/** Bare '\n' → '\r\n'; an existing '\r\n' is left alone. */
export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

// The smallest sane size: a client that reports 0×0 (some do before the first resize).
const FALLBACK: TerminalSize = { columns: 80, rows: 24 };
const sane = (n: number, fallback: number) => (Number.isInteger(n) && n > 0 && n < 10_000 ? n : fallback);

export class TerminalOut extends Writable {
  readonly isTTY = true;
  columns: number;
  rows: number;

  constructor(
    size: TerminalSize,
    private readonly sink: (text: string) => void,
  ) {
    super({ decodeStrings: false });
    this.columns = size.columns;
    this.rows = size.rows;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sink(toCrlf(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    callback();
  }
}

export class TerminalIn extends PassThrough {
  readonly isTTY = true;
  isRaw = true;

  // The client's own terminal is already raw (ssh puts it so when it asks for a pty).
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

export interface ChannelTerminalOptions {
  size: TerminalSize;
  /** the client typed something (idle timeout) */
  onInput?: () => void;
  /** output piled up past `maxBacklogBytes` because the client does not read: the session should close */
  onBacklog?: () => void;
  maxBacklogBytes?: number;
}

export class ChannelTerminal {
  readonly stdout: TerminalOut;
  readonly stdin = new TerminalIn();
  private disposed = false;
  private readonly onData = (data: Buffer | string) => {
    if (this.disposed) return;
    this.options.onInput?.();
    this.stdin.write(data);
  };

  constructor(
    private readonly channel: ChannelLike,
    private readonly options: ChannelTerminalOptions,
  ) {
    const size = { columns: sane(options.size.columns, FALLBACK.columns), rows: sane(options.size.rows, FALLBACK.rows) };
    this.stdout = new TerminalOut(size, (text) => this.send(text));
    channel.on('data', this.onData);
  }

  get size(): TerminalSize {
    return { columns: this.stdout.columns, rows: this.stdout.rows };
  }

  /** window-change: update the size and tell Ink (and useTerminalSize) to lay out again. */
  resize(size: TerminalSize): void {
    if (this.disposed) return;
    const columns = sane(size.columns, this.stdout.columns);
    const rows = sane(size.rows, this.stdout.rows);
    if (columns === this.stdout.columns && rows === this.stdout.rows) return;
    this.stdout.columns = columns;
    this.stdout.rows = rows;
    this.stdout.emit('resize');
  }

  /** Write to the client directly (messages before and after the app). */
  writeLine(text: string): void {
    this.send(toCrlf(`${text}\n`));
  }

  /**
   * Stop reading the channel; writes after this are dropped. stdout is left open on
   * purpose: Ink may still flush a frame while it unmounts, and a destroyed stream would
   * turn that into an 'error' event nobody listens to.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.channel.off('data', this.onData);
    this.stdin.end();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private send(text: string): void {
    if (this.disposed) return;
    const max = this.options.maxBacklogBytes;
    if (max !== undefined && this.channel.writableLength > max) {
      this.options.onBacklog?.();
      return;
    }
    this.channel.write(text);
  }
}
