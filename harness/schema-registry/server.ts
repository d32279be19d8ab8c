/**
 * The HTTP face of the stand-in: the documented Schema Registry routes a producer and a
 * consumer use, answering in Confluent's content type with {error_code, message} on errors.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RegistryError, type RegistryStore, type StoredSchema, type SubjectVersion } from './store.js';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Route = (req: IncomingMessage, params: string[]) => Promise<unknown> | unknown;
interface RouteDef {
  method: 'GET' | 'POST';
  pattern: RegExp;
  run: Route;
}

export function createRegistryServer(store: RegistryStore): Server {
  const routes: RouteDef[] = [
    { method: 'GET', pattern: /^\/$/, run: () => ({}) },
    { method: 'GET', pattern: /^\/sfpipe\/health$/, run: () => ({ ok: true, pid: process.pid }) },
    { method: 'GET', pattern: /^\/config$/, run: () => ({ compatibilityLevel: 'NONE' }) },
    { method: 'GET', pattern: /^\/schemas\/types$/, run: () => ['AVRO', 'JSON'] },
    { method: 'GET', pattern: /^\/subjects$/, run: () => store.subjects() },
    { method: 'GET', pattern: /^\/subjects\/([^/]+)\/versions$/, run: (_r, [s]) => store.versions(s ?? '') },
    { method: 'POST', pattern: /^\/subjects\/([^/]+)\/versions$/, run: async (req, [s]) => ({ id: store.register(s ?? '', await readJson(req)) }) },
    { method: 'GET', pattern: /^\/subjects\/([^/]+)\/versions\/([^/]+)$/, run: (_r, [s, v]) => subjectVersionBody(store.version(s ?? '', v ?? '')) },
    { method: 'GET', pattern: /^\/subjects\/([^/]+)\/versions\/([^/]+)\/schema$/, run: (_r, [s, v]) => JSON.parse(store.version(s ?? '', v ?? '').schema) as unknown },
    { method: 'POST', pattern: /^\/subjects\/([^/]+)$/, run: async (req, [s]) => subjectVersionBody(store.lookup(s ?? '', await readJson(req))) },
    { method: 'GET', pattern: /^\/schemas\/ids\/(\d+)$/, run: (_r, [id]) => schemaBody(store.byId(Number(id))) },
    { method: 'GET', pattern: /^\/schemas\/ids\/(\d+)\/schema$/, run: (_r, [id]) => JSON.parse(store.byId(Number(id)).schema) as unknown },
  ];

  return createServer((req, res) => {
    void handle(routes, req, res);
  });
}

async function handle(routes: RouteDef[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname.replace(/(.)\/+$/, '$1');
    const matching = routes.filter((r) => r.pattern.test(path));
    const route = matching.find((r) => r.method === req.method);
    if (!route) {
      if (matching.length > 0) throw new RegistryError(405, 405, 'HTTP 405 Method Not Allowed');
      throw new RegistryError(404, 404, 'HTTP 404 Not Found');
    }
    const params = (route.pattern.exec(path) ?? []).slice(1).map(decodePathPart);
    send(res, 200, await route.run(req, params));
  } catch (err) {
    if (err instanceof RegistryError) send(res, err.status, { error_code: err.errorCode, message: err.message });
    else send(res, 500, { error_code: 50001, message: `Error in the backend data store: ${err instanceof Error ? err.message : String(err)}` });
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new RegistryError(404, 404, 'HTTP 404 Not Found');
  }
}

function schemaBody(s: StoredSchema): Record<string, unknown> {
  // Confluent leaves schemaType out for AVRO
  return { schema: s.schema, ...(s.schemaType === 'AVRO' ? {} : { schemaType: s.schemaType }) };
}

function subjectVersionBody(v: SubjectVersion): Record<string, unknown> {
  return { subject: v.subject, version: v.version, id: v.id, ...schemaBody(v) };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RegistryError(413, 413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new RegistryError(400, 400, `Unrecognized request body: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RegistryError(422, 422, 'Unrecognized request body: expected a JSON object');
  return body as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
