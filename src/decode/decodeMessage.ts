/**
 * One Kafka key or value → text for a person. Picks the decoder: Confluent-framed (magic byte
 * 0x0 + schema id) → the registry's schema (Avro, or JSON Schema's JSON); else UTF-8 JSON
 * (object or array); else UTF-8 text; else a hex preview. Never rejects: whatever goes wrong
 * becomes a visible 'undecodable: <reason>' result, and long values are truncated.
 */
import { isSfpipeError } from '../domain/errors.js';
import type { KafkaMessage } from '../services/types.js';
import { decodeAvro, SchemaCache, type SchemaCacheOptions } from './avro.js';
import { decodeJson } from './json.js';
import { DEFAULT_MAX_CHARS, hexPreview, renderValue, truncateText } from './render.js';
import { decodeText } from './text.js';
import { parseWireFormat } from './wireFormat.js';

export type DecodedFormat = 'avro' | 'json' | 'text' | 'binary' | 'null' | 'undecodable';

export interface DecodedMessage {
  format: DecodedFormat;
  /** what to show: the value rendered on one line, or 'undecodable: <reason>' */
  text: string;
  truncated: boolean;
  /** the decoded value (Avro and JSON); longs beyond 2^53 are bigints, Avro bytes are Buffers */
  value?: unknown;
  /** the schema id from a Confluent header */
  schemaId?: number;
  /** why it could not be decoded (format 'undecodable') */
  reason?: string;
}

export interface DecodeOptions {
  /** schemas by id; without it, Confluent-framed records are undecodable (no registry configured) */
  schemas?: SchemaCache;
  maxChars?: number;
  /** aborts a pending schema fetch (e.g. the details view was closed) */
  signal?: AbortSignal;
}

export async function decodeMessage(bytes: Uint8Array | null | undefined, opts: DecodeOptions = {}): Promise<DecodedMessage> {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  try {
    if (bytes === null || bytes === undefined) return { format: 'null', text: 'null', truncated: false };
    const frame = parseWireFormat(bytes);
    if (frame.ok) return await decodeFramed(frame.schemaId, frame.payload, opts, maxChars);
    const text = decodeText(bytes);
    if (!text.ok) return { format: 'binary', text: hexPreview(bytes), truncated: false };
    const json = decodeJson(text.text, maxChars);
    if (json.ok) return { format: 'json', text: json.text, truncated: json.truncated, value: json.value };
    return { format: 'text', ...truncateText(text.text, maxChars) };
  } catch (err) {
    // nothing above should throw; if it does, show it rather than lose the message
    return undecodable(`unexpected decoder failure: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function decodeFramed(schemaId: number, payload: Uint8Array, opts: DecodeOptions, maxChars: number): Promise<DecodedMessage> {
  if (!opts.schemas) return undecodable(`Confluent-framed record (schema id ${schemaId}) but no Schema Registry is configured`, schemaId);
  let resolved;
  try {
    resolved = await opts.schemas.resolve(schemaId, opts.signal);
  } catch (err) {
    return undecodable(registryFailure(err, schemaId), schemaId);
  }
  switch (resolved.kind) {
    case 'unsupported':
      return undecodable(resolved.reason, schemaId);
    case 'json': {
      const text = decodeText(payload);
      const json = text.ok ? decodeJson(text.text, maxChars) : text;
      if (!json.ok) return undecodable(`schema id ${schemaId} is a JSON Schema but the payload is not JSON (${json.reason})`, schemaId);
      return { format: 'json', text: json.text, truncated: json.truncated, value: json.value, schemaId };
    }
    case 'avro': {
      let value: unknown;
      try {
        value = decodeAvro(resolved.type, payload);
      } catch (err) {
        return undecodable(`the payload does not fit Avro schema id ${schemaId} (${err instanceof Error ? err.message : String(err)})`, schemaId);
      }
      return { format: 'avro', ...renderValue(value, maxChars), value, schemaId };
    }
  }
}

function registryFailure(err: unknown, schemaId: number): string {
  if (!isSfpipeError(err)) return `schema id ${schemaId}: ${err instanceof Error ? err.message : String(err)}`;
  switch (err.kind) {
    case 'not-found':
      return `schema id ${schemaId} is not in the Schema Registry`;
    case 'unreachable':
      return `Schema Registry unreachable, cannot fetch schema id ${schemaId} (${err.message})`;
    case 'timeout':
      return `Schema Registry did not answer for schema id ${schemaId} (${err.message})`;
    default:
      return `Schema Registry failed for schema id ${schemaId} (${err.message})`;
  }
}

function undecodable(reason: string, schemaId?: number): DecodedMessage {
  return { format: 'undecodable', text: `undecodable: ${reason}`, truncated: false, reason, ...(schemaId === undefined ? {} : { schemaId }) };
}

// ---- a decoder for a topic's messages ---------------------------------------------

export interface DecodedRecord {
  partition: number;
  offset: number;
  timestamp: number;
  /** keys are usually plain strings (datagen uses StringConverter); decoded the same way */
  key: DecodedMessage;
  value: DecodedMessage;
}

export interface MessageDecoder {
  decode(bytes: Uint8Array | null | undefined, signal?: AbortSignal): Promise<DecodedMessage>;
  decodeRecord(message: KafkaMessage, signal?: AbortSignal): Promise<DecodedRecord>;
}

export interface MessageDecoderOptions extends Partial<SchemaCacheOptions> {
  maxChars?: number;
}

/** One decoder per console: it keeps the schema cache. No registry → framed records say so. */
export function createMessageDecoder(opts: MessageDecoderOptions = {}): MessageDecoder {
  const { registry, maxChars, ...cacheOpts } = opts;
  const schemas = registry ? new SchemaCache({ registry, ...cacheOpts }) : undefined;
  const decode = (bytes: Uint8Array | null | undefined, signal?: AbortSignal) =>
    decodeMessage(bytes, { ...(schemas ? { schemas } : {}), ...(maxChars === undefined ? {} : { maxChars }), ...(signal ? { signal } : {}) });
  return {
    decode,
    async decodeRecord(message, signal) {
      const [key, value] = await Promise.all([decode(message.key, signal), decode(message.value, signal)]);
      return { partition: message.partition, offset: message.offset, timestamp: message.timestamp, key, value };
    },
  };
}
