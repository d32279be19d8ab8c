import { describe, expect, it } from 'vitest';
import { hexPreview, renderValue, truncateText } from './render.js';

describe('renderValue', () => {
  it('renders like compact JSON, with maps as objects and exact big longs', () => {
    const value = { a: [1, 'two', null, true], m: new Map([['k', 2n ** 64n]]), s: 'quote " and\nnewline' };
    expect(renderValue(value).text).toBe('{"a":[1,"two",null,true],"m":{"k":18446744073709551616},"s":"quote \\" and\\nnewline"}');
  });

  it('stops early on huge values and marks them truncated', () => {
    const huge = { blob: new Uint8Array(10_000_000), list: Array.from({ length: 1000 }, (_, i) => i) };
    const r = renderValue(huge, 40);
    expect(r).toEqual({ text: `{"blob":"0x${'0'.repeat(28)}…`, truncated: true });
  });

  it('stops descending past a depth limit instead of overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const r = renderValue(deep, 1_000_000);
    expect(r.text.startsWith('[[[[')).toBe(true);
    expect(r.text).toContain('…');
    expect(r.text).not.toContain('bottom');
  });
});

describe('truncateText', () => {
  it('leaves short text alone and cuts long text to the limit, ellipsis included', () => {
    expect(truncateText('abc', 3)).toEqual({ text: 'abc', truncated: false });
    expect(truncateText('abcd', 3)).toEqual({ text: 'ab…', truncated: true });
  });

  it('never splits a surrogate pair', () => {
    const r = truncateText('a😀b', 3); // 'a', then the two halves of 😀
    expect(r.text).toBe('a…');
  });
});

describe('hexPreview', () => {
  it('shows the first bytes and the size', () => {
    expect(hexPreview(Uint8Array.from([0, 255, 16]))).toBe('hex 00 ff 10 (3 bytes)');
    expect(hexPreview(new Uint8Array(40), 2)).toBe('hex 00 00 … (40 bytes)');
  });
});
