/**
 * Loopback stand-ins in front of a backend: an HTTP proxy that counts every request it
 * forwards (Connect REST, the Docker API over a unix socket, the Snowflake protocol), and a
 * listener that accepts connections and never answers (a hung backend).
 */
import { createServer as createHttpServer, request, Agent, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { rmSync } from 'node:fs';

export type Target = { host: string; port: number } | { socketPath: string };

export interface SeenRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** request body, decompressed when it was gzip-encoded */
  body: Buffer;
}

export class CountingProxy {
  readonly requests: SeenRequest[] = [];
  private server: HttpServer | undefined;
  private readonly agent = new Agent({ keepAlive: true });
  /** where clients connect: "http://127.0.0.1:<port>" or "unix://<path>" */
  address = '';

  constructor(private readonly target: Target) {}

  /** Listen on 127.0.0.1 (a free port) or, with a path, on a unix socket. */
  async listen(socketPath?: string): Promise<this> {
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const gz = String(req.headers['content-encoding'] ?? '').includes('gzip');
        let body = raw;
        try {
          if (gz && raw.length) body = gunzipSync(raw);
        } catch {
          body = raw;
        }
        this.requests.push({ at: Date.now(), method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body });
        const upstream = request({ ...this.target, agent: this.agent, method: req.method, path: req.url, headers: req.headers }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        upstream.on('error', (err) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`bench proxy: ${err.message}`);
        });
        upstream.end(raw);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      if (socketPath) {
        rmSync(socketPath, { force: true });
        this.server!.listen(socketPath, () => resolve());
        this.address = `unix://${socketPath}`;
      } else {
        this.server!.listen(0, '127.0.0.1', () => {
          const a = this.server!.address();
          this.address = typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : '';
          resolve();
        });
      }
    });
    return this;
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  reset(): void {
    this.requests.length = 0;
  }

  /** Requests grouped by "METHOD path-without-query". */
  byEndpoint(since = 0): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests.slice(since)) {
      const key = `${r.method} ${endpointOf(r.path)}`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** A path with ids and names generalised: /containers/abc123/stats?x → /containers/{id}/stats. */
export function endpointOf(path: string): string {
  const [p] = path.split('?');
  return (p ?? '/')
    .replace(/^\/v\d+\.\d+/, '')
    .replace(/\/containers\/[^/]+\/(?=\w)/, '/containers/{id}/')
    .replace(/\/connectors\/[^/]+(?=\/|$)/, '/connectors/{name}');
}

/** Accepts TCP connections on 127.0.0.1 and never answers: a backend that is up but hung. */
export class HungListener {
  private server: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  accepted = 0;
  port = 0;

  async listen(): Promise<this> {
    this.server = createNetServer((sock) => {
      this.accepted++;
      this.sockets.add(sock);
      sock.on('error', () => undefined);
      sock.on('close', () => this.sockets.delete(sock));
      // read and drop whatever comes, never write
      sock.resume();
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
