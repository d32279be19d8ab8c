/**
 * Layout as small pure functions of the terminal size: a grid of all panes on large
 * terminals, one pane at a time (tabs) down to 80×24, a "too small" message below that.
 */
export interface TerminalSize {
  columns: number;
  rows: number;
}

export const MIN_SIZE: TerminalSize = { columns: 80, rows: 24 };
/** Two columns of panes need ~75 columns each for the Snowflake and Pipeline tables; three rows of panes need ~12 lines each. */
export const GRID_MIN_SIZE: TerminalSize = { columns: 150, rows: 40 };

export type LayoutKind = 'grid' | 'tabbed' | 'too-small';

export function chooseLayout(size: TerminalSize): LayoutKind {
  if (size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows) return 'too-small';
  if (size.columns >= GRID_MIN_SIZE.columns && size.rows >= GRID_MIN_SIZE.rows) return 'grid';
  return 'tabbed';
}

/**
 * Lines the app draws: one less than the terminal has. A frame as tall as the terminal
 * makes Ink clear the whole screen on every render (flicker); one line short it updates in place.
 */
export function usableRows(rows: number): number {
  return Math.max(1, rows - 1);
}

/** The header fits on one line only on wide terminals; otherwise app info and sources take a line each. */
export function headerHeight(columns: number): number {
  return columns >= 140 ? 1 : 2;
}

export const STATUS_LINE_HEIGHT = 1;

export interface GridPlan {
  header: number;
  /** widths of the left and right pane columns */
  columnWidths: [number, number];
  /** heights of the three pane rows */
  rowHeights: [number, number, number];
  status: number;
}

/** Split `total` into `parts` near-equal integers, the larger ones first. */
export function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

export function gridPlan(size: TerminalSize): GridPlan {
  const header = headerHeight(size.columns);
  const body = usableRows(size.rows) - header - STATUS_LINE_HEIGHT;
  const [left, right] = split(size.columns, 2) as [number, number];
  const [a, b, c] = split(body, 3) as [number, number, number];
  return { header, columnWidths: [left, right], rowHeights: [a, b, c], status: STATUS_LINE_HEIGHT };
}

export interface TabbedPlan {
  header: number;
  tabs: number;
  pane: number;
  events: number;
  status: number;
}

export function tabbedPlan(size: TerminalSize): TabbedPlan {
  const header = headerHeight(size.columns);
  const tabs = 1;
  // Event log: frame (2) + title (1) + 2 events at 24 rows, up to 6 events on taller terminals.
  const events = Math.min(9, Math.max(5, Math.floor(size.rows / 6)));
  const pane = usableRows(size.rows) - header - tabs - events - STATUS_LINE_HEIGHT;
  return { header, tabs, pane, events, status: STATUS_LINE_HEIGHT };
}
