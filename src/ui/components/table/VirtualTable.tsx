/**
 * A virtualised table: only the rows that fit are rendered, each as one line of text.
 *
 * Why not a table package: `ink-table` 3.1.0 does not load under Ink 6, and its ESM fork
 * `@alcalzone/ink-table` renders every row (a Box per cell) and sizes columns by scanning
 * all data on every render, with no selection or scrolling. Measured with Ink's
 * renderToString on the Topics columns (this 2-core machine, one run): 100 / 1,000 / 10,000
 * rows took 141 / 1,324 / 14,852 ms per render with @alcalzone/ink-table, and 15 ms at
 * every size here (20 visible rows). A frame's cost depends on the screen, not the data.
 */
import { memo, useMemo, useRef } from 'react';
import { Box, Text } from 'ink';
import { paint } from '../../theme/paint.js';
import { roleColor, useTheme } from '../../theme/ThemeContext.js';
import { GLYPH } from '../../theme/symbols.js';
import { COLUMN_GAP, fitColumns } from './columns.js';
import { fitCell } from '../../format/text.js';
import type { Cell, Column, FittedColumn, TableRow } from './types.js';
import { scrollOffset } from './window.js';

export interface VirtualTableProps {
  columns: readonly Column[];
  rows: readonly TableRow[];
  /** index into rows (already clamped) */
  selected: number;
  focused: boolean;
  /** lines available: one header line plus the visible body rows */
  height: number;
  width: number;
}

interface LineProps {
  row: TableRow;
  fitted: readonly FittedColumn[];
  selected: boolean;
  focused: boolean;
}

const sameCells = (a: readonly Cell[], b: readonly Cell[]): boolean => a.length === b.length && a.every((c, i) => c.text === b[i]!.text && c.role === b[i]!.role);

/**
 * Rows are rebuilt by the selectors on every refresh; a line whose cells read the same is not
 * rendered again (most lines of a refresh: only counts, rates and ages move).
 */
const sameLine = (a: LineProps, b: LineProps): boolean =>
  a.fitted === b.fitted && a.selected === b.selected && a.focused === b.focused && (a.row === b.row || sameCells(a.row.cells, b.row.cells));

const Line = memo(function Line({ row, fitted, selected, focused }: LineProps) {
  const theme = useTheme();
  const highlight = selected && focused;
  // One text node a line, its cells coloured inside it: a Text per cell made ~3 host nodes per
  // cell for React to reconcile and Ink to lay out, on every refresh of every changed row.
  let line = selected ? `${GLYPH.selected} ` : '  ';
  fitted.forEach((c, i) => {
    const cell = row.cells[c.index];
    const text = fitCell(cell?.text ?? '', c.width, c.align);
    line += (i === 0 ? '' : ' '.repeat(COLUMN_GAP)) + paint(highlight ? undefined : roleColor(theme, cell?.role), text);
  });
  return (
    <Text wrap="truncate" inverse={highlight && theme.color} bold={highlight && !theme.color}>
      {line}
    </Text>
  );
}, sameLine);

export function VirtualTable({ columns, rows, selected, focused, height, width }: VirtualTableProps) {
  const theme = useTheme();
  const offsetRef = useRef(0);
  const visible = Math.max(0, height - 1);
  const offset = scrollOffset(selected, offsetRef.current, visible, rows.length);
  offsetRef.current = offset;
  const fitted = useMemo(() => fitColumns(columns, width), [columns, width]);
  const header = useMemo(() => fitted.map((c) => fitCell(c.header, c.width, c.align)).join(' '.repeat(COLUMN_GAP)), [fitted]);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate" bold color={roleColor(theme, 'muted')}>
        {'  '}
        {header}
      </Text>
      {rows.slice(offset, offset + visible).map((row, i) => (
        <Line key={row.key} row={row} fitted={fitted} selected={offset + i === selected} focused={focused} />
      ))}
    </Box>
  );
}
