/**
 * Misbehaving backends on 127.0.0.1, for fault-injection tests. One listener, switchable at
 * run time between:
 *   pass     a TCP proxy to the real backend (host:port or a unix socket) — the healthy case;
 *   hang     accepts and never answers (reads and discards, keeps the connection open);
 *   http500  answers HTTP 500 with an HTML error page, then closes;
 *   badJson  answers HTTP 200 application/json whose body is truncated JSON, then closes;
 *   slow     answers only after `slowMs` (default 10 s): through the proxy, every chunk the
 *            backend sends is held back that long; without a backend, `{}` after the delay.
 * Switching mode drops every open connection (and the timers of held-back answers), so a
 * client's kept-alive socket cannot carry the old behaviour over.
 *
 *   const f = await startFaultServer({ mode: 'pass', target: { host: '127.0.0.1', port: 8083 } });
 *   // point sfpipe at 127.0.0.1:f.port … later:
 *   f.setMode('hang');
 *   await f.close();
 *
 * `port` can name a fixed port, e.g. a killed broker's, to stand in its place.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type FaultMode = 'pass' | 'hang' | 'http500' | 'badJson' | 'slow';
export const LISTENER_FAULTS: readonly Exclude<FaultMode, 'pass'>[] = ['hang', 'http500', 'badJson', 'slow'];

export type FaultTarget = { host: string; port: number } | { path: string };

export interface FaultServerOptions {
  mode: FaultMode;
  /** the real backend, for 'pass' (and for 'slow', which then delays its real answers) */
  target?: FaultTarget;
  /** 0 (default) = any free port */
  port?: number;
  slowMs?: number;
}

const HOST = '127.0.0.1';
export const DEFAULT_SLOW_MS = 10_000;

const HTML_500 =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n' +
  '<body><h1>Internal Server Error</h1><p>The server encountered an internal error and was unable to complete your request.</p>\n' +
  '<hr><address>nginx</address></body></html>\n';
// Well-formed as HTTP, cut off as JSON: a parser must say so, not crash.
const TRUNCATED_JSON = '{"connectors":{"snowflake-sink":{"status":{"name":"snowflake-sink","connector":{"state":"RUNN';

function httpResponse(status: string, contentType: string, body: string): string {
  return `HTTP/1.1 ${status}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export class FaultServer {
  private current: FaultMode;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** connections accepted since start, by mode (what a test can assert was really exercised) */
  readonly accepted: Record<FaultMode, number> = { pass: 0, hang: 0, http500: 0, badJson: 0, slow: 0 };

  constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly opts: FaultServerOptions,
  ) {
    this.current = opts.mode;
    server.on('connection', (socket) => this.accept(socket));
  }

  get mode(): FaultMode {
    return this.current;
  }

  /** Switch behaviour; open connections are dropped so the next request meets the new mode. */
  setMode(mode: FaultMode): void {
    this.current = mode;
    this.dropAll();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dropAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    // A client that goes away mid-answer is normal here, never an error of the test.
    socket.on('error', () => socket.destroy());
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private accept(client: Socket): void {
    const mode = this.current;
    this.accepted[mode]++;
    this.track(client);
    const answerOnce = (text: string) => {
      let answered = false;
      client.on('data', () => {
        if (answered) return;
        answered = true;
        client.end(text);
      });
    };
    switch (mode) {
      case 'hang':
        client.resume(); // read and discard, say nothing
        return;
      case 'http500':
        answerOnce(httpResponse('500 Internal Server Error', 'text/html; charset=utf-8', HTML_500));
        return;
      case 'badJson':
        answerOnce(httpResponse('200 OK', 'application/json', TRUNCATED_JSON));
        return;
      case 'slow':
      case 'pass':
        if (this.opts.target) this.proxy(client, mode === 'slow' ? (this.opts.slowMs ?? DEFAULT_SLOW_MS) : 0);
        else if (mode === 'slow') this.slowWithoutBackend(client);
        else client.destroy(); // 'pass' with nowhere to pass to: like a closed port
        return;
    }
  }

  private slowWithoutBackend(client: Socket): void {
    let answered = false;
    client.on('data', () => {
      if (answered) return;
      answered = true;
      this.later(() => client.end(httpResponse('200 OK', 'application/json', '{}')), this.opts.slowMs ?? DEFAULT_SLOW_MS);
    });
  }

  /** Forward both ways; answers from the backend are held back `delayMs` (0 = a plain proxy). */
  private proxy(client: Socket, delayMs: number): void {
    const target = this.opts.target!;
    const upstream = 'path' in target ? connect({ path: target.path }) : connect({ host: target.host, port: target.port });
    this.track(upstream);
    client.pause();
    upstream.once('connect', () => {
      client.pipe(upstream);
      client.resume();
    });
    upstream.on('data', (chunk: Buffer) => {
      if (delayMs === 0) client.write(chunk);
      else this.later(() => client.write(chunk), delayMs);
    });
    upstream.once('end', () => {
      if (delayMs === 0) client.end();
      else this.later(() => client.end(), delayMs);
    });
    // The backend is gone (killed, refused): reset the client's connection, as a dead port would.
    upstream.once('error', () => client.resetAndDestroy());
    upstream.once('close', () => {
      if (delayMs === 0) client.destroy();
    });
    client.once('close', () => upstream.destroy());
  }
}

export async function startFaultServer(opts: FaultServerOptions): Promise<FaultServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault server: no TCP address');
  return new FaultServer(server, address.port, opts);
}

/** A loopback port nothing listens on (bound, then released): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('closedPort: no TCP address');
  return address.port;
}
