/**
 * The doctor's view of the outside world, as small probes that each bound their own time:
 * checks take a Probes object, so they run against these real ones in the CLI and against
 * fakes in unit tests. Every failure is an SfpipeError; nothing here throws anything else.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { execa } from 'execa';
import type { ConnectionOptions } from 'snowflake-sdk';
import { systemClock } from '../../domain/clock.js';
import { SfpipeError, toSfpipeError, type ErrorSource } from '../../domain/errors.js';
import { withTimeout } from '../../services/timeout.js';

export interface HttpTarget {
  /** http(s) base URL, or http://localhost for a unix socket */
  url: string;
  socketPath?: string;
}

export interface HttpJson {
  status: number;
  body: unknown;
}

export interface Probes {
  nodeVersion(): string;
  /** GET a JSON document; rejects on network error, timeout, non-JSON */
  httpJson(target: HttpTarget, source: ErrorSource, timeoutMs: number): Promise<HttpJson>;
  /** 'open' when something accepts connections, 'closed' when refused */
  tcp(host: string, port: number, timeoutMs: number): Promise<'open' | 'closed'>;
  /** true when the listener answers a Kafka ApiVersions request */
  speaksKafka(host: string, port: number, timeoutMs: number): Promise<boolean>;
  /** the Compose command that works, with its version, or undefined */
  compose(timeoutMs: number): Promise<{ command: string; version: string } | undefined>;
  /** log in and out; rejects with the reason */
  snowflakeLogin(options: ConnectionOptions, timeoutMs: number): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

export function httpJson(target: HttpTarget, source: ErrorSource, timeoutMs: number): Promise<HttpJson> {
  const what = `GET ${target.socketPath ? `${target.socketPath} ` : ''}${target.socketPath ? new URL(target.url).pathname : target.url}`;
  return withTimeout(
    (signal) =>
      new Promise<HttpJson>((resolve, reject) => {
        const url = new URL(target.url);
        const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
          {
            ...(target.socketPath ? { socketPath: target.socketPath } : { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (url.protocol === 'https:' ? 443 : 80) }),
            path: `${url.pathname}${url.search}`,
            method: 'GET',
            headers: { accept: 'application/json' },
            signal,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > MAX_BODY) req.destroy(new SfpipeError('bad-response', source, `${what}: answer larger than ${MAX_BODY} bytes`));
              else chunks.push(c);
            });
            res.on('error', (err) => reject(toSfpipeError(err, source)));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              try {
                resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
              } catch {
                reject(new SfpipeError('bad-response', source, `${what}: HTTP ${res.statusCode ?? '?'}, not JSON (${text.trim().slice(0, 40).replace(/\s+/g, ' ') || 'empty body'})`));
              }
            });
          },
        );
        req.on('error', (err) => reject(toSfpipeError(err, source)));
        req.end();
      }),
    { timeoutMs, clock: systemClock, source, what },
  );
}

export function tcp(host: string, port: number, timeoutMs: number): Promise<'open' | 'closed'> {
  return withTimeout(
    (signal) =>
      new Promise<'open' | 'closed'>((resolve, reject) => {
        const socket = netConnect({ host, port });
        const done = (fn: () => void) => {
          socket.destroy();
          fn();
        };
        signal.addEventListener('abort', () => socket.destroy(), { once: true });
        socket.once('connect', () => done(() => resolve('open')));
        socket.once('error', (err: NodeJS.ErrnoException) => done(() => (err.code === 'ECONNREFUSED' ? resolve('closed') : reject(toSfpipeError(err, 'cli')))));
      }),
    { timeoutMs, clock: systemClock, source: 'cli', what: `connect to ${host}:${port}` },
  );
}

/** A Kafka ApiVersions v0 request; any well-framed answer with our correlation id is Kafka. */
export function speaksKafka(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const correlationId = 0x5f5f0d0c;
  const clientId = Buffer.from('sfpipe-doctor');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const frame = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);
  return withTimeout(
    (signal) =>
      new Promise<boolean>((resolve) => {
        const socket = netConnect({ host, port });
        let received = Buffer.alloc(0);
        const done = (answer: boolean) => {
          socket.destroy();
          resolve(answer);
        };
        signal.addEventListener('abort', () => socket.destroy(), { once: true });
        socket.once('connect', () => socket.write(frame));
        socket.on('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          if (received.length >= 8) {
            const size = received.readInt32BE(0);
            done(size >= 6 && size < 1_000_000 && received.readInt32BE(4) === correlationId);
          }
        });
        socket.once('error', () => done(false));
        socket.once('end', () => done(false));
      }),
    { timeoutMs, clock: systemClock, source: 'kafka', what: `Kafka ApiVersions to ${host}:${port}` },
  ).catch(() => false);
}

export async function compose(timeoutMs: number): Promise<{ command: string; version: string } | undefined> {
  for (const [cmd, args, label] of [
    ['docker', ['compose', 'version', '--short'], 'docker compose'],
    ['docker-compose', ['version', '--short'], 'docker-compose'],
  ] as const) {
    try {
      const r = await execa(cmd, [...args], { timeout: timeoutMs, reject: false, stdin: 'ignore' });
      if (r.exitCode === 0 && r.stdout.trim()) return { command: label, version: r.stdout.trim().split('\n')[0]! };
    } catch {
      // not installed: try the next one
    }
  }
  return undefined;
}

export async function snowflakeLogin(options: ConnectionOptions, timeoutMs: number): Promise<void> {
  const { default: snowflake } = await import('snowflake-sdk');
  // The driver logs to the terminal and a file in the cwd by default; the doctor owns the terminal.
  snowflake.configure({ logLevel: 'OFF', additionalLogToConsole: false });
  // The driver's own request timeout and retries bound the work it leaves behind after our
  // timeout fires, so the process can exit soon after the doctor has printed.
  const conn = snowflake.createConnection({ ...options, sfRetryMaxLoginRetries: 0, timeout: timeoutMs });
  try {
    await withTimeout(
      () => new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(loginError(err)) : resolve()))),
      { timeoutMs, clock: systemClock, source: 'snowflake', what: 'Snowflake login' },
    );
  } finally {
    if (conn.isUp()) {
      await withTimeout(() => new Promise<void>((resolve) => conn.destroy(() => resolve())), { timeoutMs: 5000, clock: systemClock, source: 'snowflake', what: 'Snowflake logout' }).catch(() => undefined);
    }
  }
}

function loginError(err: { message?: string; code?: unknown }): SfpipeError {
  const code = String(err.code ?? '');
  // 390100-390199 are Snowflake's authentication failures (390144 = JWT invalid).
  const kind = /^3901\d\d$/.test(code) ? 'auth' : 'unreachable';
  return new SfpipeError(kind, 'snowflake', `login failed${code ? ` (${code})` : ''}: ${err.message ?? 'no reason given'}`, { cause: err });
}

export const realProbes: Probes = {
  nodeVersion: () => process.versions.node,
  httpJson,
  tcp,
  speaksKafka,
  compose,
  snowflakeLogin,
};
