import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COLUMN_GAP, fitColumns, MARKER_WIDTH } from './columns.js';
import type { Column } from './types.js';

const COLS: Column[] = [
  { header: 'NAME', min: 10, max: 30, flex: 2 },
  { header: 'STATE', min: 8, priority: 3 },
  { header: 'EXTRA', min: 12, priority: 0 },
  { header: 'RATE', min: 6, priority: 2, flex: 1, max: 10 },
];
const used = (fitted: ReturnType<typeof fitColumns>) => fitted.reduce((s, c) => s + c.width, 0) + COLUMN_GAP * (fitted.length - 1) + MARKER_WIDTH;

describe('fitColumns', () => {
  it('never draws wider than the pane', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 300 }), (width) => {
        expect(used(fitColumns(COLS, width))).toBeLessThanOrEqual(Math.max(width, MARKER_WIDTH + 1));
      }),
    );
  });

  it('drops the least important column first and always keeps the first', () => {
    expect(fitColumns(COLS, 50).map((c) => c.header)).toEqual(['NAME', 'STATE', 'EXTRA', 'RATE']);
    expect(fitColumns(COLS, 35).map((c) => c.header)).toEqual(['NAME', 'STATE', 'RATE']);
    expect(fitColumns(COLS, 25).map((c) => c.header)).toEqual(['NAME', 'STATE']);
    expect(fitColumns(COLS, 8).map((c) => c.header)).toEqual(['NAME']);
  });

  it('shares spare room by flex, up to each column’s max, and keeps cell indexes', () => {
    const f = fitColumns(COLS, 80);
    expect(f.find((c) => c.header === 'NAME')!.width).toBe(30);
    expect(f.find((c) => c.header === 'RATE')!.width).toBe(10);
    expect(f.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(fitColumns(COLS, 35).map((c) => c.index)).toEqual([0, 1, 3]);
  });
});
