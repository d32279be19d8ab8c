/** Column widths for a pane width: drop the least important columns, then share spare room by flex. */
import type { Column, FittedColumn } from './types.js';

export const COLUMN_GAP = 1;
/** the selection marker and a space before the first column */
export const MARKER_WIDTH = 2;

const needed = (cols: readonly Column[]): number => cols.reduce((sum, c) => sum + c.min, 0) + COLUMN_GAP * Math.max(0, cols.length - 1);

export function fitColumns(columns: readonly Column[], width: number): FittedColumn[] {
  const available = Math.max(0, width - MARKER_WIDTH);
  let kept = columns.map((c, index) => ({ ...c, index, width: c.min }));
  while (kept.length > 1 && needed(kept) > available) {
    // Drop the lowest priority; among equals, the rightmost. The first column stays.
    let drop = 1;
    for (let i = 2; i < kept.length; i++) {
      if ((kept[i]!.priority ?? 1) <= (kept[drop]!.priority ?? 1)) drop = i;
    }
    kept = kept.filter((_, i) => i !== drop);
  }
  if (needed(kept) > available) {
    kept[0]!.width = available;
    return kept;
  }
  let spare = available - needed(kept);
  // Hand out spare columns one round at a time so flex shares stay proportional and max is respected.
  while (spare > 0) {
    const growable = kept.filter((c) => (c.flex ?? 0) > 0 && (c.max === undefined || c.width < c.max));
    if (growable.length === 0) break;
    const totalFlex = growable.reduce((s, c) => s + (c.flex ?? 0), 0);
    let given = 0;
    for (const c of growable) {
      const share = Math.max(1, Math.floor((spare * (c.flex ?? 0)) / totalFlex));
      const room = c.max === undefined ? share : Math.min(share, c.max - c.width);
      const add = Math.min(room, spare - given);
      c.width += add;
      given += add;
      if (given >= spare) break;
    }
    if (given === 0) break;
    spare -= given;
  }
  return kept;
}
