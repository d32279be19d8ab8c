/**
 * An in-process terminal for rendering the real <App> with Ink's real renderer (not the
 * test library's debug mode): a TTY-like stdout that records every write with its time,
 * and a stdin that types keys the way a terminal sends them.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';

/** Synchronized-update brackets Ink puts around a frame; not frames themselves. */
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

export interface Write {
  at: number;
  text: string;
}

export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  readonly writes: Write[] = [];
  private waiters: ((w: Write) => void)[] = [];

  /** frames written; with keep false (a day-long memory run) this is all that is kept */
  count = 0;

  constructor(
    columns: number,
    rows: number,
    private readonly keep = true,
  ) {
    super();
    this.columns = columns;
    this.rows = rows;
  }

  write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const w = { at: performance.now(), text };
    if (!isBracket(text)) this.count++;
    if (this.keep) this.writes.push(w);
    if (!isBracket(text)) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve(w);
    }
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    cb?.();
    return true;
  };

  /** Writes that carry content (frame text or erase sequences), not the sync brackets. */
  frameWrites(since = 0): Write[] {
    return this.writes.slice(since).filter((w) => !isBracket(w.text));
  }

  /** The next content write. */
  nextWrite(): Promise<Write> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Everything written, as one string (for replaying onto a virtual screen). */
  all(): string {
    return this.writes.map((w) => w.text).join('');
  }
}

function isBracket(text: string): boolean {
  return text === BSU || text === ESU || text === '';
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;

  /** Type one key (raw bytes as a terminal sends them). */
  type(key: string): void {
    this.data = key;
    this.emit('readable');
    this.emit('data', key);
  }

  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };

  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/** Raw input for keys, as a terminal sends them. */
export const KEYS = { up: '\x1b[A', down: '\x1b[B', tab: '\t', shiftTab: '\x1b[Z', r: 'r' } as const;

/** The console's own loader (it hides CI from Ink while Ink loads, as the console does). */
export { loadInk } from '../../src/ui/loadInk.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A frame's text as a person reads it: styling and cursor movement removed, one string per line. */
export function frameLines(frameText: string): string[] {
  return frameText.replace(ANSI, '').split('\n');
}

/** The lines that differ between two frames, with their index (0-based) and new text. */
export function changedLines(before: string[], after: string[]): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    if (before[i] !== after[i]) out.push({ line: i, text: after[i] ?? '' });
  }
  return out;
}

export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
