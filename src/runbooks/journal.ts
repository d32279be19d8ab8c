/**
 * The runbook journal: which SQL scripts ran to the end, against which account and database,
 * with which exact text (a hash). A script that stopped half-way has no entry, so a re-run runs
 * it again (the scripts are safe to re-run); a changed script or a new public key changes the
 * hash. Kept in the user's state dir, written atomically.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SfpipeError } from '../domain/errors.js';

export interface JournalEntry {
  hash: string;
  /** epoch ms */
  at: number;
}

export interface Journal {
  get(key: string): JournalEntry | undefined;
  set(key: string, entry: JournalEntry): void;
  /** forget every key that starts with prefix */
  forget(prefix: string): void;
}

export class MemoryJournal implements Journal {
  readonly entries = new Map<string, JournalEntry>();
  get(key: string): JournalEntry | undefined {
    return this.entries.get(key);
  }
  set(key: string, entry: JournalEntry): void {
    this.entries.set(key, entry);
  }
  forget(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

export function createFileJournal(path: string): Journal {
  const read = (): Record<string, JournalEntry> => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return {};
      throw new SfpipeError('internal', 'cli', 'cannot read the runbook journal', { location: path, cause: err });
    }
    try {
      const doc = JSON.parse(text) as { entries?: Record<string, JournalEntry> };
      return doc.entries ?? {};
    } catch {
      // a damaged journal only means scripts run once more; they are safe to re-run
      return {};
    }
  };
  const write = (entries: Record<string, JournalEntry>) => {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ version: 1, entries }, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    } catch (err) {
      throw new SfpipeError('internal', 'cli', 'cannot write the runbook journal', { location: path, hint: 'set SFPIPE_STATE_DIR to a writable directory', cause: err });
    }
  };
  return {
    get: (key) => read()[key],
    set: (key, entry) => write({ ...read(), [key]: entry }),
    forget: (prefix) => write(Object.fromEntries(Object.entries(read()).filter(([k]) => !k.startsWith(prefix)))),
  };
}
