import type { Role } from '../../theme/semantic.js';

/** One cell: plain text plus the role that colours it (symbols live in the text). */
export interface Cell {
  text: string;
  role?: Role;
}

/** A display row, built by the pure helpers in ui/rows; `key` keeps the selection stable across refreshes. */
export interface TableRow {
  key: string;
  cells: Cell[];
  /** what `/` filters on */
  filterText: string;
}

export interface Column {
  header: string;
  /** narrowest useful width */
  min: number;
  /** widest it grows to; unbounded when absent */
  max?: number;
  /** share of spare width (0 = fixed) */
  flex?: number;
  align?: 'left' | 'right';
  /** columns with the lowest priority are dropped first when the pane is narrow (default 1; the first column is never dropped) */
  priority?: number;
}

export interface FittedColumn extends Column {
  /** index of this column's cell in each row */
  index: number;
  width: number;
}
