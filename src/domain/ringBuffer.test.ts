import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ringBuffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items in order, oldest first', () => {
    const r = new RingBuffer<number>(3);
    expect(r.toArray()).toEqual([]);
    expect(r.first()).toBeUndefined();
    expect(r.last()).toBeUndefined();
    for (const n of [1, 2, 3, 4, 5]) r.push(n);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.size).toBe(3);
    expect(r.first()).toBe(3);
    expect(r.last()).toBe(5);
    expect(r.at(1)).toBe(4);
    expect(r.at(3)).toBeUndefined();
  });

  it('shift removes the oldest; clear empties', () => {
    const r = new RingBuffer<string>(2);
    r.push('a');
    r.push('b');
    r.push('c');
    expect(r.shift()).toBe('b');
    expect(r.toArray()).toEqual(['c']);
    r.push('d');
    r.push('e');
    expect(r.toArray()).toEqual(['d', 'e']);
    r.clear();
    expect(r.size).toBe(0);
    expect(r.shift()).toBeUndefined();
  });

  it('stays bounded after 100k pushes', () => {
    const r = new RingBuffer<number>(60);
    for (let i = 0; i < 100_000; i++) r.push(i);
    expect(r.size).toBe(60);
    const items = r.toArray();
    expect(items).toHaveLength(60);
    expect(items[0]).toBe(100_000 - 60);
    expect(items[59]).toBe(99_999);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
