/**
 * What sfpipe asks of a Confluent-compatible Schema Registry: the schema behind a record's
 * schema id (to decode it), plus the few calls a producer and a check need.
 * Same contract as the other services (src/services/types.ts): honours timeoutMs and signal,
 * rejects only with SfpipeError (source 'schema-registry'), never logs.
 */
import type { CallOptions } from '../types.js';

/** Confluent's schemaType; omitted by the registry for AVRO. */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface RegisteredSchema {
  id: number;
  /** the schema text as the registry returns it (for Avro: JSON of the Avro schema) */
  schema: string;
  schemaType: SchemaType;
  references: SchemaReference[];
}

export interface SubjectVersion extends RegisteredSchema {
  subject: string;
  version: number;
}

export interface NewSchema {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
}

export interface SchemaRegistryService {
  /** GET /schemas/ids/{id}; an unknown id rejects with kind 'not-found'. */
  schemaById(id: number, opts?: CallOptions): Promise<RegisteredSchema>;
  /** POST /subjects/{subject}/versions; returns the schema's global id (the same id for the same schema). */
  register(subject: string, schema: NewSchema, opts?: CallOptions): Promise<number>;
  /** GET /subjects */
  subjects(opts?: CallOptions): Promise<string[]>;
  /** GET /subjects/{subject}/versions/latest */
  latest(subject: string, opts?: CallOptions): Promise<SubjectVersion>;
}
