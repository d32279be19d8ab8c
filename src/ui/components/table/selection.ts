import type { Selection } from '../../uiStore.js';
import type { TableRow } from './types.js';
import { clampIndex } from './window.js';

/** The selected row's index: by key while the row exists, else the remembered index, clamped. */
export function resolveSelection(rows: readonly TableRow[], sel: Selection): number {
  if (sel.key !== undefined) {
    const i = rows.findIndex((r) => r.key === sel.key);
    if (i >= 0) return i;
  }
  return clampIndex(sel.index, rows.length);
}

/** How many terminal lines some text takes when wrapped at `width`. */
export function wrappedLineCount(lines: readonly string[], width: number): number {
  const w = Math.max(1, width);
  return lines.reduce((sum, l) => sum + Math.max(1, Math.ceil([...l].length / w)), 0);
}
