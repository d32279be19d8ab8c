/**
 * The Schema Registry adapter: Confluent's REST API over fetch, every request bounded by
 * AbortSignal.timeout (and the caller's signal). Answers are checked before use, so a
 * garbled registry is a 'bad-response' error, never a crash further down.
 */
import { SfpipeError } from '../../domain/errors.js';
import type { CallOptions } from '../types.js';
import { displayUrl, registryFetchError, registryHttpError } from './errors.js';
import type { RegisteredSchema, SchemaReference, SchemaRegistryService, SchemaType, SubjectVersion } from './types.js';

export interface SchemaRegistryClientOptions {
  /** e.g. http://127.0.0.1:8081 */
  url: string;
  /** per-request timeout when the caller gives none; default 5 s */
  timeoutMs?: number;
  /** for tests of the plumbing; default the global fetch */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** Confluent ids are positive 32-bit signed integers. */
const MAX_ID = 0x7fffffff;

export function createSchemaRegistryClient(options: SchemaRegistryClientOptions): SchemaRegistryService {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request(what: string, method: 'GET' | 'POST', path: string, body: unknown, opts: CallOptions): Promise<unknown> {
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    let status: number;
    let text: string;
    try {
      const res = await doFetch(`${base}${path}`, {
        method,
        signal: AbortSignal.any(signals),
        headers: { accept: `${CONTENT_TYPE}, application/json`, ...(body === undefined ? {} : { 'content-type': CONTENT_TYPE }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw registryFetchError(err, what, base, timeoutMs);
    }
    if (status < 200 || status > 299) throw registryHttpError(status, text, what);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badResponse(what, `answered HTTP ${status} with a body that is not JSON`);
    }
  }

  return {
    async schemaById(id, opts = {}) {
      checkId(id);
      const what = `schema id ${id}`;
      const body = await request(what, 'GET', `/schemas/ids/${id}`, undefined, opts);
      return { id, ...schemaFields(body, what) };
    },

    async register(subject, schema, opts = {}) {
      checkSubject(subject);
      const what = `register a schema under subject "${subject}"`;
      const payload: Record<string, unknown> = { schema: schema.schema };
      // AVRO is the default; Confluent leaves it out, and so do we (older registries reject the field).
      if (schema.schemaType && schema.schemaType !== 'AVRO') payload.schemaType = schema.schemaType;
      if (schema.references?.length) payload.references = schema.references;
      const body = await request(what, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, payload, opts);
      const id = (body as { id?: unknown } | null)?.id;
      if (!isId(id)) throw badResponse(what, 'answered without a schema id');
      return id;
    },

    async subjects(opts = {}) {
      const what = 'list subjects';
      const body = await request(what, 'GET', '/subjects', undefined, opts);
      if (!Array.isArray(body) || !body.every((s) => typeof s === 'string')) throw badResponse(what, 'answered with something other than a list of names');
      return body;
    },

    async latest(subject, opts = {}) {
      checkSubject(subject);
      const what = `latest version of subject "${subject}"`;
      const body = await request(what, 'GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`, undefined, opts);
      return subjectVersion(body, what);
    },
  };

  function badResponse(what: string, detail: string): SfpipeError {
    return new SfpipeError('bad-response', 'schema-registry', `${what}: the Schema Registry at ${displayUrl(base)} ${detail}`, {
      hint: 'is that address really a Schema Registry?',
    });
  }

  function schemaFields(body: unknown, what: string): Omit<RegisteredSchema, 'id'> {
    const b = body as { schema?: unknown; schemaType?: unknown; references?: unknown } | null;
    if (typeof b?.schema !== 'string') throw badResponse(what, 'answered without a schema');
    const schemaType = b.schemaType === undefined || b.schemaType === null ? 'AVRO' : b.schemaType;
    if (schemaType !== 'AVRO' && schemaType !== 'JSON' && schemaType !== 'PROTOBUF') throw badResponse(what, `answered with an unknown schemaType ${JSON.stringify(schemaType)}`);
    return { schema: b.schema, schemaType: schemaType as SchemaType, references: references(b.references, what) };
  }

  function references(value: unknown, what: string): SchemaReference[] {
    if (value === undefined || value === null) return [];
    const ok = Array.isArray(value) && value.every((r: { name?: unknown; subject?: unknown; version?: unknown } | null) => typeof r?.name === 'string' && typeof r.subject === 'string' && typeof r.version === 'number');
    if (!ok) throw badResponse(what, 'answered with malformed schema references');
    return (value as SchemaReference[]).map(({ name, subject, version }) => ({ name, subject, version }));
  }

  function subjectVersion(body: unknown, what: string): SubjectVersion {
    const b = body as { subject?: unknown; version?: unknown; id?: unknown } | null;
    if (typeof b?.subject !== 'string' || typeof b.version !== 'number' || !isId(b.id)) throw badResponse(what, 'answered without subject, version and id');
    return { subject: b.subject, version: b.version, id: b.id, ...schemaFields(body, what) };
  }
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_ID;
}

function checkId(id: number): void {
  if (!isId(id)) throw new SfpipeError('invalid-input', 'schema-registry', `schema id ${String(id)} is not a valid id (an integer from 0 to ${MAX_ID})`);
}

function checkSubject(subject: string): void {
  if (subject.trim() === '') throw new SfpipeError('invalid-input', 'schema-registry', 'the subject name is empty', { hint: 'Confluent names subjects <topic>-value and <topic>-key' });
}
