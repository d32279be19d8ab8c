/**
 * Container log bytes → lines. Without a TTY, Docker multiplexes stdout and stderr into frames
 * (8-byte header: stream 1|2, three zero bytes, big-endian payload size); with a TTY the bytes
 * are raw. Lines are emitted in the order their newline arrived, each stream keeping its own
 * partial line, so an interleaved stdout/stderr stays in order and a frame split across chunks
 * (or a UTF-8 character split across frames) comes out whole.
 */
import { StringDecoder } from 'node:string_decoder';

const HEADER = 8;

export class LogLineDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial = new Map<number, { decoder: StringDecoder; text: string }>();

  constructor(private readonly multiplexed: boolean) {}

  /** The complete lines this chunk finishes. */
  push(chunk: Buffer): string[] {
    if (!this.multiplexed) return this.append(1, chunk);
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: string[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER) {
      const stream = this.pending[offset]!;
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset < HEADER + size) break;
      const payload = this.pending.subarray(offset + HEADER, offset + HEADER + size);
      lines.push(...this.append(stream, payload));
      offset += HEADER + size;
    }
    this.pending = this.pending.subarray(offset);
    return lines;
  }

  /** Whatever is left without a final newline, once the stream has ended. */
  end(): string[] {
    const lines: string[] = [];
    for (const p of this.partial.values()) {
      const rest = p.text + p.decoder.end();
      if (rest) lines.push(trimCr(rest));
    }
    this.partial.clear();
    return lines;
  }

  private append(stream: number, bytes: Buffer): string[] {
    let p = this.partial.get(stream);
    if (!p) {
      p = { decoder: new StringDecoder('utf8'), text: '' };
      this.partial.set(stream, p);
    }
    const parts = (p.text + p.decoder.write(bytes)).split('\n');
    p.text = parts.pop()!;
    return parts.map(trimCr);
  }
}

const trimCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** All lines of a finished log read, the last `count` of them, oldest first. */
export function decodeLogLines(chunks: readonly Buffer[], multiplexed: boolean, count: number): string[] {
  const decoder = new LogLineDecoder(multiplexed);
  const lines = chunks.flatMap((c) => decoder.push(c));
  lines.push(...decoder.end());
  return count > 0 ? lines.slice(-count) : [];
}
