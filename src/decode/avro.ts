/**
 * Avro through the Schema Registry: the writer's schema is fetched by the id in the record's
 * header, parsed with avsc once and cached per id (Confluent ids are immutable), and every
 * fetch is bounded in time. A failed fetch is not cached, so a registry that comes back is
 * used again on the next decode.
 */
import avro from 'avsc';
import { systemClock, type Clock } from '../domain/clock.js';
import { withTimeout } from '../services/timeout.js';
import type { RegisteredSchema } from '../services/schemaRegistry/types.js';
import type { CallOptions } from '../services/types.js';

export const DEFAULT_SCHEMA_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_CACHED = 1_000;

/** The part of the registry client the decoder needs. */
export interface SchemaLookup {
  schemaById(id: number, opts?: CallOptions): Promise<RegisteredSchema>;
}

export type ResolvedSchema =
  | { kind: 'avro'; type: avro.Type }
  /** JSON Schema records carry a JSON payload after the same 5-byte header */
  | { kind: 'json' }
  | { kind: 'unsupported'; reason: string };

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * avsc's own long type throws on values beyond 2^53; this one returns a number when it is
 * exact and a bigint otherwise, so no long ever fails to decode or is shown rounded.
 */
const exactLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => {
    const n = buf.readBigInt64LE();
    return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
  },
  toBuffer: (n: number | bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (v: number | bigint) => v,
  toJSON: (v: number | bigint) => (typeof v === 'bigint' ? Number(v) : v),
  isValid: (v: unknown) => typeof v === 'bigint' || Number.isSafeInteger(v),
  compare: (a: number | bigint, b: number | bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** The parts of avsc's Tap (its read cursor) the bounded readers use. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
}
interface Readable {
  _read(tap: Tap): unknown;
}

/** Zero-byte items (null, empty records) can legitimately outnumber the bytes left, but not by this much. */
const MAX_ITEMS_BEYOND_DATA = 100_000;

/**
 * A garbled payload can claim an array or map block of 2^40 items; avsc would loop that many
 * times (seconds to minutes, and the memory) before noticing the data ran out. These readers
 * stop as soon as the data does.
 */
function blockSize(tap: Tap): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong(); // the block's byte size
  }
  const left = tap.buf.length - tap.pos;
  if (n > left + MAX_ITEMS_BEYOND_DATA) throw new Error(`a block of ${n} items with only ${Math.max(0, left)} bytes left`);
  return n;
}

function checkNotPastEnd(tap: Tap): void {
  if (tap.pos > tap.buf.length) throw new Error('truncated buffer');
}

class BoundedArrayType extends avro.types.ArrayType {}
Object.defineProperty(BoundedArrayType.prototype, '_read', {
  value: function (this: avro.types.ArrayType, tap: Tap): unknown[] {
    const items = this.itemsType as unknown as Readable;
    const out: unknown[] = [];
    for (let n = blockSize(tap); n; n = blockSize(tap)) {
      while (n--) {
        out.push(items._read(tap));
        checkNotPastEnd(tap);
      }
    }
    return out;
  },
});

class BoundedMapType extends avro.types.MapType {}
Object.defineProperty(BoundedMapType.prototype, '_read', {
  value: function (this: avro.types.MapType, tap: Tap): Record<string, unknown> {
    const values = this.valuesType as Readable;
    const out: Record<string, unknown> = {};
    for (let n = blockSize(tap); n; n = blockSize(tap)) {
      while (n--) {
        const key = tap.readString();
        out[key] = values._read(tap);
        checkNotPastEnd(tap);
      }
    }
    return out;
  },
});

type ForSchemaOptions = NonNullable<Parameters<typeof avro.Type.forSchema>[1]>;

/** Parse an Avro schema (JSON text) for decoding; throws with avsc's reason when it is not one. */
export function parseAvroSchema(schemaText: string): avro.Type {
  const schema = JSON.parse(schemaText) as Parameters<typeof avro.Type.forSchema>[0];
  const typeHook = (s: unknown, opts: ForSchemaOptions): avro.Type | undefined => {
    const type = typeof s === 'object' && s !== null ? (s as { type?: unknown }).type : s;
    // logical types are shown as their underlying type (a timestamp-millis as its long)
    if (type === 'long') return exactLong;
    if (type === 'array' && typeof s === 'object') return new BoundedArrayType(s as never, opts);
    if (type === 'map' && typeof s === 'object') return new BoundedMapType(s as never, opts);
    return undefined;
  };
  return avro.Type.forSchema(schema, { typeHook });
}

/** Decode one Avro datum written with `type`; throws when the bytes do not fit the schema. */
export function decodeAvro(type: avro.Type, payload: Uint8Array): unknown {
  const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return type.fromBuffer(buf);
}

export function resolveRegistered(registered: RegisteredSchema): ResolvedSchema {
  const id = registered.id;
  if (registered.schemaType === 'JSON') return { kind: 'json' };
  if (registered.schemaType === 'PROTOBUF') return { kind: 'unsupported', reason: `schema id ${id} is a Protobuf schema, which sfpipe does not decode` };
  if (registered.references.length > 0) {
    return { kind: 'unsupported', reason: `schema id ${id} refers to other schemas (${registered.references.map((r) => r.subject).join(', ')}), which sfpipe does not resolve` };
  }
  try {
    return { kind: 'avro', type: parseAvroSchema(registered.schema) };
  } catch (err) {
    return { kind: 'unsupported', reason: `schema id ${id} is not a valid Avro schema: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export interface SchemaCacheOptions {
  registry: SchemaLookup;
  timeoutMs?: number;
  clock?: Clock;
  maxCached?: number;
}

/** Schemas by id: fetched once, shared by concurrent decodes, failures not kept. */
export class SchemaCache {
  private readonly entries = new Map<number, Promise<ResolvedSchema>>();
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly maxCached: number;

  constructor(private readonly opts: SchemaCacheOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_SCHEMA_TIMEOUT_MS;
    this.clock = opts.clock ?? systemClock;
    this.maxCached = opts.maxCached ?? DEFAULT_MAX_CACHED;
  }

  /** Rejects with SfpipeError (not-found, unreachable, timeout …) when the registry cannot say. */
  resolve(id: number, signal?: AbortSignal): Promise<ResolvedSchema> {
    const cached = this.entries.get(id);
    if (cached) return cached;
    const pending = withTimeout((s) => this.opts.registry.schemaById(id, { signal: s, timeoutMs: this.timeoutMs }), {
      timeoutMs: this.timeoutMs,
      clock: this.clock,
      source: 'schema-registry',
      what: `fetch schema id ${id}`,
      ...(signal ? { signal } : {}),
    }).then(resolveRegistered);
    this.entries.set(id, pending);
    pending.catch(() => {
      if (this.entries.get(id) === pending) this.entries.delete(id);
    });
    if (this.entries.size > this.maxCached) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
