/**
 * Confluent's wire format for Schema Registry–serialized records: byte 0 is the magic byte 0x0,
 * bytes 1–4 the schema id (big-endian), the rest the serialized payload (for Avro: the binary
 * encoding of one datum, without an Avro container header).
 */
export const MAGIC_BYTE = 0x0;
export const HEADER_LENGTH = 5;
const MAX_SCHEMA_ID = 0x7fffffff;

export type WireFrame =
  | { ok: true; schemaId: number; payload: Uint8Array }
  | { ok: false; reason: string };

export function parseWireFormat(bytes: Uint8Array): WireFrame {
  if (bytes.length < HEADER_LENGTH) {
    return { ok: false, reason: `${bytes.length} byte${bytes.length === 1 ? '' : 's'} is shorter than the ${HEADER_LENGTH}-byte Confluent header` };
  }
  if (bytes[0] !== MAGIC_BYTE) {
    return { ok: false, reason: `magic byte is 0x${hex2(bytes[0] ?? 0)}, not 0x00` };
  }
  const schemaId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(1, false);
  if (schemaId < 0) return { ok: false, reason: `schema id ${schemaId} is negative` };
  return { ok: true, schemaId, payload: bytes.subarray(HEADER_LENGTH) };
}

/** The bytes a Confluent serializer writes: header + payload. */
export function frameWireFormat(schemaId: number, payload: Uint8Array): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new RangeError(`schema id ${schemaId} does not fit Confluent's 4-byte header`);
  }
  const out = Buffer.alloc(HEADER_LENGTH + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  out.set(payload, HEADER_LENGTH);
  return out;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
