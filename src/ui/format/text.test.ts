import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fitCell, matchesFilter, textWidth, truncate } from './text.js';
import { plainText } from './plainText.js';
import { sparkline } from './sparkline.js';

describe('text in cells', () => {
  it('truncates with an ellipsis and pads to the exact width', () => {
    expect(truncate('clickstream', 6)).toBe('click…');
    expect(fitCell('orders', 8)).toBe('orders  ');
    expect(fitCell('42', 5, 'right')).toBe('   42');
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 40 }), (s, w) => {
        expect(textWidth(fitCell(s, w))).toBe(w);
      }),
    );
  });

  it('filters case-insensitively on any part', () => {
    expect(matchesFilter('stock_trades sink', 'TRADE')).toBe(true);
    expect(matchesFilter('orders', 'x')).toBe(false);
    expect(matchesFilter('orders', '  ')).toBe(true);
  });

  it('strips escape sequences and control characters that would break the frame', () => {
    expect(plainText('\x1b[31mred\x1b[0m\ttab\x07\r')).toBe('red  tab');
    expect(plainText('\x1b]0;title\x07ok')).toBe('ok');
  });

  it('draws a sparkline of the latest values, scaled to the largest', () => {
    expect(sparkline([0, 5, 10], 10)).toBe('▁▅█');
    expect(sparkline([1, 2, 3, 4, 5, 6], 3)).toBe('▆▇█');
    expect(sparkline([0, 0], 5)).toBe('▁▁');
    expect(sparkline([], 5)).toBe('');
  });
});
