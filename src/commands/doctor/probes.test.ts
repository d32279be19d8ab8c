// The real probes against real loopback listeners: well-behaved, garbled, silent.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfpipeError } from '../../domain/errors.js';
import { httpJson, speaksKafka, tcp } from './probes.js';

const servers: Array<HttpServer | NetServer> = [];
const sockets = new Set<Socket>();
let dir: string;

function listen<T extends HttpServer | NetServer>(server: T, where: number | string = 0): Promise<T> {
  servers.push(server);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => server.listen(typeof where === 'string' ? where : { host: '127.0.0.1', port: where }, () => resolve(server)));
}
const portOf = (s: HttpServer | NetServer) => (s.address() as AddressInfo).port;

let http: HttpServer;
let silent: NetServer;
let fakeKafka: NetServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sfpipe-probes-'));
  http = await listen(
    createHttpServer((req, res) => {
      if (req.url === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"3.9.1"}');
      if (req.url === '/html500') return res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal error</body></html>');
      if (req.url === '/truncated') return res.writeHead(200).end('{"version": "3.9');
      if (req.url === '/hang') return; // accepts, never answers
      res.writeHead(404).end('{}');
    }),
  );
  silent = await listen(createNetServer(() => undefined));
  // Answers like a broker: size, then the request's correlation id.
  fakeKafka = await listen(
    createNetServer((s) =>
      s.once('data', (req: Buffer) => {
        const reply = Buffer.alloc(10);
        reply.writeInt32BE(6, 0);
        reply.writeInt32BE(req.readInt32BE(8), 4);
        reply.writeInt16BE(35, 8);
        s.write(reply);
      }),
    ),
  );
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<SfpipeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SfpipeError);
    return err as SfpipeError;
  }
  throw new Error('expected a rejection');
}

async function closedPort(): Promise<number> {
  const s = await listen(createNetServer());
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe('httpJson', () => {
  it('reads a JSON answer', async () => {
    expect(await httpJson({ url: `http://127.0.0.1:${portOf(http)}/json` }, 'connect', 2000)).toEqual({ status: 200, body: { version: '3.9.1' } });
  });

  it('speaks HTTP over a unix socket (the Docker engine)', async () => {
    const sock = join(dir, 'api.sock');
    await listen(createHttpServer((_req, res) => res.end('{"Version":"26.1.5"}')), sock);
    expect((await httpJson({ url: 'http://localhost/version', socketPath: sock }, 'docker', 2000)).body).toEqual({ Version: '26.1.5' });
  });

  it('an HTML error page, truncated JSON, a silent server and a refused port are SfpipeErrors of the right kind', async () => {
    const base = `http://127.0.0.1:${portOf(http)}`;
    const html = await rejection(httpJson({ url: `${base}/html500` }, 'connect', 2000));
    expect(html.kind).toBe('bad-response');
    expect(html.message).toContain('HTTP 500, not JSON');
    expect((await rejection(httpJson({ url: `${base}/truncated` }, 'connect', 2000))).kind).toBe('bad-response');
    expect((await rejection(httpJson({ url: `${base}/hang` }, 'connect', 300))).kind).toBe('timeout');
    expect((await rejection(httpJson({ url: `http://127.0.0.1:${await closedPort()}/` }, 'connect', 2000))).kind).toBe('unreachable');
  });
});

describe('tcp', () => {
  it('tells open from closed', async () => {
    expect(await tcp('127.0.0.1', portOf(silent), 2000)).toBe('open');
    expect(await tcp('127.0.0.1', await closedPort(), 2000)).toBe('closed');
  });
});

describe('speaksKafka', () => {
  it('is true only for a listener that answers the ApiVersions frame', async () => {
    expect(await speaksKafka('127.0.0.1', portOf(fakeKafka), 2000)).toBe(true);
    expect(await speaksKafka('127.0.0.1', portOf(http), 2000)).toBe(false);
    expect(await speaksKafka('127.0.0.1', portOf(silent), 300)).toBe(false);
    expect(await speaksKafka('127.0.0.1', await closedPort(), 2000)).toBe(false);
  });
});
