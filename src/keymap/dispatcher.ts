/**
 * One owner of stdin, many listeners: handlers register with a priority and the first
 * one (highest priority first, newest first within a priority) that returns true
 * consumes the key. Like gemini-cli's KeypressContext, without React in it.
 */
import type { Keypress } from './keypress.js';

export type KeyHandler = (key: Keypress) => boolean;

/** Higher runs first: an open overlay sees a key before the filter input, the filter before the pane, the pane before global keys. */
export const PRIORITY = {
  critical: 500,
  overlay: 400,
  filter: 300,
  pane: 200,
  global: 100,
} as const;

interface Entry {
  priority: number;
  seq: number;
  handler: KeyHandler;
}

export class KeypressDispatcher {
  private entries: Entry[] = [];
  private seq = 0;

  register(priority: number, handler: KeyHandler): () => void {
    const entry: Entry = { priority, seq: ++this.seq, handler };
    this.entries.push(entry);
    this.entries.sort((a, b) => b.priority - a.priority || b.seq - a.seq);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** Returns true when some handler consumed the key. */
  dispatch(key: Keypress): boolean {
    // Copy: a handler may unregister itself (closing an overlay) while we iterate.
    for (const entry of [...this.entries]) {
      if (entry.handler(key)) return true;
    }
    return false;
  }

  get size(): number {
    return this.entries.length;
  }
}
