/**
 * Decoded values as one line of text for the details view, bounded: rendering stops once the
 * limit is reached, so a 10 MB record costs no more than its first few kilobytes.
 * JSON-like, plus what JSON lacks: longs beyond 2^53 as exact digits, bytes as 0x-hex.
 */
export const DEFAULT_MAX_CHARS = 2_000;
const MAX_DEPTH = 64;
const ELLIPSIS = '…';

export interface Rendered {
  text: string;
  truncated: boolean;
}

class BoundedWriter {
  private readonly parts: string[] = [];
  private length = 0;
  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.length > this.limit;
  }

  write(s: string): void {
    if (this.full) return;
    // keep one character past the limit: that is how finish() knows it has to cut
    const room = this.limit + 1 - this.length;
    const piece = s.length > room ? s.slice(0, room) : s;
    this.parts.push(piece);
    this.length += piece.length;
  }

  finish(): Rendered {
    return truncateText(this.parts.join(''), this.limit);
  }
}

/** Cut to at most maxChars characters, the last one an ellipsis when anything was cut. */
export function truncateText(text: string, maxChars: number = DEFAULT_MAX_CHARS): Rendered {
  const limit = Math.max(1, Math.floor(maxChars));
  if (text.length <= limit) return { text, truncated: false };
  let cut = text.slice(0, limit - 1);
  // never leave half of a surrogate pair behind
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return { text: cut + ELLIPSIS, truncated: true };
}

export function renderValue(value: unknown, maxChars: number = DEFAULT_MAX_CHARS): Rendered {
  const out = new BoundedWriter(Math.max(1, Math.floor(maxChars)));
  write(out, value, 0);
  return out.finish();
}

function write(out: BoundedWriter, value: unknown, depth: number): void {
  if (out.full) return;
  if (value === null || value === undefined) return out.write('null');
  switch (typeof value) {
    case 'string':
      return out.write(JSON.stringify(value));
    case 'number':
      // Avro floats and doubles may be NaN or ±Infinity: shown as such, not as null
      return out.write(String(value));
    case 'bigint':
      return out.write(value.toString());
    case 'boolean':
      return out.write(value ? 'true' : 'false');
    case 'object':
      break;
    default:
      return out.write(JSON.stringify(String(value)));
  }
  if (depth >= MAX_DEPTH) return out.write(ELLIPSIS);
  if (value instanceof Uint8Array) return writeBytes(out, value);
  if (Array.isArray(value)) {
    out.write('[');
    value.forEach((item, i) => {
      if (i > 0) out.write(',');
      write(out, item, depth + 1);
    });
    return out.write(']');
  }
  const entries: Iterable<[unknown, unknown]> = value instanceof Map ? value.entries() : Object.entries(value);
  out.write('{');
  let first = true;
  for (const [k, v] of entries) {
    if (out.full) return;
    if (!first) out.write(',');
    first = false;
    out.write(JSON.stringify(String(k)));
    out.write(':');
    write(out, v, depth + 1);
  }
  out.write('}');
}

function writeBytes(out: BoundedWriter, bytes: Uint8Array): void {
  out.write('"0x');
  // a chunk at a time, so huge byte fields stop early
  for (let i = 0; i < bytes.length && !out.full; i += 256) out.write(Buffer.from(bytes.subarray(i, i + 256)).toString('hex'));
  out.write('"');
}

/** "hex 00 1a ff … (1234 bytes)": what the bytes are when nothing decodes them. */
export function hexPreview(bytes: Uint8Array, maxBytes = 32): string {
  const shown = Array.from(bytes.subarray(0, maxBytes), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const more = bytes.length > maxBytes ? ' …' : '';
  return `hex ${shown}${more} (${bytes.length} byte${bytes.length === 1 ? '' : 's'})`;
}
