import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clampIndex, scrollOffset } from './window.js';

describe('scrollOffset', () => {
  it('keeps the selected row visible and the window inside the data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 50 }), fc.nat(3000), fc.nat(3000), (total, visible, sel, prev) => {
        const selected = clampIndex(sel, total);
        const offset = scrollOffset(selected, prev, visible, total);
        expect(offset).toBeGreaterThanOrEqual(0);
        if (total > 0) {
          expect(selected).toBeGreaterThanOrEqual(offset);
          expect(selected).toBeLessThan(offset + visible);
          expect(offset + Math.min(visible, total)).toBeLessThanOrEqual(total);
        }
      }),
    );
  });

  it('moves as little as it can', () => {
    expect(scrollOffset(5, 0, 10, 100)).toBe(0); // still visible: no scroll
    expect(scrollOffset(10, 0, 10, 100)).toBe(1); // one past the bottom: scroll one
    expect(scrollOffset(3, 8, 10, 100)).toBe(3); // above the window: scroll up to it
    expect(scrollOffset(99, 0, 10, 100)).toBe(90);
  });
});
