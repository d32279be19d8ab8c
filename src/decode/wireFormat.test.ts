import { describe, expect, it } from 'vitest';
import { frameWireFormat, HEADER_LENGTH, parseWireFormat } from './wireFormat.js';

describe('Confluent wire format', () => {
  it('reads the schema id big-endian and hands back the payload after the 5-byte header', () => {
    const bytes = Uint8Array.from([0x00, 0x00, 0x01, 0x02, 0x03, 0xaa, 0xbb]);
    const frame = parseWireFormat(bytes);
    expect(frame).toEqual({ ok: true, schemaId: 0x010203, payload: Uint8Array.from([0xaa, 0xbb]) });
  });

  it('frames and parses back the same id and payload, also from a view into a larger buffer', () => {
    const framed = frameWireFormat(2_000_000_001, Buffer.from('payload'));
    expect([...framed.subarray(0, HEADER_LENGTH)]).toEqual([0x00, 0x77, 0x35, 0x94, 0x01]);
    const padded = Buffer.concat([Buffer.from('junk'), framed]);
    const frame = parseWireFormat(padded.subarray(4));
    expect(frame.ok && frame.schemaId).toBe(2_000_000_001);
    expect(frame.ok && Buffer.from(frame.payload).toString()).toBe('payload');
  });

  it('a header with an empty payload is still a frame', () => {
    const frame = parseWireFormat(frameWireFormat(7, new Uint8Array()));
    expect(frame.ok && frame.schemaId).toBe(7);
    expect(frame.ok && frame.payload.length).toBe(0);
  });

  it.each([0, 1, 4])('rejects a %i-byte buffer as too short, saying so', (n) => {
    const frame = parseWireFormat(new Uint8Array(n));
    expect(frame.ok).toBe(false);
    expect(!frame.ok && frame.reason).toBe(`${n} byte${n === 1 ? '' : 's'} is shorter than the 5-byte Confluent header`);
  });

  it('rejects a wrong magic byte, naming it', () => {
    const frame = parseWireFormat(Uint8Array.from([0x7b, 0, 0, 0, 1, 2]));
    expect(frame).toEqual({ ok: false, reason: 'magic byte is 0x7b, not 0x00' });
  });

  it('rejects a negative schema id (top bit set)', () => {
    expect(parseWireFormat(Uint8Array.from([0, 0xff, 0xff, 0xff, 0xff]))).toEqual({ ok: false, reason: 'schema id -1 is negative' });
  });

  it('refuses to frame an id that does not fit', () => {
    expect(() => frameWireFormat(-1, new Uint8Array())).toThrow(RangeError);
    expect(() => frameWireFormat(2 ** 31, new Uint8Array())).toThrow(/does not fit/);
  });
});
