import { describe, expect, it } from 'vitest';
import { decodeLogLines, LogLineDecoder } from './logs.js';

const frame = (stream: 1 | 2, text: string | Buffer) => {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('multiplexed logs (no TTY)', () => {
  it('interleaves stdout and stderr lines in the order they were written', () => {
    const bytes = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\nout 3\n')]);
    expect(decodeLogLines([bytes], true, 10)).toEqual(['out 1', 'err 1', 'out 2', 'out 3']);
  });

  it('puts a frame split across chunks back together, whatever the split', () => {
    const bytes = Buffer.concat([frame(1, 'first line\n'), frame(2, 'second\n'), frame(1, 'thi'), frame(1, 'rd\n')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decodeLogLines([bytes.subarray(0, cut), bytes.subarray(cut)], true, 10), `cut at ${cut}`).toEqual(['first line', 'second', 'third']);
    }
  });

  it('keeps each stream\'s partial line apart, and a UTF-8 character split across frames whole', () => {
    const snow = Buffer.from('❄\n');
    const bytes = Buffer.concat([frame(1, 'half of '), frame(2, 'an error\n'), frame(1, Buffer.concat([Buffer.from('a '), snow.subarray(0, 1)])), frame(1, snow.subarray(1))]);
    expect(decodeLogLines([bytes], true, 10)).toEqual(['an error', 'half of a ❄']);
  });

  it('returns the last N lines, oldest first, and a last line without a newline', () => {
    const bytes = Buffer.concat([frame(1, 'a\nb\nc\n'), frame(2, 'd')]);
    expect(decodeLogLines([bytes], true, 2)).toEqual(['c', 'd']);
    expect(decodeLogLines([bytes], true, 0)).toEqual([]);
  });
});

describe('raw logs (TTY)', () => {
  it('splits lines and drops the carriage returns a TTY adds', () => {
    const decoder = new LogLineDecoder(false);
    expect(decoder.push(Buffer.from('one\r\ntw'))).toEqual(['one']);
    expect(decoder.push(Buffer.from('o\r\nthree'))).toEqual(['two']);
    expect(decoder.end()).toEqual(['three']);
  });
});
