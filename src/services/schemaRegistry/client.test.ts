/**
 * The adapter's plumbing against a real HTTP server on 127.0.0.1 that answers what a broken or
 * odd registry might; the documented API itself is exercised against the harness's registry in
 * test/integration/decode.test.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { createSchemaRegistryClient } from './client.js';
import { displayUrl } from './errors.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  contentType: string | undefined;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** path → [status, body]; 'hang' never answers */
const answers = new Map<string, [number, string] | 'hang'>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, contentType: req.headers['content-type'], body });
      const a = answers.get(req.url ?? '');
      if (a === 'hang') return;
      const [status, text] = a ?? [404, '{"error_code":404,"message":"HTTP 404 Not Found"}'];
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(p: Promise<unknown>): Promise<SfpipeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SfpipeError);
  expect((err as SfpipeError).source).toBe('schema-registry');
  return err as SfpipeError;
}

describe('schema registry client', () => {
  it('reads a schema by id; a missing schemaType means AVRO', async () => {
    answers.set('/schemas/ids/1', [200, '{"schema":"\\"string\\""}']);
    answers.set('/schemas/ids/2', [200, '{"schema":"{}","schemaType":"JSON","references":[{"name":"a","subject":"s","version":1}]}']);
    const c = createSchemaRegistryClient({ url: `${base}/` });
    expect(await c.schemaById(1)).toEqual({ id: 1, schema: '"string"', schemaType: 'AVRO', references: [] });
    expect(await c.schemaById(2)).toEqual({ id: 2, schema: '{}', schemaType: 'JSON', references: [{ name: 'a', subject: 's', version: 1 }] });
  });

  it('turns the documented error body into not-found with the registry\'s words', async () => {
    answers.set('/schemas/ids/7', [404, '{"error_code":40403,"message":"Schema 7 not found"}']);
    const err = await failure(createSchemaRegistryClient({ url: base }).schemaById(7));
    expect(err.kind).toBe('not-found');
    expect(err.message).toBe('schema id 7: Schema 7 not found (error 40403)');
  });

  it('maps statuses to kinds: 401 auth, 409 conflict, 422 invalid-input, 500 bad-response', async () => {
    const c = createSchemaRegistryClient({ url: base });
    const cases: Array<[number, string]> = [[401, 'auth'], [409, 'conflict'], [422, 'invalid-input'], [500, 'bad-response']];
    for (const [status, kind] of cases) {
      answers.set('/subjects/s/versions/latest', [status, status === 500 ? '<html>oops</html>' : `{"error_code":${status},"message":"no"}`]);
      const err = await failure(c.latest('s'));
      expect(err.kind).toBe(kind);
      if (status === 500) expect(err.message).toBe('latest version of subject "s": HTTP 500');
    }
  });

  it('garbled answers are bad-response, not crashes', async () => {
    const c = createSchemaRegistryClient({ url: base });
    answers.set('/schemas/ids/3', [200, 'not json']);
    answers.set('/schemas/ids/4', [200, '{"schemaa":"x"}']);
    answers.set('/schemas/ids/5', [200, '{"schema":"x","schemaType":"XML"}']);
    answers.set('/subjects', [200, '{"a":1}']);
    answers.set('/subjects/s/versions', [200, '{"id":"seven"}']);
    expect((await failure(c.schemaById(3))).message).toMatch(/^schema id 3: the Schema Registry at http:\/\/127\.0\.0\.1:\d+ answered HTTP 200 with a body that is not JSON$/);
    expect((await failure(c.schemaById(4))).kind).toBe('bad-response');
    expect((await failure(c.schemaById(5))).message).toContain('unknown schemaType "XML"');
    expect((await failure(c.subjects())).kind).toBe('bad-response');
    expect((await failure(c.register('s', { schema: '"int"' }))).message).toContain('answered without a schema id');
  });

  it('registers with Confluent\'s content type, leaving schemaType out for AVRO', async () => {
    answers.set('/subjects/orders-value/versions', [200, '{"id":12}']);
    answers.set('/subjects/a%2Fb/versions', [200, '{"id":13}']);
    const c = createSchemaRegistryClient({ url: base });
    seen.length = 0;
    expect(await c.register('orders-value', { schema: '"int"', schemaType: 'AVRO' })).toBe(12);
    expect(await c.register('a/b', { schema: '{}', schemaType: 'JSON' })).toBe(13);
    expect(seen.map((s) => [s.method, s.url, s.contentType, JSON.parse(s.body) as unknown])).toEqual([
      ['POST', '/subjects/orders-value/versions', 'application/vnd.schemaregistry.v1+json', { schema: '"int"' }],
      ['POST', '/subjects/a%2Fb/versions', 'application/vnd.schemaregistry.v1+json', { schema: '{}', schemaType: 'JSON' }],
    ]);
  });

  it('bad input is refused before any request', async () => {
    const c = createSchemaRegistryClient({ url: base });
    seen.length = 0;
    expect((await failure(c.schemaById(-1))).kind).toBe('invalid-input');
    expect((await failure(c.schemaById(1.5))).kind).toBe('invalid-input');
    expect((await failure(c.latest('  '))).kind).toBe('invalid-input');
    expect(seen).toEqual([]);
  });

  it('a registry that does not answer is a timeout; a caller who stops waiting cancels', async () => {
    answers.set('/subjects', 'hang');
    const c = createSchemaRegistryClient({ url: base, timeoutMs: 100 });
    const err = await failure(c.subjects());
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/^list subjects: no answer from http:\/\/127\.0\.0\.1:\d+ within 100 ms$/);
    const controller = new AbortController();
    const pending = createSchemaRegistryClient({ url: base, timeoutMs: 60_000 }).subjects({ signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).message).toBe('list subjects: cancelled');
  });

  it('nothing listening → unreachable, naming the address without credentials', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(createSchemaRegistryClient({ url: `http://127.0.0.1:${port}` }).schemaById(1));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`schema id 1: the Schema Registry at http://127.0.0.1:${port} is unreachable (ECONNREFUSED)`);
    expect(err.hint).toContain('SFPIPE_SCHEMA_REGISTRY_URL');
    expect(displayUrl('http://bob:s3cr3t@127.0.0.1:8081/')).toBe('http://127.0.0.1:8081');
  });
});
