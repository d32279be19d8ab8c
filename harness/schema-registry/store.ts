/**
 * What the Schema Registry stand-in remembers: schemas by global id and subjects' versions,
 * kept in one JSON file so ids survive a restart (Confluent keeps them in its _schemas topic).
 * Errors carry Confluent's documented status, error_code and wording.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import avro from 'avsc';

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface StoredSchema {
  id: number;
  /** compact JSON of the schema as registered */
  schema: string;
  schemaType: SchemaType;
}

interface SubjectVersionEntry {
  version: number;
  id: number;
}

interface StoreFile {
  nextId: number;
  schemas: StoredSchema[];
  subjects: Record<string, SubjectVersionEntry[]>;
}

export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SubjectVersion extends StoredSchema {
  subject: string;
  version: number;
}

export interface SchemaInput {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
}

const MAX_VERSION = 0x7fffffff;

export class RegistryStore {
  private data: StoreFile = { nextId: 1, schemas: [], subjects: {} };

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) this.data = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
  }

  subjects(): string[] {
    return Object.keys(this.data.subjects).sort();
  }

  versions(subject: string): number[] {
    return this.subjectEntries(subject).map((e) => e.version);
  }

  byId(id: number): StoredSchema {
    const found = this.data.schemas.find((s) => s.id === id);
    if (!found) throw new RegistryError(404, 40403, `Schema ${id} not found`);
    return found;
  }

  version(subject: string, versionText: string): SubjectVersion {
    const entries = this.subjectEntries(subject);
    const latest = versionText === 'latest' || versionText === '-1';
    const wanted = Number(versionText);
    if (!latest && !(Number.isInteger(wanted) && wanted >= 1 && wanted <= MAX_VERSION && /^\d+$/.test(versionText))) {
      throw new RegistryError(422, 42202, `The specified version '${versionText}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
    }
    const entry = latest ? entries[entries.length - 1] : entries.find((e) => e.version === wanted);
    if (!entry) throw new RegistryError(404, 40402, `Version ${versionText} not found.`);
    return { subject, version: entry.version, ...this.byId(entry.id) };
  }

  /** POST /subjects/{subject}/versions: the same schema gets the same id, under any subject. */
  register(subject: string, input: SchemaInput): number {
    const candidate = validate(input);
    let stored = this.findSame(candidate);
    const entries = this.data.subjects[subject] ?? [];
    if (stored && entries.some((e) => e.id === stored?.id)) return stored.id;
    if (!stored) {
      stored = { id: this.data.nextId++, ...candidate };
      this.data.schemas.push(stored);
    }
    entries.push({ version: (entries[entries.length - 1]?.version ?? 0) + 1, id: stored.id });
    this.data.subjects[subject] = entries;
    this.save();
    return stored.id;
  }

  /** POST /subjects/{subject}: is this schema registered under the subject? */
  lookup(subject: string, input: SchemaInput): SubjectVersion {
    const entries = this.subjectEntries(subject);
    const candidate = validate(input);
    const stored = this.findSame(candidate);
    const entry = stored && entries.find((e) => e.id === stored.id);
    if (!stored || !entry) throw new RegistryError(404, 40403, 'Schema not found');
    return { subject, version: entry.version, ...stored };
  }

  private subjectEntries(subject: string): SubjectVersionEntry[] {
    const entries = this.data.subjects[subject];
    if (!entries) throw new RegistryError(404, 40401, `Subject '${subject}' not found.`);
    return entries;
  }

  private findSame(candidate: Omit<StoredSchema, 'id'>): StoredSchema | undefined {
    return this.data.schemas.find((s) => s.schemaType === candidate.schemaType && s.schema === candidate.schema);
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }
}

/** Checks a registration body as the registry does; returns the schema in its stored form. */
function validate(input: SchemaInput): Omit<StoredSchema, 'id'> {
  if (typeof input.schema !== 'string' || input.schema.trim() === '') throw new RegistryError(422, 42201, 'Empty schema');
  const schemaType = input.schemaType ?? 'AVRO';
  if (schemaType !== 'AVRO' && schemaType !== 'JSON' && schemaType !== 'PROTOBUF') {
    throw new RegistryError(422, 42201, `Invalid schema type ${String(schemaType)}`);
  }
  if (schemaType === 'PROTOBUF') throw new RegistryError(422, 42201, 'Invalid schema: PROTOBUF schemas are not supported by the sfpipe stand-in');
  if (Array.isArray(input.references) && input.references.length > 0) {
    throw new RegistryError(422, 42201, 'Invalid schema: schema references are not supported by the sfpipe stand-in');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.schema);
  } catch (err) {
    throw new RegistryError(422, 42201, `Invalid schema: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (schemaType === 'AVRO') {
    try {
      avro.Type.forSchema(parsed as Parameters<typeof avro.Type.forSchema>[0]);
    } catch (err) {
      throw new RegistryError(422, 42201, `Invalid schema: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { schema: JSON.stringify(parsed), schemaType };
}
