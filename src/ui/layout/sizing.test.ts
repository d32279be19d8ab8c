import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseLayout, gridPlan, split, tabbedPlan, usableRows } from './sizing.js';

describe('chooseLayout', () => {
  it('says too small below 80×24, tabs from 80×24, a grid from 150×40', () => {
    expect(chooseLayout({ columns: 79, rows: 50 })).toBe('too-small');
    expect(chooseLayout({ columns: 200, rows: 23 })).toBe('too-small');
    expect(chooseLayout({ columns: 80, rows: 24 })).toBe('tabbed');
    expect(chooseLayout({ columns: 149, rows: 60 })).toBe('tabbed');
    expect(chooseLayout({ columns: 150, rows: 39 })).toBe('tabbed');
    expect(chooseLayout({ columns: 150, rows: 40 })).toBe('grid');
  });
});

describe('split', () => {
  it('shares a total into near-equal parts that add up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 6 }), (total, parts) => {
        const s = split(total, parts);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('plans fill the usable rows exactly', () => {
  it('grid: header, three pane rows and the status line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 150, max: 400 }), fc.integer({ min: 40, max: 200 }), (columns, rows) => {
        const p = gridPlan({ columns, rows });
        expect(p.header + p.rowHeights.reduce((a, b) => a + b, 0) + p.status).toBe(usableRows(rows));
        expect(p.columnWidths[0] + p.columnWidths[1]).toBe(columns);
        expect(Math.min(...p.rowHeights)).toBeGreaterThanOrEqual(12);
      }),
    );
  });

  it('tabbed: header, tabs, pane, event log and status line; the pane keeps room for rows at 80×24', () => {
    fc.assert(
      fc.property(fc.integer({ min: 80, max: 149 }), fc.integer({ min: 24, max: 200 }), (columns, rows) => {
        const p = tabbedPlan({ columns, rows });
        expect(p.header + p.tabs + p.pane + p.events + p.status).toBe(usableRows(rows));
      }),
    );
    expect(tabbedPlan({ columns: 80, rows: 24 }).pane).toBeGreaterThanOrEqual(12);
  });
});
